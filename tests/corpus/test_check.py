"""``canonym check``: findings, exit codes, formats, --fix."""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym.cli.app import app

from .conftest import ARTICLES, MINI

runner = CliRunner()
G = ["--no-bundled", "-g", str(MINI), "--jobs", "1"]


def check(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["check", *args, *G])


def test_findings_name_document_line_column_and_rule(corpus_dir: Path) -> None:
    r = check(str(corpus_dir), "--format", "json")
    assert r.exit_code == 1
    findings = json.loads(r.stdout)["findings"]
    first = findings[0]
    assert (first["source"].endswith("a/one.txt"), first["line"], first["col"]) == (True, 1, 1)
    assert (first["rule"], first["surface"], first["canonical"]) == (
        "non-canonical",
        "Hachd al-Chaabi",
        "Hashd al-Shaabi",
    )
    rules = {f["rule"] for f in findings}
    assert rules == {"non-canonical", "mixed-spellings", "corpus-variants"}
    mixed = [f for f in findings if f["rule"] == "mixed-spellings"]
    assert {f["entity_id"] for f in mixed} == {"popular-mobilization-forces", "hezbollah"}
    pmf = next(f for f in mixed if f["entity_id"] == "popular-mobilization-forces")
    assert "Hachd al-Chaabi (1)" in pmf["message"] and "Hashd al-Shaabi (1)" in pmf["message"]


def test_clean_corpus_exits_0(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "ok.txt").write_text("Hashd al-Shaabi in Mosul, Iraq.\n")
    r = check(str(tmp_path / "c"))
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == "0 findings"


def test_missing_corpus_exits_2(tmp_path: Path) -> None:
    r = check(str(tmp_path / "nope"))
    assert r.exit_code == 2 and "no such file or directory" in r.stderr


def test_ignore_and_max_findings(corpus_dir: Path) -> None:
    r = check(str(corpus_dir), "--format", "json", "--ignore", "popular-mobilization-forces")
    ids = {f["entity_id"] for f in json.loads(r.stdout)["findings"]}
    assert "popular-mobilization-forces" not in ids and ids
    r = check(str(corpus_dir), "--format", "json", "--max-findings", "2")
    d = json.loads(r.stdout)
    assert len(d["findings"]) == 2 and d["total"] > 2 and r.exit_code == 1


