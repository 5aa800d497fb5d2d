"""The corpus database's tables, the rows it holds and the errors it raises.

Reach for this module for what a corpus database contains; ``canonym.corpus.store``
reads and writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from canonym.normalize.mention import AMBIGUOUS, RESOLVED, UNRESOLVED

__all__ = [
    "SCHEMA_VERSION",
    "STATUSES",
    "RESOLVED",
    "AMBIGUOUS",
    "UNRESOLVED",
    "MentionRow",
    "DocResult",
    "StoreError",
    "GazetteerMismatch",
    "StoreConflict",
]

STATUSES = (RESOLVED, AMBIGUOUS, UNRESOLVED)  # a mention's status, as the normalizer gives it
# 2: the documents of each cluster partition (partition_sources); 3: review decisions
# and rejected spellings (decisions, rejections), which outlive a results reset;
# 4: where each mention ends (mentions.end_line, end_col).
SCHEMA_VERSION = "4"
OLDER_SCHEMAS = ("1", "2", "3")  # what opening the database brings up to date
CLAIM_KEY = "gazetteer"  # meta: the key of the analysis the stored results come from
RESULT_TABLES = ("mentions", "documents", "sources", "partition_sources", "failures", "partitions")

SCHEMA = """
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
    end_line INTEGER,
    end_col INTEGER,
    PRIMARY KEY (hash, n)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id, surface);
CREATE TABLE IF NOT EXISTS partitions (
    id TEXT PRIMARY KEY,
    documents INTEGER NOT NULL,
    added REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS partition_sources (
    part TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (part, source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS failures (
    source TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    error TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS decisions (
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    decision TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (kind, subject)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rejections (
    entity_id TEXT NOT NULL,
    surface TEXT NOT NULL,
    added REAL NOT NULL,
    PRIMARY KEY (entity_id, surface)
) WITHOUT ROWID;
"""


# The documents of the current run, with the columns of ``sources``: per connection.
RUN_SOURCES = """
DROP TABLE IF EXISTS temp.run_sources;
CREATE TEMP TABLE run_sources (
    source TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    hash TEXT NOT NULL,
    path TEXT
);
CREATE INDEX temp.run_sources_hash ON run_sources(hash);
"""


class StoreError(Exception):
    """A corpus database that cannot be used as asked; the message names the file."""


class GazetteerMismatch(StoreError):
    """The database holds results of another gazetteer or other thresholds."""


class StoreConflict(StoreError):
    """Another run reset the database, for another gazetteer, while this one wrote to it."""


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
    # Where the name ends: its last line, and the column just after its last character.
    end_line: int | None = None
    end_col: int | None = None


@dataclass(frozen=True, slots=True)
class DocResult:
    """What processing one document produced, compact enough to send between processes."""

    hash: str
    lang: str
    chars: int
    mentions: tuple[MentionRow, ...]

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Each row as a plain tuple: pickling a dataclass instance a row, and
        # unpickling it, took twice as long (175 against 118 µs a document).
        rows = [tuple(map(m.__getattribute__, _ROW_FIELDS)) for m in self.mentions]
        return _doc_result, (self.hash, self.lang, self.chars, rows)


_ROW_FIELDS = tuple(f.name for f in fields(MentionRow))


def _doc_result(hash: str, lang: str, chars: int, rows: list[tuple[Any, ...]]) -> DocResult:
    """A ``DocResult`` from what its ``__reduce__`` sent."""
    return DocResult(hash, lang, chars, tuple(MentionRow(*r) for r in rows))
