"""The JSON report is written a finding at a time, as render_json writes them all."""

from __future__ import annotations

import io

import pytest

from canonym.jobs.lint import Finding
from canonym.report import json as json_report
from canonym.report.base import ReportOptions, get_reporter
from canonym.report.json import render_json


def finding(i: int) -> Finding:
    # A line break, quotes and non-Latin letters: escaped, never a raw line of the report.
    return Finding(
        "CN001", f"d{i}", f"docs/{i}.txt", i + 1, 3, f"e{i}", "Moussoul\n\"al\"",
        "الموصل", "message", "ctx\tctx", lat=36.3 if i % 2 else None,
    )  # fmt: skip


@pytest.mark.parametrize("n", [0, 1, 5])
def test_streamed_report_is_the_whole_report(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_report, "_SPOOL", 10)  # past memory, into the file
    found = [finding(i) for i in range(n)]
    out = io.StringIO()
    get_reporter("json", ReportOptions(total=lambda: 40)).write(iter(found), out)
    assert out.getvalue() == render_json(found, extra={"total": 40}) + "\n"
