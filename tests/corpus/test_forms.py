"""``forms`` for check: whose spellings are canonical, for the run, a path or a language."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym.cli.app import app
from canonym.corpus.forms import FormsPlan, FormsRule, plan_from

runner = CliRunner()
FRENCH = "Les États-Unis ont annoncé hier une nouvelle aide pour le pays.\n"


def _desk(tmp_path: Path, config: str) -> None:
    for rel in ("fr/a.txt", "wires/b.txt"):  # the same text at two paths
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(FRENCH, encoding="utf-8")
    (tmp_path / ".canonym.toml").write_text(config, encoding="utf-8")


def _non_canonical(*args: str) -> dict[str, str]:
    r = runner.invoke(app, ["check", "fr", "wires", "--format", "json", "--jobs", "1", *args])
    assert r.exit_code in (0, 1), r.output
    found = json.loads(r.stdout)["findings"]
    return {f["source"]: f["canonical"] for f in found if f["code"] == "CN001"}


@pytest.mark.parametrize(
    ("config", "args", "expected"),
    [
        ("", [], {}),  # French copy keeps the French form
        ("", ["--forms", "en"], {"fr/a.txt": "United States", "wires/b.txt": "United States"}),
        ('forms = "en"\n', [], {"fr/a.txt": "United States", "wires/b.txt": "United States"}),
        ('[[per-path]]\npaths = ["wires/**"]\nforms = "en"\n', [],
         {"wires/b.txt": "United States"}),
        ('[per-language.fr]\nforms = "en"\n[[per-path]]\npaths = ["fr/"]\nforms = "auto"\n', [],
         {"wires/b.txt": "United States"}),
    ],
)  # fmt: skip
def test_forms_choose_what_is_canonical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, args: list[str],
    expected: dict[str, str],
) -> None:  # fmt: skip
    _desk(tmp_path, config)
    monkeypatch.chdir(tmp_path)
    assert _non_canonical(*args) == expected


def test_fix_writes_the_forms_the_path_was_held_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _desk(tmp_path, '[[per-path]]\npaths = ["wires/**"]\nforms = "en"\n')
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["check", "fr", "wires", "--fix", "--jobs", "1"])
    assert r.exit_code == 0, r.output
    assert (
        (tmp_path / "wires" / "b.txt")
        .read_text(encoding="utf-8")
        .startswith("Les United States ont")
    )
    assert (tmp_path / "fr" / "a.txt").read_text(encoding="utf-8") == FRENCH


def test_a_database_built_with_other_forms_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _desk(tmp_path, "")
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "news.db")
    assert runner.invoke(app, ["check", "fr", "--db", db, "--jobs", "1"]).exit_code == 0
    r = runner.invoke(app, ["check", "fr", "--db", db, "--jobs", "1", "--forms", "en"])
    assert r.exit_code == 2 and "--rebuild" in r.stderr


def test_language_rules_come_before_path_rules() -> None:
    plan = plan_from("auto", [FormsRule("de", paths=("x/*",)), FormsRule("en", language="fr")])
    assert [r.paths for r in plan.rules] == [(), ("x/*",)]
    assert plan.by_path("x/a.txt", None) == "de" and plan.by_path("y/a.txt", None) is None
    assert plan.forms_for(FRENCH, None) == "en" and plan.forms_for(FRENCH, "de") == "de"
    assert FormsPlan().trivial and not plan.trivial


@pytest.mark.parametrize("command", ["check", "normalize"])
@pytest.mark.parametrize("code", ["english", "zz"])
def test_forms_on_the_command_line_is_checked(tmp_path: Path, command: str, code: str) -> None:
    (tmp_path / "a.txt").write_text(FRENCH, encoding="utf-8")
    target = str(tmp_path if command == "check" else tmp_path / "a.txt")
    r = runner.invoke(
        app, [command, target, "--forms", code, "--isolated"][: 4 + (command == "check")]
    )
    # A usage error that says what may be given instead, not a run that writes no form.
    assert r.exit_code == 2 and not r.stdout
    assert f"unknown forms '{code}'" in r.stderr and "auto" in r.stderr and "fr, de" in r.stderr


def test_a_known_code_in_capitals_is_taken(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FRENCH, encoding="utf-8")
    r = runner.invoke(app, ["normalize", str(tmp_path / "a.txt"), "--forms", "EN"])
    assert r.exit_code == 0 and r.stdout.startswith("Les United States")
