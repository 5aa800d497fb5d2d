"""The JSON report: every finding as an object, with the total count.

Each finding has its start (``line``, ``col``) and end (``end_line``, ``end_col``,
the column just after the name), ``severity``, the document's ``language`` and, for
a non-canonical spelling, the ``replacement`` that ``--fix`` would write.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from canonym.jobs.lint import Finding
from canonym.report.base import Reporter, register

__all__ = ["JsonReporter", "render_json"]

# Findings rendered beyond this many characters wait in a temporary file rather than
# in memory: the total and statistics that open the report are known only at the end.
_SPOOL = 1 << 23


def render_json(findings: Sequence[Finding], *, extra: dict[str, Any] | None = None) -> str:
    return json.dumps(
        {**(extra or {}), "findings": [f.to_dict() for f in findings]}, ensure_ascii=False, indent=2
    )


@register
class JsonReporter(Reporter):
    name = "json"
    shows_statistics = True

    def write(self, findings: Iterable[Finding], out: TextIO) -> None:
        # As render_json writes them, a finding at a time: a corpus of any size is
        # reported in the memory of one finding.
        shown = 0
        with tempfile.SpooledTemporaryFile(_SPOOL, mode="w+", encoding="utf-8") as spool:
            for f in findings:
                one = json.dumps(f.to_dict(), ensure_ascii=False, indent=2)
                spool.write((",\n" if shown else "\n") + "    " + one.replace("\n", "\n    "))
                shown += 1
            extra: dict[str, Any] = {"total": self.total(shown)}
            if self.options.statistics is not None:
                extra["statistics"] = self.options.statistics.to_dict()
            head = render_json((), extra=extra)
            if not shown:
                out.write(head + "\n")
                return
            out.write(head.removesuffix("]\n}"))
            spool.seek(0)
            shutil.copyfileobj(spool, out)
            out.write("\n  ]\n}\n")
