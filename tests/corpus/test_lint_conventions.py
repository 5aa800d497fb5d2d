"""``canonym check`` as teams adopt a linter: settings files, rule codes, suppression."""

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from canonym.cli.app import app

from .conftest import MINI

runner = CliRunner()
G = ["--no-bundled", "-g", str(MINI), "--jobs", "1"]


def _corpus(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "c"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _json(*args: str) -> list[dict[str, object]]:
    r = runner.invoke(app, ["check", *args, *G, "--format", "json", "--isolated"])
    assert r.exit_code in (0, 1), r.output
    return list(json.loads(r.stdout)["findings"])


def test_corpus_variants_sits_on_the_variant_and_counts_what_it_lists(tmp_path: Path) -> None:
    root = _corpus(tmp_path, {
        "a.txt": "Hezbollah met in Mosul.\n",
        "b.txt": "Clean copy.\nThen HEZBOLLAH and Hisbollah spoke.\n",
        "c.txt": "Hizbollah again.\n",
    })  # fmt: skip
    wide = [f for f in _json(str(root)) if f["rule"] == "corpus-variants"]
    assert len(wide) == 1
    f = wide[0]
    assert str(f["source"]).endswith("b.txt") and f["surface"] == "Hisbollah"
    assert (f["code"], f["severity"]) == ("CN003", "suggestion")
    m = re.search(r"spelled (\d+) ways across the corpus: (.*)", str(f["message"]))
    assert m and int(m.group(1)) == len(m.group(2).split(", ")) == 3


def test_findings_in_position_order_and_one_line_messages(tmp_path: Path) -> None:
    root = _corpus(tmp_path, {"a.txt": "Hizbollah here.\nHezbollah, then Hachd\nal-Chaabi.\n",
                              "b.txt": "Hashd al-Shaabi.\n"})  # fmt: skip
    found = [f for f in _json(str(root)) if str(f["source"]).endswith("a.txt")]
    places = [(f["line"], f["col"]) for f in found]
    assert places == sorted(places) and len(found) >= 3
    assert all("\n" not in str(f["message"]) for f in found)


def test_select_ignore_and_min_severity_by_code_or_name(tmp_path: Path) -> None:
    root = _corpus(tmp_path, {"a.txt": "Hezbollah and Hisbollah.\n", "b.txt": "Hizbollah.\n"})
    assert {f["rule"] for f in _json(str(root), "--select", "CN001")} == {"non-canonical"}
    rules = {f["rule"] for f in _json(str(root), "--ignore", "mixed-spellings")}
    assert rules == {"non-canonical", "corpus-variants"}
    assert "corpus-variants" not in {
        f["rule"] for f in _json(str(root), "--min-severity", "warning")
    }


def test_suppression_comments_are_honoured_and_counted(tmp_path: Path) -> None:
    root = _corpus(tmp_path, {"a.md": (
        "Hisbollah one.\n<!-- canonym: off -->\nHisbollah two.\n<!-- canonym: on -->\n"
        "Hisbollah three. <!-- canonym: ignore[CN001] -->\nHisbollah four.\n"
    )})  # fmt: skip
    r = runner.invoke(app, ["check", str(root), *G, "--format", "json", "--isolated",
                            "--select", "CN001"])  # fmt: skip
    lines = [f["line"] for f in json.loads(r.stdout)["findings"]]
    assert lines == [1, 6]
    assert "2 findings suppressed" in r.stderr


def test_settings_file_and_its_errors(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = _corpus(tmp_path, {"a.txt": "Hezbollah and Hisbollah.\n"})
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".canonym.toml").write_text('select = ["CN002"]\nformat = "json"\n')
    r = runner.invoke(app, ["check", str(root), *G])
    assert {f["rule"] for f in json.loads(r.stdout)["findings"]} == {"mixed-spellings"}
    r = runner.invoke(app, ["config", "show", "--format", "json"])
    shown = json.loads(r.stdout)
    assert shown["select"] == {"value": ["CN002"], "source": str(tmp_path / ".canonym.toml")}
    (tmp_path / ".canonym.toml").write_text('min-severity = "fatal"\n')
    r = runner.invoke(app, ["check", str(root), *G])
    assert r.exit_code == 2 and ".canonym.toml:1: min-severity: unknown severity" in r.stderr


def test_detect_prints_each_paragraph_language(tmp_path: Path) -> None:
    p = tmp_path / "d.txt"
    p.write_text("The fighters were seen near the city today.\n\n"
                 "Les combattants ont été vus près de la ville hier.\n")  # fmt: skip
    r = runner.invoke(app, ["detect", str(p), "--format", "json"])
    got = [(d["line"], d["lang"]) for d in json.loads(r.stdout)]
    assert got == [(1, "en"), (3, "fr")]
