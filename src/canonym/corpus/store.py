"""The corpus database: documents by content hash and the mentions found in them.

Reach for this module to keep corpus results between runs. It is one SQLite file
in WAL mode, so readers may query it while a run writes; results are committed
in batches, so an interrupted run keeps every batch it finished and the next run
skips documents already stored.

A database holds the results of one analysis at a time: one gazetteer with one
set of thresholds, recorded as a key when the first run claims the database.
Rows are trusted, and skipped, only because of that. A run with another key is
refused (``GazetteerMismatch``) rather than given a reset: a reset would pull the
rows from under a run still writing with the first gazetteer, and a refusal needs
no lock to be safe, since claiming is one transaction. ``reset_results`` is the
deliberate way to start over; every batch a run writes first checks, in the
same transaction, that the database is still claimed for its key, so a run
overtaken by a reset stops (``StoreConflict``) instead of adding stale rows.

A run also records which documents it read (``run_sources``): findings and alias
tables describe the corpus a run was given, not every corpus stored before.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from canonym.corpus.decisions import StoreDecisions
from canonym.corpus.queries import StoreQueries
from canonym.corpus.schema import (
    CLAIM_KEY,
    OLDER_SCHEMAS,
    RESULT_TABLES,
    RUN_SOURCES,
    SCHEMA,
    SCHEMA_VERSION,
    DocResult,
    GazetteerMismatch,
    MentionRow,
    StoreConflict,
    StoreError,
)
from canonym.io import file_kind

__all__ = [
    "Store",
    "MentionRow",
    "DocResult",
    "SCHEMA_VERSION",
    "StoreError",
    "GazetteerMismatch",
    "StoreConflict",
]


class Store(StoreQueries, StoreDecisions):
    """A corpus database file; use as a context manager."""

    def __init__(self, path: str | Path) -> None:
        """Open (or create) the database at ``path``; ``StoreError`` when it is not one."""
        self.path = Path(path)
        self._key: str | None = None  # the analysis this connection writes, once claimed
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory, not a corpus database file")
        if self.path.exists() and not self.path.is_file():
            # SQLite would fail on it only after creating a journal file beside it.
            kind = file_kind(self.path.stat().st_mode)
            raise StoreError(f"{self.path}: {kind}, not a corpus database file")
        parent = self.path.parent
        if not parent.is_dir():
            what = "is not a directory" if parent.exists() else "does not exist; create it first"
            raise StoreError(f"{self.path}: {parent} {what}")
        try:
            self.db = sqlite3.connect(self.path, timeout=30.0)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open the database ({e})") from None
        try:
            self._open()
        except sqlite3.Error as e:
            self.db.close()
            raise StoreError(
                f"{self.path}: not a usable corpus database ({e}); use another file"
            ) from None
        except BaseException:
            self.db.close()
            raise

    def _open(self) -> None:
        # Read before writing anything: a file that is not ours is left as it was.
        tables = self._tables()
        if tables and "meta" not in tables:
            raise StoreError(
                f"{self.path}: an SQLite database, but not a canonym corpus database; "
                "use another file"
            )
        schema = self.get_meta("schema") if tables else None
        if schema not in (None, *OLDER_SCHEMAS, SCHEMA_VERSION):
            raise StoreError(
                f"{self.path}: made by another canonym version (schema {schema}); use another file"
            )
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        if schema == SCHEMA_VERSION:
            return  # nothing to write: readers open the database without taking a lock
        self.db.execute("BEGIN IMMEDIATE")  # two first runs at once: one creates, one waits
        try:
            schema = self.get_meta("schema") if "meta" in self._tables() else None
            if schema != SCHEMA_VERSION:  # new, or an older schema: tables or columns to add
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self._add_end_columns()
                self.set_meta("schema", SCHEMA_VERSION)
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise

    def _add_end_columns(self) -> None:
        """Schema 4 stores where a mention ends; older rows keep NULL there (readers
        then take the end from the mention's length)."""
        have = {r[1] for r in self.db.execute("PRAGMA table_info(mentions)")}
        for column in ("end_line", "end_col"):
            if column not in have:
                self.db.execute(f"ALTER TABLE mentions ADD COLUMN {column} INTEGER")

    def _tables(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:
            # A batch cut short is dropped whole: a document stored without its
            # mentions would be skipped, wrong, by every later run.
            self.rollback()
        self.close()

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    # -- meta ----------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._begin()
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def reset_results(self) -> None:
        """Forget every document read, its results, and the analysis they came from.

        The next run claims the database afresh; a run still writing with the
        old analysis stops at its next batch.
        """
        self.db.commit()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for table in RESULT_TABLES:
                self.db.execute(f"DELETE FROM {table}")
            # Numbered from 1 again: a rebuilt database is the same as a new one.
            self.db.execute("DELETE FROM sqlite_sequence WHERE name = 'documents'")
            self.db.execute("DELETE FROM meta WHERE key = ?", (CLAIM_KEY,))
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise
        self._key = None

    def start_run(self, key: str) -> None:
        """Claim the database for the analysis ``key`` and begin recording a run's documents.

        ``key`` stands for everything that changes results (gazetteer files,
        thresholds, canonym's version); ``GazetteerMismatch`` when the database
        holds results for another key. Claiming is one transaction, so of two
        runs with different keys starting together, exactly one wins.
        """
        self.db.commit()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            held = self.get_meta(CLAIM_KEY)
            if held is not None and held != key:
                raise GazetteerMismatch(
                    f"{self.path}: holds results of another gazetteer or other thresholds"
                )
            self.db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (CLAIM_KEY, key)
            )
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise
        self._key = key
        self.db.executescript(RUN_SOURCES)

    def _begin(self) -> None:
        """Open this batch's write transaction, while the database is still ours.

        The check and the writes share one transaction, which holds the write
        lock from its start: no reset can come between them.
        """
        if self.db.in_transaction:
            return
        self.db.execute("BEGIN IMMEDIATE")
        if self._key is not None and self.get_meta(CLAIM_KEY) != self._key:
            self.db.rollback()
            raise StoreConflict(
                f"{self.path}: another run reset the database for another gazetteer "
                "while this one wrote to it; this run's last batch was not stored"
            )

    def add_partition(self, pid: str, documents: int) -> None:
        self._begin()
        self.db.execute(
            "INSERT OR REPLACE INTO partitions(id, documents, added) VALUES (?, ?, ?)",
            (pid, documents, time.time()),
        )

    def add_partition_sources(self, pid: str) -> None:
        """Count the documents of a partition stored earlier as read by this run."""
        self._begin()
        if self._key is not None:
            self.db.execute(
                "INSERT OR REPLACE INTO temp.run_sources(source, doc_id, hash, path) "
                "SELECT s.source, s.doc_id, s.hash, s.path FROM partition_sources p "
                "JOIN sources s ON s.source = p.source WHERE p.part = ?",
                (pid,),
            )

    # -- writing -------------------------------------------------------------------

    def add_source(
        self, source: str, doc_id: str, hash: str, path: str | None, part: str | None = None
    ) -> None:
        """Where a document was read (``part``: the cluster partition), for this run too."""
        self._begin()
        self.db.execute(
            "INSERT OR REPLACE INTO sources(source, doc_id, hash, path) VALUES (?, ?, ?, ?)",
            (source, doc_id, hash, path),
        )
        if part is not None:
            self.db.execute(
                "INSERT OR IGNORE INTO partition_sources(part, source) VALUES (?, ?)",
                (part, source),
            )
        self.db.execute("DELETE FROM failures WHERE source = ?", (source,))
        if self._key is not None:
            self.db.execute(
                "INSERT OR REPLACE INTO temp.run_sources(source, doc_id, hash, path) "
                "VALUES (?, ?, ?, ?)",
                (source, doc_id, hash, path),
            )

    def add_failure(self, source: str, doc_id: str, error: str) -> None:
        self._begin()
        self.db.execute(
            "INSERT OR REPLACE INTO failures(source, doc_id, error) VALUES (?, ?, ?)",
            (source, doc_id, error),
        )

    def add_result(self, r: DocResult) -> None:
        """Store one document's results, unless it is stored already (then they are the same)."""
        self._begin()
        # Not INSERT OR IGNORE: an ignored row still uses up a number, and documents
        # are numbered in corpus order however many runs write at once.
        added = self.db.execute(
            "INSERT INTO documents(hash, lang, chars, n_mentions, added) "
            "SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM documents WHERE hash = ?)",
            (r.hash, r.lang, r.chars, len(r.mentions), time.time(), r.hash),
        ).rowcount
        if not added:
            return  # a concurrent run of the same analysis stored it first
        self.db.execute("DELETE FROM mentions WHERE hash = ?", (r.hash,))
        self.db.executemany(
            "INSERT OR REPLACE INTO mentions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    r.hash,
                    n,
                    m.start,
                    m.end,
                    m.line,
                    m.col,
                    m.surface,
                    m.status,
                    m.entity_id,
                    m.canonical,
                    m.replacement,
                    m.type,
                    m.method,
                    m.score,
                    m.context,
                    m.end_line,
                    m.end_col,
                )
                for n, m in enumerate(r.mentions)
            ],
        )

    def commit(self) -> None:
        self.db.commit()

    def rollback(self) -> None:
        """Drop the batch being written."""
        self.db.rollback()
