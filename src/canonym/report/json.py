"""The JSON report: every finding as an object, with the total count.

Each finding has its start (``line``, ``col``) and end (``end_line``, ``end_col``,
the column just after the name), ``severity``, the document's ``language`` and, for
a non-canonical spelling, the ``replacement`` that ``--fix`` would write.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from canonym.jobs.lint import Finding
from canonym.report.base import Reporter, register

__all__ = ["JsonReporter", "render_json"]


def render_json(findings: Sequence[Finding], *, extra: dict[str, Any] | None = None) -> str:
    return json.dumps(
        {**(extra or {}), "findings": [f.to_dict() for f in findings]}, ensure_ascii=False, indent=2
    )


@register
class JsonReporter(Reporter):
    name = "json"
    shows_statistics = True

    def write(self, findings: Iterable[Finding], out: TextIO) -> None:
        shown = list(findings)
        extra: dict[str, Any] = {"total": self.total(len(shown))}
        if self.options.statistics is not None:
            extra["statistics"] = self.options.statistics.to_dict()
        out.write(render_json(shown, extra=extra) + "\n")
