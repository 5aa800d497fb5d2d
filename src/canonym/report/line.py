"""The line report: ``path:line:col: CODE message``, one finding a line, for editors and grep.

A record of a JSON-lines or CSV corpus is ``path:line: CODE message (text line:col)``:
its line in the file, then where the name is inside the record's text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from canonym.jobs.lint import Finding
from canonym.report.base import Reporter, register
from canonym.report.locate import STDIN, place

__all__ = ["LineReporter", "format_line"]


def format_line(f: Finding) -> str:
    """One finding as a compiler-style line; the message never holds a line break."""
    p = place(f)
    file = p.file if p.file is not None else STDIN
    if p.in_record:
        return f"{file}:{p.line}: {f.code} {f.message} (text {f.line}:{f.col})"
    return f"{file}:{p.line}:{p.col}: {f.code} {f.message}"


@register
class LineReporter(Reporter):
    name = "line"
    shows_statistics = True

    def write(self, findings: Iterable[Finding], out: TextIO) -> None:
        for f in findings:
            out.write(format_line(f) + "\n")
        self.write_statistics(out)
