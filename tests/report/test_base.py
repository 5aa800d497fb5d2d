"""The registry of output formats: every format ``check`` offers is a reporter found by name."""

import io
import json

import pytest

from canonym.cli.check import CheckFormat
from canonym.jobs.lint import Finding
from canonym.report import ReportOptions, get_reporter, reporter_names


def finding() -> Finding:
    return Finding(
        "non-canonical", "doc", "a.txt", 1, 1, "mosul", "Mossoul", "Mosul", "m", "ctx", "a.txt"
    )


def test_check_offers_exactly_the_registered_formats() -> None:
    assert {f.value for f in CheckFormat} == set(reporter_names())


def test_a_reporter_is_looked_up_by_name() -> None:
    out = io.StringIO()
    get_reporter("json", ReportOptions(total=lambda: 7)).write([finding()], out)
    doc = json.loads(out.getvalue())
    assert doc["total"] == 7 and doc["findings"][0]["entity_id"] == "mosul"


def test_text_notes_when_findings_were_cut_short() -> None:
    out = io.StringIO()
    get_reporter("text", ReportOptions(max_findings=1, total=lambda: 3)).write([finding()], out)
    assert out.getvalue().endswith("(showing 1 of 3)\n")


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="sarif"):
        get_reporter("pdf")
