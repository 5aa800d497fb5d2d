"""``canonym check`` outputs on the command line: every format, --statistics, --exit-zero."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from canonym.cli.app import app

GAZETTEER = Path(__file__).resolve().parents[1] / "data" / "outputs.yaml"
runner = CliRunner()


def check(*args: str) -> Result:
    return runner.invoke(
        app, ["check", *args, "--isolated", "--no-bundled", "-g", str(GAZETTEER), "--jobs", "1"]
    )


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    root.mkdir()
    (root / "a.txt").write_text(
        "Envoys of Hisbollah met in Mosul on Tuesday, and Hizbollah said nothing.\n"
    )
    (root / "clean.txt").write_text("Hezbollah in Mosul, as the wire writes them.\n")
    return root


def test_statistics_follow_the_findings_in_text(corpus: Path) -> None:
    r = check(str(corpus), "--statistics")
    assert r.exit_code == 1, r.output
    lines = r.stdout.splitlines()
    at = lines.index("Statistics: 4 findings")
    assert lines[at - 1].startswith("4 findings")  # after the findings and their summary
    assert "    2  CN001  non-canonical" in lines[at:]
    assert "    4  hezbollah" in lines[at:]


def test_statistics_are_an_object_in_json(corpus: Path) -> None:
    r = check(str(corpus), "--statistics", "--format", "json", "--max-findings", "1")
    doc = json.loads(r.stdout)
    assert len(doc["findings"]) == 1  # shown; counted: all of them
    assert doc["statistics"] == {
        "total": 4, "rules": {"CN001": 2, "CN002": 1, "CN003": 1}, "entities": {"hezbollah": 4},
    }  # fmt: skip


def test_json_findings_carry_the_entitys_country_kind_and_coordinates(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_text("Envoys met in Mossoul, and Hizbollah said nothing.\n")
    doc = json.loads(check(str(tmp_path), "--format", "json").stdout)
    facts = {
        f["entity_id"]: tuple(f[k] for k in ("country", "kind", "lat", "lon"))
        for f in doc["findings"]
    }
    assert facts == {"mosul": ("IQ", "city", 36.335, 43.1189), "hezbollah": (None,) * 4}


def test_statistics_go_to_stderr_when_the_format_is_a_file_format(corpus: Path) -> None:
    r = check(str(corpus), "--statistics", "--format", "sarif")
    json.loads(r.stdout)  # still one SARIF document
    assert "Statistics: 4 findings" in r.stderr


def test_exit_zero_with_findings_but_not_with_unreadable_documents(corpus: Path) -> None:
    assert check(str(corpus), "--exit-zero").exit_code == 0
    (corpus / "bad.txt").write_bytes(b"\xff\xfe\x00\x00binary\x00")
    r = check(str(corpus), "--exit-zero")
    assert r.exit_code == 1 and "bad.txt" in r.output


def test_line_format(corpus: Path) -> None:
    r = check(str(corpus), "--format", "line")
    lines = r.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0] == f"{corpus}/a.txt:1:11: CN001 'Hisbollah' is not canonical; write 'Hezbollah'"


def test_github_format(corpus: Path) -> None:
    r = check(str(corpus), "--format", "github", "--select", "CN001")
    assert r.stdout.splitlines()[0].startswith(
        f"::warning file={corpus}/a.txt,line=1,col=11,endLine=1,endColumn=20,title=CN001::"
    )


def test_junit_format_lists_clean_documents_too(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "junit.xml"
    r = check(str(corpus), "--format", "junit", "-o", str(out))
    assert r.exit_code == 1
    cases = {c.get("name"): c for c in ET.parse(out).iter("testcase")}
    assert set(cases) == {f"{corpus}/a.txt", f"{corpus}/clean.txt"}
    assert len(cases[f"{corpus}/a.txt"].findall("failure")) == 4
    assert cases[f"{corpus}/clean.txt"].findall("failure") == []


def test_junit_reports_an_unreadable_document_as_an_error(corpus: Path, tmp_path: Path) -> None:
    (corpus / "bad.txt").write_bytes(b"\xff\xfe\x00\x00binary\x00")
    out = tmp_path / "junit.xml"
    assert check(str(corpus), "--format", "junit", "-o", str(out)).exit_code == 1
    (case,) = [c for c in ET.parse(out).iter("testcase") if c.find("error") is not None]
    assert case.get("name") == f"{corpus}/bad.txt"
