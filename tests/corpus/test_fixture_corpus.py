"""The fixture corpus (36 articles, five languages, deliberate spelling drift) end to end."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym.cli.app import app

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
runner = CliRunner()


@pytest.fixture(scope="module")
def findings() -> list[dict[str, object]]:
    r = runner.invoke(app, ["check", str(CORPUS), "--format", "json", "--jobs", "2"])
    assert r.exit_code == 1, r.output
    return json.loads(r.stdout)["findings"]  # type: ignore[no-any-return]


def test_drift_inside_one_article_is_found(findings: list[dict[str, object]]) -> None:
    mixed = {(Path(str(f["source"])).stem, f["entity_id"]) for f in findings
             if f["rule"] == "mixed-spellings"}  # fmt: skip
    assert ("en-09-hachd-mossoul-checkpoints", "popular-mobilization-forces") in mixed
    assert ("en-13-basrah-power-protests", "mohammed-shia-al-sudani") in mixed
    assert ("en-14-soleimani-anniversary", "kataib-hezbollah") in mixed


def test_corpus_wide_variants_counted(findings: list[dict[str, object]]) -> None:
    wide = {f["entity_id"]: f["message"] for f in findings if f["rule"] == "corpus-variants"}
    assert "Hachd al-Chaabi" in str(wide["popular-mobilization-forces"])
    # German copy writes the German form, which is canonical there, not a variant.
    assert "Haschd al-Schaabi" not in str(wide["popular-mobilization-forces"])
    assert "Hodeïda" in str(wide["hodeidah"]) and "Hudaydah" in str(wide["hodeidah"])


def test_the_corpus_readme_is_not_linted(findings: list[dict[str, object]]) -> None:
    assert findings and not any(Path(str(f["source"])).name == "README.md" for f in findings)


def test_non_canonical_spellings_point_at_their_place(findings: list[dict[str, object]]) -> None:
    hits = [f for f in findings if f["rule"] == "non-canonical" and f["surface"] == "Moqtada Sadr"]
    assert hits and all(f["canonical"] == "Muqtada al-Sadr" for f in hits)
    for f in hits:
        text = Path(str(f["source"])).read_text(encoding="utf-8").splitlines()
        line = text[int(str(f["line"])) - 1]
        col = int(str(f["col"])) - 1
        assert line[col : col + len("Moqtada Sadr")] == "Moqtada Sadr"


def test_unknown_names_proposed_as_new_entities() -> None:
    r = runner.invoke(app, ["aliases", "build", str(CORPUS), "--format", "json", "--jobs", "1"])
    assert r.exit_code == 0, r.output
    proposals = json.loads(r.stdout)["proposals"]
    by_spelling = {s: p["id"] for p in proposals for s, _ in p["variants"]}
    group = {by_spelling.get(s) for s in ("Abu Sajjad al-Gharawi", "Abou Sajjad al-Gharaoui")}
    assert len(group) == 1 and None not in group
    saraya = {by_spelling.get(s) for s in ("Saraya Dhulfiqar al-Janub", "Saraya Zulfiqar al-Junub")}
    assert len(saraya) == 1 and None not in saraya


def test_json_lines_corpus_reports_the_malformed_line() -> None:
    r = runner.invoke(
        app,
        ["check", str(CORPUS / "articles.jsonl"), "--text-field", "body", "--format", "json",
         "--jobs", "1"],
    )  # fmt: skip
    assert r.exit_code == 1
    assert "articles.jsonl:7: invalid JSON" in r.stderr
    assert "12 analyzed" in r.stderr