def test_sarif_output(corpus_dir: Path) -> None:
    r = check(str(corpus_dir), "--format", "sarif")
    sarif = json.loads(r.stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = {rule["id"]: rule["name"] for rule in run["tool"]["driver"]["rules"]}
    assert rules == {
        "CN001": "non-canonical",
        "CN002": "mixed-spellings",
        "CN003": "corpus-variants",
    }
    loc = run["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("a/one.txt")
    end = 1 + len("Hachd al-Chaabi")
    assert loc["region"] == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": end}


def test_html_escapes_document_text(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x.txt").write_text("<script>alert(1)</script> Hachd al-Chaabi & Mossoul\n")
    out = tmp_path / "report.html"
    r = check(str(tmp_path / "c"), "--format", "html", "-o", str(out))
    assert r.exit_code == 1
    page = out.read_text(encoding="utf-8")
    # The page's own script runs; the document's is text.
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page
    assert "Hachd al-Chaabi" in page and "<mark>Mossoul</mark>" in page


def test_fix_dry_run_shows_diff_and_fix_rewrites(corpus_dir: Path) -> None:
    one = corpus_dir / "a" / "one.txt"
    before = one.read_text(encoding="utf-8")
    r = check(str(corpus_dir), "--fix", "--dry-run")
    assert "-Hachd al-Chaabi fighters near Kirkuk." in r.stdout
    assert "+Hashd al-Shaabi fighters near Kirkuk." in r.stdout
    assert one.read_text(encoding="utf-8") == before
    r = check(str(corpus_dir), "--fix", "--ignore", "mosul")
    assert r.exit_code == 0, r.output
    assert one.read_text(encoding="utf-8").startswith("Hashd al-Shaabi fighters near Kirkuk.")
    assert "Mossoul" in (corpus_dir / "a" / "two.txt").read_text(encoding="utf-8")
    again = check(str(corpus_dir), "--format", "json", "--ignore", "mosul")
    rules = {f["rule"] for f in json.loads(again.stdout)["findings"]}
    assert "non-canonical" not in rules


def test_check_reports_and_fixes_only_the_corpus_it_was_given(
    corpus_dir: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "c.db")
    assert check(str(corpus_dir), "--db", db).exit_code == 1
    stored_first = {p: p.read_text(encoding="utf-8") for p in corpus_dir.rglob("*.*")}
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.txt").write_text("Hisbollah in Mossoul.\n", encoding="utf-8")
    (other / "same.txt").write_text(ARTICLES["a/two.txt"], encoding="utf-8")  # stored already
    (other / "gone.txt").write_text("Hachd al-Chaabi in Kirkuk.\n", encoding="utf-8")
    r = check(str(other), "--db", db, "--format", "json")
    sources = {Path(f["source"]) for f in json.loads(r.stdout)["findings"]}
    assert sources == {other / "x.txt", other / "same.txt", other / "gone.txt"}
    (other / "gone.txt").unlink()
    r = check(str(other), "--db", db, "--fix")
    assert r.exit_code == 0, r.output
    assert "changed 2 files" in r.stderr
    assert {p: p.read_text(encoding="utf-8") for p in corpus_dir.rglob("*.*")} == stored_first
    assert (other / "x.txt").read_text(encoding="utf-8") == "Hezbollah in Mosul.\n"
    assert not (other / "gone.txt").exists()


def test_check_refuses_a_database_built_with_another_gazetteer(
    corpus_dir: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "c.db")
    extra = tmp_path / "extra.yaml"
    extra.write_text("entities:\n  - {id: zubaidi, name: Abu Haidar al-Zubaidi, type: person}\n")
    first = check(str(corpus_dir), "--db", db, "--format", "json")
    assert first.exit_code == 1
    for other in (["-g", str(extra)], ["--accept", "0.99"]):
        r = check(str(corpus_dir), "--db", db, "--format", "json", *other)
        assert r.exit_code == 2 and r.stdout == ""
        assert r.stderr.count("\n") == 1 and "--rebuild" in r.stderr and db in r.stderr
    same = check(str(corpus_dir), "--db", db, "--format", "json")
    assert same.stdout == first.stdout
    r = check(str(corpus_dir), "--db", db, "--format", "json", "-g", str(extra), "--rebuild")
    assert r.exit_code == 1
    assert "zubaidi" in {f["entity_id"] for f in json.loads(r.stdout)["findings"]}


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (Debian: chromium)")
def test_html_report_renders_in_headless_chromium(corpus_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    check(str(corpus_dir), "--format", "html", "-o", str(out))
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run(
            [
                str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", "--dump-dom", out.as_uri(),
            ],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    assert '<table id="findings">' in dom and "non-canonical" in dom
    assert "Hachd al-Chaabi" in dom and "Hashd al-Shaabi" in dom


def test_sarif_columns_after_an_astral_character(tmp_path: Path) -> None:
    """Code points, as the run declares: U+1D54F is one column, not two UTF-16 units."""
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x.txt").write_text("\U0001d54f \U0001f600 Hachd al-Chaabi\n")
    run = json.loads(check(str(tmp_path / "c"), "--format", "sarif").stdout)["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 5, "endLine": 1, "endColumn": 20}


def test_sarif_for_a_json_lines_corpus_names_the_file_and_record_line(tmp_path: Path) -> None:
    corpus = tmp_path / "wire feed.jsonl"
    corpus.write_text(
        '{"id": "a", "text": "Hashd al-Shaabi in Mosul."}\n\n'
        '{"id": "b", "text": "Quiet day.\\nHachd al-Chaabi fighters."}\n',
        encoding="utf-8",
    )
    run = json.loads(check(str(corpus), "--format", "sarif").stdout)["runs"][0]
    result = next(r for r in run["results"] if r["ruleId"] == "CN001")
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == corpus.as_uri()
    assert loc["region"] == {"startLine": 3}
    assert (result["properties"]["textLine"], result["properties"]["textColumn"]) == (2, 1)
