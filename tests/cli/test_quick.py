"""The quick path of ``canonym normalize FILE`` answers as the typer command does.

It runs a plain command line without building the typer application; whatever it
is not sure of is left to typer, so the two must never differ on what it takes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym.cli.quick import parse_quick, run_quick
from canonym.cli.root import app

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
MINI = ["--no-bundled", "-g", str(DATA / "mini.yaml")]
ARTICLE = str(ROOT / "fixtures" / "articles" / "fr_report.txt")


def quick(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = 0
    try:
        assert run_quick(argv)
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["-f", "json"],
        ["--format", "json", "--translate", "never", "--no-fuzzy"],
        ["--forms", "EN", "--accept", "0.95"],
        ["--forms", "xx"],  # not a language: exit 2, one line
        ["--lang", "fr", "--shield", "placeholder", "--translate", "never"],
        ["--encoding", "no-such-codec"],
    ],
)
def test_the_quick_path_writes_what_typer_writes(
    options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["normalize", ARTICLE, *options, *MINI]
    expected = CliRunner().invoke(app, argv)
    code, out, err = quick(argv, capsys)
    assert (code, out, err) == (expected.exit_code, expected.stdout, expected.stderr)


def test_a_missing_file_fails_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["normalize", str(tmp_path / "none.txt"), *MINI]
    expected = CliRunner().invoke(app, argv)
    assert quick(argv, capsys) == (2, "", expected.stderr)
    assert expected.exit_code == 2 and expected.stderr.count("\n") == 1


def test_the_output_file_is_written_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    CliRunner().invoke(app, ["normalize", ARTICLE, "-o", str(tmp_path / "typer.txt"), *MINI])
    assert quick(["normalize", ARTICLE, "-o", str(tmp_path / "quick.txt"), *MINI], capsys)[0] == 0
    assert (tmp_path / "quick.txt").read_bytes() == (tmp_path / "typer.txt").read_bytes()


@pytest.mark.parametrize(
    "argv",
    [
        ["normalize", "--help"],
        ["normalize"],
        ["normalize", "a.txt", "b.txt"],
        ["normalize", "a.txt", "--out-dir", "out"],
        ["normalize", "a.txt", "--format=json"],
        ["normalize", "a.txt", "-f", "JSON"],
        ["normalize", "a.txt", "--accept", "2"],
        ["normalize", "a.txt", "--accept", "nan"],
        ["normalize", "a.txt", "--accept", "1e0"],
        ["normalize", "a.txt", "-o"],
        ["normalize", "a.txt", "-o", "--no-fuzzy"],
        ["normalize", "a.txt", "--lang", ""],
        ["normalize", "a.txt", "--", "-x"],
        ["--debug", "normalize", "a.txt"],
        ["resolve", "Mossoul"],
    ],
)
def test_what_the_quick_path_is_not_sure_of_goes_to_typer(argv: list[str]) -> None:
    assert parse_quick(argv) is None


def test_the_version_is_typer_s(capsys: pytest.CaptureFixture[str]) -> None:
    expected = CliRunner().invoke(app, ["--version"])
    assert quick(["--version"], capsys) == (expected.exit_code, expected.stdout, "")


def test_completion_goes_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_CANONYM_COMPLETE", "bash_source")
    assert parse_quick(["normalize", "a.txt"]) is None


def test_options_are_read_as_typer_reads_them() -> None:
    found = parse_quick(
        ["normalize", "-", "-g", "a.yaml", "-o", "-", "--gazetteer", "b", "-f", "json"]
    )
    assert found == {
        "file": "-",
        "gazetteer": [Path("a.yaml"), Path("b")],
        "output": Path("-"),
        "fmt": "json",
    }


def test_normalizing_one_article_loads_no_command_line_framework() -> None:
    code = (
        "import sys; sys.argv = ['canonym', 'normalize', sys.argv[1], *sys.argv[2:]]\n"
        "from canonym.cli.app import main; main()\n"
        "heavy = {'typer', 'click', 'rich', 'pydantic', 'numpy'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    r = subprocess.run(
        [sys.executable, "-c", code, ARTICLE, *MINI], env=env, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    assert "Iraq" in r.stdout or "Irak" in r.stdout


def test_every_option_the_quick_path_reads_is_one_of_the_command() -> None:
    # An option renamed or removed in the typer command must not live on here.
    import typer.main

    from canonym.cli.quick import _FLAGS, _REPEATED, _VALUED

    command = typer.main.get_command(app).commands["normalize"]  # type: ignore[attr-defined]
    flags = {o for p in command.params if getattr(p, "is_flag", False) for o in p.opts}
    valued = {o for p in command.params if not getattr(p, "is_flag", False) for o in p.opts}
    repeated = {o for p in command.params if getattr(p, "multiple", False) for o in p.opts}
    assert set(_FLAGS) <= flags
    assert set(_VALUED) <= valued - repeated
    assert set(_REPEATED) <= repeated
