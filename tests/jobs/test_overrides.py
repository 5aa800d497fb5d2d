"""Per-path and per-language settings, applied to findings; the later table wins."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym.cli.app import app
from canonym.jobs.lint import Finding
from canonym.jobs.overrides import Override, apply_overrides
from canonym.jobs.rules import Severity

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"

CODES = {"non-canonical": "CN001", "mixed-spellings": "CN002", "corpus-variants": "CN003"}
DEFAULT = {"non-canonical": "warning", "mixed-spellings": "warning",
           "corpus-variants": "suggestion"}  # fmt: skip


def _f(rule: str, source: str, entity: str = "hezbollah") -> Finding:
    return Finding(rule, source, source, 1, 1, entity, "x", "y", "m", "c", source,
                   CODES[rule], DEFAULT[rule])  # fmt: skip


FINDINGS = [
    _f(rule, src)
    for src in ("wires/afp/a.txt", "opinion/b.md", "fr/c.txt")
    for rule in ("non-canonical", "mixed-spellings", "corpus-variants")
]
LANGS = {"fr/c.txt": "fr"}


def _kept(overrides: list[Override], **base: object) -> set[tuple[str, str, str]]:
    out = apply_overrides(FINDINGS, overrides, language_of=LANGS.get, **base)  # type: ignore[arg-type]
    return {(f.source.split("/")[0], CODES[f.rule], f.severity) for f in out}


def test_no_override_keeps_the_global_settings() -> None:
    kept = _kept([], rules={"non-canonical"}, min_severity=Severity.warning)
    assert kept == {("wires", "CN001", "warning"), ("opinion", "CN001", "warning"),
                    ("fr", "CN001", "warning")}  # fmt: skip


ALL_WIRES = {("wires", "CN001", "warning"), ("wires", "CN002", "warning"),
             ("wires", "CN003", "suggestion")}  # fmt: skip


@pytest.mark.parametrize(
    ("table", "folder", "expected"),
    [
        ({"paths": ["wires/**"], "ignore": ["CN001", "mixed-spellings"]}, "wires",
         {("wires", "CN003", "suggestion")}),
        ({"paths": ["wires/**"], "select": ["CN002"], "severity": {"CN002": "error"}}, "wires",
         {("wires", "CN002", "error")}),
        ({"paths": ["*.md"], "min-severity": "warning"}, "opinion",
         {("opinion", "CN001", "warning"), ("opinion", "CN002", "warning")}),
        ({"paths": ["wires/"], "ignore": ["hezbollah"]}, "wires", set()),
        ({"paths": ["elsewhere/**"], "ignore": ["CN001"]}, "wires", ALL_WIRES),
        ({"paths": ["*.md"], "min-severity": "warning"}, "wires", ALL_WIRES),
    ],
)  # fmt: skip
def test_a_per_path_table(
    table: dict[str, object], folder: str, expected: set[tuple[str, ...]]
) -> None:
    assert {k for k in _kept([Override.from_table(table)]) if k[0] == folder} == expected


def test_per_language_then_per_path_and_a_rule_the_global_settings_leave_off() -> None:
    overrides = [
        Override.from_table({"select": ["CN003"], "severity": {"CN003": "error"}}, language="fr"),
        Override.from_table({"paths": ["fr/**"], "severity": {"CN003": "warning"}}),
    ]
    kept = {k for k in _kept(overrides, rules={"non-canonical"}) if k[0] == "fr"}
    assert kept == {("fr", "CN003", "warning")}  # the path table came later: it wins


runner = CliRunner()
G = ["--no-bundled", "-g", str(MINI), "--jobs", "1"]


def test_check_applies_per_path_and_per_language_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "wires/a.txt": "Hisbollah spoke. Then Hezbollah did.\n",
        "opinion/b.txt": "Hisbollah spoke. Then Hezbollah did.\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.canonym]\nselect = ["CN001", "CN002"]\n\n'
        '[[tool.canonym.per-path]]\npaths = ["wires/**"]\nignore = ["CN001"]\n'
        'severity = {CN002 = "error"}\n\n'
        '[tool.canonym.per-language.en]\nmin-severity = "error"\n'
        '[tool.canonym.per-language.en.severity]\nCN001 = "error"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["check", "wires", "opinion", *G, "--format", "json"])
    assert r.exit_code == 1, r.output
    got = {(f["source"].split("/")[0], f["code"], f["severity"])
           for f in json.loads(r.stdout)["findings"]}  # fmt: skip
    # English copy: CN001 is an error and only errors count; under wires/, the path
    # table (applied after the language's) drops CN001 and makes CN002 an error.
    assert got == {("wires", "CN002", "error"), ("opinion", "CN001", "error")}
    shown = runner.invoke(app, ["config", "show"]).stdout
    assert 'per-path[0] = {"paths": ["wires/**"]' in shown
    assert f"# {tmp_path / 'pyproject.toml'}:4" in shown
    assert "per-language.en = " in shown and f"{tmp_path / 'pyproject.toml'}:9" in shown


def test_fix_leaves_alone_the_entities_a_path_ignores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for rel in ("wires/a.txt", "desk/b.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("Hisbollah met in Mossoul.\n", encoding="utf-8")
    (tmp_path / ".canonym.toml").write_text(
        '[[per-path]]\npaths = ["wires/"]\nignore = ["hezbollah"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["check", "wires", "desk", "--fix", *G])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "wires/a.txt").read_text(encoding="utf-8") == "Hisbollah met in Mosul.\n"
    assert (tmp_path / "desk/b.txt").read_text(encoding="utf-8") == "Hezbollah met in Mosul.\n"
