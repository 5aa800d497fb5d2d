"""A new user's first loop: build a patch, merge it into their own file, use it."""

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from canonym import Gazetteer
from canonym.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_patch_merged_into_a_new_file_loads_with_the_bundled_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    corpus = str(ROOT / "fixtures" / "corpus")
    r = run("aliases", "build", corpus, "--format", "patch", "-o", "patch.yaml")
    assert r.exit_code == 0, r.output
    # The patch proposes new aliases for bundled entities (as `id:` entries) ...
    bundled = Gazetteer.default()
    entries = yaml.safe_load(Path("patch.yaml").read_text(encoding="utf-8"))["entities"]
    known = [e for e in entries if e["id"] in bundled and e.get("aliases")]
    assert known, "the fixture corpus yields no new alias of a bundled entity"
    eid, form = known[0]["id"], known[0]["aliases"][0]
    assert bundled.link(form) is None or bundled.link(form).method != "alias"  # type: ignore[union-attr]
    r = run("gazetteer", "merge", "patch.yaml", "my-names.yaml")
    assert r.exit_code == 0, r.output
    # ... which merge writes as overlays of them, never as a second definition.
    mine = Path("my-names.yaml").read_text(encoding="utf-8")
    assert f"- extend: {eid}" in mine and f"id: {eid}" not in mine
    r = run("gazetteer", "validate", "my-names.yaml", "--strict")
    assert r.exit_code == 0, r.output
    sample = tmp_path / "sample.txt"
    sample.write_text(f"Le texte cite {form} ici.\n", encoding="utf-8")
    r = run("normalize", str(sample), "-g", "my-names.yaml", "--format", "json")
    assert r.exit_code == 0, r.output
    assert eid in {m["entity_id"] for m in json.loads(r.stdout)["mentions"]}
    r = run("gazetteer", "search", form, "-g", "my-names.yaml", "--format", "json")
    best = json.loads(r.stdout)["candidates"][0]
    assert (best["id"], best["method"], best["matched"]) == (eid, "alias", form)
    r = run("check", corpus, "-g", "my-names.yaml", "--format", "json")
    assert r.exit_code in (0, 1), r.output


def test_validate_names_the_layer_of_each_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = tmp_path / "env.yaml"
    env.write_text("entities:\n  - {id: hezbollah, name: Hezbollah, type: other}\n")
    given = tmp_path / "given.yaml"
    given.write_text("entities:\n  - extend: nowhere\n    aliases: [Nowhere]\n")
    monkeypatch.setenv("CANONYM_GAZETTEERS", str(env))
    r = run("gazetteer", "validate", str(given), "--format", "json")
    assert r.exit_code == 1
    found = {(p["file"], p["layer"], p["severity"]) for p in json.loads(r.stdout)["problems"]}
    assert (str(env), "environment", "error") in found  # duplicate of the bundled id
    assert (str(given), "file given", "error") in found  # overlay of an unknown id


def test_merge_never_writes_the_bundled_files(tmp_path: Path) -> None:
    patch = tmp_path / "patch.yaml"
    patch.write_text("entities:\n  - {id: hezbollah, name: Hezbollah, type: organization, "
                     "aliases: [Hezbollah]}\n")  # fmt: skip
    target = tmp_path / "mine.yaml"
    r = run("gazetteer", "merge", str(patch), str(target))
    # Nothing new: no overlay with nothing in it is written.
    assert r.exit_code == 0 and "1 entries had nothing new" in r.stderr
    assert not target.exists()
