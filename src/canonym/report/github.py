"""GitHub Actions workflow commands: each finding an annotation on the pull request.

``::warning file=F,line=L,col=C,endLine=L2,endColumn=C2,title=CN001::message``, as
the Actions toolkit writes them: in the message ``%``, CR and LF are percent-encoded,
in a property value ``:`` and ``,`` too, so that a file name or message can neither
end the command early nor start another one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from canonym.jobs.lint import Finding
from canonym.report.base import Reporter, register
from canonym.report.locate import place

__all__ = ["GithubReporter", "annotation", "escape_data", "escape_property"]

# A suggestion is what GitHub calls a notice.
_LEVEL = {"error": "error", "warning": "warning", "suggestion": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    """One finding as a workflow command; a record is annotated on its line of the file."""
    p = place(f)
    props: list[tuple[str, object]] = []
    if p.file is not None:
        props.append(("file", p.file))
    props.append(("line", p.line))
    if p.col is not None:
        props.append(("col", p.col))
    if p.end_line is not None:
        props += [("endLine", p.end_line), ("endColumn", p.end_col)]
    props.append(("title", f.code))
    level = _LEVEL.get(f.severity, "warning")
    fields = ",".join(f"{k}={escape_property(str(v))}" for k, v in props)
    return f"::{level} {fields}::{escape_data(f.message)}"


@register
class GithubReporter(Reporter):
    name = "github"
    shows_statistics = True

    def write(self, findings: Iterable[Finding], out: TextIO) -> None:
        for f in findings:
            out.write(annotation(f) + "\n")
        self.write_statistics(out)
