"""SARIF results as code-scanning tools use them: rules by code with their level and
help, end columns, the fix of a non-canonical spelling, and fingerprints that follow
a finding when the lines above it change."""

import json
from dataclasses import replace
from typing import Any

import pytest

from canonym.jobs.lint import Finding
from canonym.report.sarif import render_sarif

from .findings import finding


def run_of(*fs: Finding) -> dict[str, Any]:
    return dict(json.loads(render_sarif(list(fs)))["runs"][0])


def test_rules_are_named_by_code_with_level_and_help() -> None:
    rules = run_of()["tool"]["driver"]["rules"]
    assert [(r["id"], r["name"]) for r in rules] == [
        ("CN001", "non-canonical"), ("CN002", "mixed-spellings"), ("CN003", "corpus-variants"),
    ]  # fmt: skip
    levels = [r["defaultConfiguration"]["level"] for r in rules]
    assert levels == ["warning", "warning", "note"]
    assert all(r["shortDescription"]["text"] and r["help"]["text"] for r in rules)
    # The project has no web page of rules to point to.
    assert "helpUri" not in json.dumps(rules)


@pytest.mark.parametrize(
    ("severity", "level"), [("error", "error"), ("warning", "warning"), ("suggestion", "note")]
)
def test_result_level_follows_the_findings_severity(severity: str, level: str) -> None:
    result = run_of(finding(severity=severity))["results"][0]
    assert (result["ruleId"], result["ruleIndex"], result["level"]) == ("CN001", 0, level)


def test_region_has_the_end_and_the_fix_replaces_the_surface() -> None:
    result = run_of(finding())["results"][0]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 2, "startColumn": 7, "endLine": 2, "endColumn": 14}
    (change,) = result["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "news/a.txt", "uriBaseId": "%SRCROOT%"}
    (edit,) = change["replacements"]
    assert edit == {"deletedRegion": region, "insertedContent": {"text": "Mosul"}}


def test_no_fix_for_a_record_or_for_other_rules() -> None:
    record, mixed = run_of(finding("wire.jsonl:4", None), finding(rule="mixed-spellings"))[
        "results"
    ]
    assert "fixes" not in record and "fixes" not in mixed
    assert record["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}


def fingerprints(*fs: Finding) -> list[str]:
    return [r["partialFingerprints"]["canonym/v1"] for r in run_of(*fs)["results"]]


def test_fingerprint_ignores_line_numbers_but_not_what_the_finding_is() -> None:
    f = finding()
    moved = replace(f, line=40, end_line=40, col=1, end_col=8)
    assert fingerprints(f) == fingerprints(moved)
    others = [
        replace(f, surface="Mosoul"), replace(f, entity_id="iraq"), replace(f, doc_id="b.txt"),
        replace(f, context="…another sentence about Mossoul…"), replace(f, code="CN003"),
    ]  # fmt: skip
    assert len({*fingerprints(f), *(fingerprints(o)[0] for o in others)}) == 1 + len(others)


def test_identical_findings_are_told_apart_by_their_order() -> None:
    a, b = fingerprints(finding(), finding(line=9))
    assert a.split(":")[0] == b.split(":")[0] and (a[-2:], b[-2:]) == (":1", ":2")
