"""Where a finding is in the files a reporter points at.

A document of a plain-text corpus is its file, and the finding's line and column
are the file's. A record of a JSON-lines or CSV corpus is named ``path:line`` (see
``canonym.corpus.documents``): its findings point at that line of the file, since
the line and column inside the record's text field are moved about by JSON or CSV
quoting and match no column of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from canonym.jobs.lint import Finding

__all__ = ["Place", "place", "STDIN"]

_RECORD = re.compile(r"^(?P<file>.+):(?P<line>[0-9]+)$")
STDIN = "<stdin>"


@dataclass(frozen=True, slots=True)
class Place:
    """A finding's file (``None`` for standard input) and its span there.

    ``col``, ``end_line`` and ``end_col`` are ``None`` for a record: only its line
    in the file is known. ``end_col`` is the column just after the name.
    """

    file: str | None
    line: int
    col: int | None = None
    end_line: int | None = None
    end_col: int | None = None

    @property
    def in_record(self) -> bool:
        return self.col is None


def place(f: Finding) -> Place:
    """Where ``f`` is: in its text file, or on the line of the record that holds it."""
    record = None if f.path else _RECORD.match(f.source)
    if record is None:
        file = f.path or f.source
        end_line, end_col = (f.end_line, f.end_col) if f.end_line else (None, None)
        return Place(None if file == STDIN else file, f.line, f.col, end_line, end_col)
    file = record["file"]
    return Place(None if file == STDIN else file, int(record["line"]))
