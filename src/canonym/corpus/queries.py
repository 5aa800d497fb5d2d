"""The questions the corpus jobs ask of a corpus database, as named queries.

Reach for this module to see what the jobs read; ``canonym.corpus.store.Store``
answers them. The report queries are scoped to the current run's documents (all
stored documents when no run has started on the connection), and bind mention
statuses rather than spelling them in SQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence

from canonym.corpus.schema import RESOLVED, UNRESOLVED

__all__ = ["StoreQueries"]


class StoreQueries:
    """The reading half of ``Store``: needs its connection and the run's claim."""

    db: sqlite3.Connection
    _key: str | None

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

    def has_partition(self, pid: str) -> bool:
        row = self.db.execute("SELECT 1 FROM partitions WHERE id = ?", (pid,)).fetchone()
        return row is not None

    def index_unresolved(self) -> None:
        """Index unknown spellings, for counting the documents behind each.

        Made when first asked for, by ``aliases build``: kept up to date while
        documents are added, it would slow every corpus run that never needs it.
        """
        self.db.execute(
            "CREATE INDEX IF NOT EXISTS mentions_unresolved ON mentions(surface, hash) "
            f"WHERE status = '{UNRESOLVED}'"
        )
        self.db.commit()

    @property
    def _sources(self) -> str:
        return "temp.run_sources" if self._key is not None else "sources"

    def _rows(self, sql: str, params: Iterable[object] = ()) -> Iterator[sqlite3.Row]:
        cur = self.db.cursor()
        cur.row_factory = sqlite3.Row
        # A loop, not ``yield from``: closing a report cut short (Ctrl-C) would
        # close the cursor too, and raise once the connection is closed.
        for row in cur.execute(sql, tuple(params)):  # noqa: UP028
            yield row

    def resolved_mentions(self) -> Iterator[sqlite3.Row]:
        """Linked mentions by document (``source``), in reading order, with where they
        start and end and the document's language (``language``)."""
        return self._rows(
            "SELECT s.doc_id, s.source, s.path, m.line, m.col, m.surface, m.replacement, "
            "m.canonical, m.entity_id, m.context, m.start, m.end, m.end_line, m.end_col, "
            f"d.lang AS language FROM {self._sources} s "
            "JOIN mentions m ON m.hash = s.hash JOIN documents d ON d.hash = s.hash "
            "WHERE m.status = ? ORDER BY s.source, m.line, m.col",
            (RESOLVED,),
        )

    def sources(self) -> list[str]:
        """The name of every document read (in this run, once one has started), sorted."""
        return [
            str(r[0])
            for r in self.db.execute(f"SELECT source FROM {self._sources} ORDER BY source")
        ]

    def language_of(self, source: str) -> str | None:
        """The language detected for the document read from ``source``."""
        row = self.db.execute(
            f"SELECT d.lang FROM {self._sources} s JOIN documents d ON d.hash = s.hash "
            "WHERE s.source = ?",
            (source,),
        ).fetchone()
        return None if row is None else row[0]

    def spelling_counts(self) -> Iterator[sqlite3.Row]:
        """``entity_id, replacement, surface, n``: how often each entity is spelled each way."""
        return self._rows(
            "SELECT entity_id, replacement, surface, COUNT(*) AS n FROM mentions "
            f"WHERE status = ? AND hash IN (SELECT hash FROM {self._sources}) "
            "GROUP BY entity_id, replacement, surface",
            (RESOLVED,),
        )

    def entity_variants(self) -> Iterator[sqlite3.Row]:
        """One row per (entity, spelling): counts, languages, first and last ``seq``, methods."""
        return self._rows(
            "SELECT m.entity_id, m.surface, COUNT(*) AS n, COUNT(DISTINCT m.hash) AS docs, "
            "GROUP_CONCAT(DISTINCT d.lang) AS langs, MIN(d.seq) AS first, MAX(d.seq) AS last, "
            "GROUP_CONCAT(DISTINCT m.method) AS methods, MIN(m.context) AS example "
            "FROM mentions m JOIN documents d ON d.hash = m.hash "
            f"WHERE m.status = ? AND m.hash IN (SELECT hash FROM {self._sources}) "
            "GROUP BY m.entity_id, m.surface "
            "ORDER BY m.entity_id, n DESC, m.surface",
            (RESOLVED,),
        )

    def unresolved_surfaces(self) -> Iterator[sqlite3.Row]:
        """One row per unknown spelling: counts, languages and an example."""
        return self._rows(
            "SELECT m.surface, COUNT(*) AS n, COUNT(DISTINCT m.hash) AS docs, "
            "GROUP_CONCAT(DISTINCT d.lang) AS langs, MIN(m.context) AS example "
            "FROM mentions m JOIN documents d ON d.hash = m.hash WHERE m.status = ? "
            f"AND m.hash IN (SELECT hash FROM {self._sources}) GROUP BY m.surface",
            (UNRESOLVED,),
        )

    def unresolved_languages(self) -> Iterator[sqlite3.Row]:
        """``surface, lang, n``: how often each unknown spelling is written in documents
        of each language (``lang`` None where none was detected)."""
        return self._rows(
            "SELECT m.surface, d.lang, COUNT(*) AS n "
            "FROM mentions m JOIN documents d ON d.hash = m.hash WHERE m.status = ? "
            f"AND m.hash IN (SELECT hash FROM {self._sources}) GROUP BY m.surface, d.lang",
            (UNRESOLVED,),
        )

    def unresolved_contexts(self, surfaces: Sequence[str], limit: int) -> list[tuple[str, str]]:
        """``(surface, context)`` of up to ``limit`` unresolved mentions spelled one of
        ``surfaces``: the same ones for the same documents, whatever order they were
        stored in (by document content hash)."""
        marks = ",".join("?" * len(surfaces))
        sql = (
            "SELECT surface, context FROM mentions "
            f"WHERE status = ? AND surface IN ({marks}) "
            f"AND hash IN (SELECT hash FROM {self._sources}) ORDER BY hash, n LIMIT ?"
        )
        return [
            (str(r["surface"]), str(r["context"]))
            for r in self._rows(sql, (UNRESOLVED, *surfaces, limit))
        ]

    def documents_with_unresolved(self, surfaces: Sequence[str]) -> int:
        """How many documents hold an unresolved mention spelled one of ``surfaces``."""
        marks = ",".join("?" * len(surfaces))
        sql = (
            "SELECT COUNT(DISTINCT hash) AS n FROM mentions "
            f"WHERE status = ? AND surface IN ({marks}) "
            f"AND hash IN (SELECT hash FROM {self._sources})"
        )
        return int(next(self._rows(sql, (UNRESOLVED, *surfaces)))["n"])

    def document_names(self, seqs: Iterable[int]) -> dict[int, str]:
        """The id a document (by ``seq``) was read under; the first, when read under several."""
        names: dict[int, str] = {}
        ordered = sorted(set(seqs))
        for i in range(0, len(ordered), 500):
            chunk = ordered[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._rows(
                "SELECT d.seq, MIN(s.doc_id) AS doc FROM documents d "
                f"JOIN {self._sources} s ON s.hash = d.hash "
                f"WHERE d.seq IN ({marks}) GROUP BY d.seq",
                chunk,
            ):
                names[int(row["seq"])] = str(row["doc"])
        return names

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
