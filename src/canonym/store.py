"""The corpus database: documents by content hash and the mentions found in them.

Reach for this module to keep corpus results between runs. It is one SQLite file
in WAL mode, so readers may query it while a run writes; results are committed
in batches, so an interrupted run keeps every batch it finished and the next run
skips documents already stored.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Store", "MentionRow", "DocResult", "SCHEMA_VERSION"]

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    hash TEXT NOT NULL UNIQUE,
    lang TEXT,
    chars INTEGER NOT NULL,
    n_mentions INTEGER NOT NULL,
    added REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    source TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    hash TEXT NOT NULL,
    path TEXT
);
CREATE INDEX IF NOT EXISTS sources_hash ON sources(hash);
CREATE TABLE IF NOT EXISTS mentions (
    hash TEXT NOT NULL,
    n INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    line INTEGER NOT NULL,
    col INTEGER NOT NULL,
    surface TEXT NOT NULL,
    status TEXT NOT NULL,
    entity_id TEXT,
    canonical TEXT,
    replacement TEXT,
    type TEXT,
    method TEXT,
    score REAL,
    context TEXT NOT NULL,
    PRIMARY KEY (hash, n)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id, surface);
CREATE TABLE IF NOT EXISTS partitions (
    id TEXT PRIMARY KEY,
    documents INTEGER NOT NULL,
    added REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    source TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    error TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class MentionRow:
    start: int
    end: int
    line: int
    col: int
    surface: str
    status: str
    entity_id: str | None
    canonical: str | None
    replacement: str | None  # what normalizing writes in its place (case and line breaks kept)
    type: str | None
    method: str | None
    score: float | None
    context: str


@dataclass(frozen=True, slots=True)
class DocResult:
    """What processing one document produced, compact enough to send between processes."""

    hash: str
    lang: str
    chars: int
    mentions: tuple[MentionRow, ...]


class Store:
    """A corpus database file; use as a context manager."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db = sqlite3.connect(self.path, timeout=30.0)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self.db.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,)
        )
        self.db.commit()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    # -- meta ----------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def reset_results(self) -> None:
        """Forget every processed document (the gazetteer changed under them)."""
        self.db.executescript(
            "DELETE FROM mentions; DELETE FROM documents; DELETE FROM failures; "
            "DELETE FROM partitions;"
        )
        self.db.commit()

    def has_partition(self, pid: str) -> bool:
        row = self.db.execute("SELECT 1 FROM partitions WHERE id = ?", (pid,)).fetchone()
        return row is not None

    def add_partition(self, pid: str, documents: int) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO partitions(id, documents, added) VALUES (?, ?, ?)",
            (pid, documents, time.time()),
        )

    # -- writing -------------------------------------------------------------------

    def has(self, hashes: Sequence[str]) -> set[str]:
        """Which of ``hashes`` are already stored."""
        found: set[str] = set()
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self.db.execute(
                    f"SELECT hash FROM documents WHERE hash IN ({marks})", chunk
                )
            )
        return found

    def add_source(self, source: str, doc_id: str, hash: str, path: str | None) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO sources(source, doc_id, hash, path) VALUES (?, ?, ?, ?)",
            (source, doc_id, hash, path),
        )
        self.db.execute("DELETE FROM failures WHERE source = ?", (source,))

    def add_failure(self, source: str, doc_id: str, error: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO failures(source, doc_id, error) VALUES (?, ?, ?)",
            (source, doc_id, error),
        )

    def add_result(self, r: DocResult) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO documents(hash, lang, chars, n_mentions, added)"
            " VALUES (?, ?, ?, ?, ?)",
            (r.hash, r.lang, r.chars, len(r.mentions), time.time()),
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO mentions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
                )
                for n, m in enumerate(r.mentions)
            ],
        )

    def commit(self) -> None:
        self.db.commit()

    # -- reading -------------------------------------------------------------------

    def index_unresolved(self) -> None:
        """Index unknown spellings, for counting the documents behind each.

        Made when first asked for, by ``aliases build``: kept up to date while
        documents are added, it would slow every corpus run that never needs it.
        """
        self.db.execute(
            "CREATE INDEX IF NOT EXISTS mentions_unresolved ON mentions(surface, hash) "
            "WHERE status = 'unresolved'"
        )
        self.db.commit()

    def query(self, sql: str, params: Iterable[Any] = ()) -> Iterator[sqlite3.Row]:
        cur = self.db.cursor()
        cur.row_factory = sqlite3.Row
        yield from cur.execute(sql, tuple(params))

    def counts(self) -> dict[str, int]:
        def one(sql: str) -> int:
            return int(self.db.execute(sql).fetchone()[0])

        return {
            "documents": one("SELECT COUNT(*) FROM documents"),
            "sources": one("SELECT COUNT(*) FROM sources"),
            "mentions": one("SELECT COUNT(*) FROM mentions"),
            "failures": one("SELECT COUNT(*) FROM failures"),
        }

    def failures(self) -> list[tuple[str, str]]:
        return [
            (r[0], r[1])
            for r in self.db.execute("SELECT source, error FROM failures ORDER BY source")
        ]
