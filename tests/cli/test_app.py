"""The command line: output formats, piping, exit codes and error messages."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym.cli.app import app
from canonym.match.calibrate import FEATURES

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = ["--no-bundled", "-g", str(DATA / "mini.yaml")]
runner = CliRunner()


def run(*args: str, input: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def test_normalize_file_to_stdout(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Mohamed Chia al-Soudani visited Mossoul.\n", encoding="utf-8")
    r = run("normalize", str(f), *MINI)
    assert r.exit_code == 0
    assert r.stdout == "Mohammed Shia al-Sudani visited Mosul.\n"


def test_normalize_stdin_json() -> None:
    r = run("normalize", "-", "--format", "json", *MINI, input="Hachd al-Chaabi and Tripoli")
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert d["file"] == "<stdin>"
    assert d["text"] == "Hashd al-Shaabi and Tripoli"
    assert d["mentions"][0]["entity_id"] == "popular-mobilization-forces"
    assert d["ambiguous"][0]["surface"] == "Tripoli"


def test_normalize_output_file(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    r = run("normalize", "-", "-o", str(out), *MINI, input="Irak")
    assert r.exit_code == 0 and r.stdout == ""
    assert out.read_text(encoding="utf-8") == "Iraq"


def test_empty_input_is_fine() -> None:
    r = run("normalize", "-", *MINI, input="")
    assert r.exit_code == 0 and r.stdout == ""


def test_missing_file_exit_2() -> None:
    r = run("normalize", "/no/such/file.txt", *MINI)
    assert r.exit_code == 2
    assert "no such file" in r.stderr


def test_binary_file_refused(tmp_path: Path) -> None:
    f = tmp_path / "x.bin"
    f.write_bytes(b"PK\x03\x04\x00\x00binary")
    r = run("normalize", str(f), *MINI)
    assert r.exit_code == 2 and "looks binary" in r.stderr


def test_windows_1256_file_explained_then_read(tmp_path: Path) -> None:
    f = tmp_path / "ar.txt"
    f.write_bytes("Statement:\nالحشد الشعبي في كركوك\n".encode("cp1256"))
    r = run("normalize", str(f), *MINI)
    assert r.exit_code == 2
    assert f"{f}:2: not valid UTF-8" in r.stderr and "--encoding cp1256" in r.stderr
    r = run("normalize", str(f), "--encoding", "cp1256", "--format", "json", *MINI)
    assert r.exit_code == 0
    ids = {m["entity_id"] for m in json.loads(r.stdout)["mentions"]}
    assert ids == {"popular-mobilization-forces", "kirkuk"}


def test_latin1_file_explained(tmp_path: Path) -> None:
    f = tmp_path / "fr.txt"
    f.write_bytes("Frappe à Mossoul, été.\n".encode("latin-1"))
    r = run("normalize", str(f), *MINI)
    assert r.exit_code == 2 and "--encoding cp1252" in r.stderr


def test_invalid_gazetteer_exit_2(tmp_path: Path) -> None:
    g = tmp_path / "bad.yaml"
    g.write_text("entities:\n  - id: x\n    name: X\n", encoding="utf-8")
    r = run("resolve", "X", "--no-bundled", "-g", str(g))
    assert r.exit_code == 2
    assert f"{g}:2: error [x]: missing required field 'type'" in r.stderr


def test_resolve_text_and_json() -> None:
    r = run("resolve", "Mohamed Chia al-Soudani", *MINI)
    assert r.exit_code == 0
    assert r.stdout.startswith("1. Mohammed Shia al-Sudani  [mohammed-shia-al-sudani, person]")
    r = run("resolve", "Barzani", "--top", "1", "--format", "json", *MINI)
    d = json.loads(r.stdout)
    assert len(d["candidates"]) == 1 and d["candidates"][0]["method"] == "key"


def test_resolve_nothing_close_exit_1() -> None:
    r = run("resolve", "Quetzalcoatl", *MINI)
    assert r.exit_code == 1 and "no entity is close enough" in r.stderr


def test_accept_raises_the_bar_for_resolve_and_normalize() -> None:
    assert run("resolve", "Mossoule", *MINI).exit_code == 0
    r = run("resolve", "Mossoule", "--accept", "0.95", *MINI)
    assert r.exit_code == 1 and "no entity is close enough" in r.stderr
    assert run("resolve", "Mossoul", "--accept", "1.0", *MINI).exit_code == 0  # a listed alias
    text = "Talks with Mohamad Shiya al-Soudany began."
    expected = "Talks with Mohammed Shia al-Sudani began."
    assert run("normalize", "-", *MINI, input=text).stdout == expected
    assert run("normalize", "-", "--accept", "0.95", *MINI, input=text).stdout == text
    r = run("resolve", "Mossoule", "--accept", "0.2", *MINI)
    assert r.exit_code == 2 and "--accept" in r.stderr


def test_usage_error_exit_2() -> None:
    assert run("resolve", "x", "--top", "0", *MINI).exit_code == 2
    assert run("normalize").exit_code == 2


def test_console_script_pipes(tmp_path: Path) -> None:
    """The installed entry point reads stdin and writes stdout like any filter."""
    proc = subprocess.run(
        [sys.executable, "-m", "canonym.cli.app", "normalize", "-", *MINI],
        input=b"Hachd al-Chaabi",
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == "Hashd al-Shaabi"


@pytest.mark.parametrize("cmd", [[], ["normalize"], ["resolve"]])
def test_help_teaches(cmd: list[str]) -> None:
    r = run(*cmd, "--help")
    assert r.exit_code == 0
    assert "Usage" in r.stdout


def test_version() -> None:
    from canonym import __version__

    r = run("--version")
    assert r.exit_code == 0 and r.stdout == f"canonym {__version__}\n"


def test_shell_completion_is_offered() -> None:
    r = run("--help")
    assert "--install-completion" in r.stdout and "--show-completion" in r.stdout


def _check_on_a_terminal(tmp_path: Path, no_color: bool) -> bytes:
    """``canonym check``'s report as a terminal receives it (through a pseudo-terminal)."""
    import os
    import pty

    news = tmp_path / "news"
    news.mkdir(exist_ok=True)
    (news / "a.txt").write_text("Strikes near Mossoul and Mosul.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src")
    if no_color:
        env["NO_COLOR"] = "1"
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "canonym.cli.app", "check", str(news), *MINI],
            stdout=follower, stderr=subprocess.DEVNULL, env=env, timeout=120,
        )  # fmt: skip
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    assert proc.returncode == 1  # findings
    return b"".join(chunks)


def test_no_color_keeps_the_terminal_report_plain(tmp_path: Path) -> None:
    assert b"\x1b[" in _check_on_a_terminal(tmp_path, no_color=False)
    plain = _check_on_a_terminal(tmp_path, no_color=True)
    assert b"\x1b[" not in plain and b"Mossoul" in plain


def test_normalize_json_reports_languages_without_translating() -> None:
    text = (
        "Les États-Unis ont condamné l'attaque contre le port, a déclaré le ministère.\n\n"
        "The United States condemned the attack on the port, the ministry said.\n"
    )
    r = run("normalize", "-", "--format", "json", "--translate", "never", input=text)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert [p["lang"] for p in doc["paragraphs"]] == ["fr", "en"]
    assert not any(p["translated"] for p in doc["paragraphs"])
    assert doc["text"] == text  # detection alone changes nothing


HOMONYMS = ["--no-bundled", "-g", str(DATA / "homonyms.yaml")]


def test_resolve_context_ranks_homonyms_and_explain_says_why(tmp_path: Path) -> None:
    r = run("resolve", "تبوك", "--explain", *HOMONYMS)
    assert r.exit_code == 0
    assert "not linked: tie with Tabuk [tabuk-" in r.stdout
    r = run("resolve", "تبوك", "--context", "Traffic in Manila was heavy.", "--explain", *HOMONYMS)
    assert r.stdout.startswith("1. Tabuk  [tabuk-ph, place]")
    assert "linked: alias match" in r.stdout
    assert "chosen by context: in PH, a country of the context" in r.stdout
    assert "runner-up: Tabuk [tabuk-sa]" in r.stdout
    f = tmp_path / "article.txt"
    f.write_text("Flights from Riyadh resumed on Monday.\n", encoding="utf-8")
    r = run("resolve", "Tabouk", "--context-file", str(f), "--explain", "-f", "json", *HOMONYMS)
    d = json.loads(r.stdout)
    assert d["candidates"][0]["id"] == "tabuk-sa"
    assert d["context"] == {"entities": ["riyadh"], "countries": ["SA"]}
    why = d["explanation"]
    assert why["linked"] == "tabuk-sa" and why["runner_up"]["id"] == "tabuk-ph"
    # Which features weigh most is the fitted model's to say; they are its features.
    assert why["probability"] >= 0.85 and why["weighed"]
    assert set(why["weighed"]) <= set(FEATURES) - {"bias"}
    r = run("resolve", "Tabuk", "--context-file", str(tmp_path / "missing.txt"), *HOMONYMS)
    assert r.exit_code == 2 and "missing.txt" in r.stderr
    assert "explanation" not in json.loads(run("resolve", "Tabuk", "-f", "json", *HOMONYMS).stdout)


@pytest.mark.parametrize("command", [["resolve"], ["gazetteer", "search"]])
def test_a_context_file_in_another_encoding_is_read_as_the_message_says(
    tmp_path: Path, command: list[str]
) -> None:
    f = tmp_path / "article.txt"
    f.write_bytes("Les vols depuis Riyadh ont repris, a annoncé l'aéroport.\n".encode("cp1252"))
    r = run(*command, "Tabouk", "--context-file", str(f), *HOMONYMS)
    assert r.exit_code == 2 and "try --encoding cp1252" in r.stderr
    r = run(*command, "Tabouk", "--context-file", str(f), "--encoding", "cp1252", "-f", "json",
            *HOMONYMS)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["context"]["countries"] == ["SA"]


@pytest.mark.parametrize(
    ("command", "install"),
    [(["gazetteer", "compile"], "canonym[index]"), (["review"], "canonym[review]")],
)
def test_help_names_the_extra_to_install(command: list[str], install: str) -> None:
    # Help is rendered as rich markup, where "[index]" would be read as a style tag.
    r = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0
    assert f"pip install '{install}'" in r.stdout


@pytest.mark.parametrize(
    "command", [["gazetteer", "compile"], ["gazetteer", "validate"], ["gazetteer", "merge"]]
)
def test_help_of_commands_taking_paths_does_not_point_at_a_missing_option(
    command: list[str],
) -> None:
    r = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0 and "--no-bundled" in r.stdout
    assert "--gazetteer" not in r.stdout  # they take their paths as arguments


@pytest.mark.parametrize(
    "command", [["aliases", "build"], ["aliases", "build", "--format", "patch"], ["check"]]
)
def test_a_report_that_cannot_be_written_stops_the_corpus_job_before_it_runs(
    tmp_path: Path, command: list[str]
) -> None:
    # A long run would be lost at its end (its temporary database with it).
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Hachd al-Chaabi fighters near Kirkuk.\n", encoding="utf-8")
    (tmp_path / "notes").write_text("a file, not a folder\n", encoding="utf-8")
    db = tmp_path / "c.db"
    for out, message in (
        (tmp_path / "notes" / "report.out", "not a directory"),
        (tmp_path / "missing" / "report.out", "does not exist; create it first"),
        (tmp_path, "is a directory"),
    ):
        r = run(*command, str(corpus), "--db", str(db), "-o", str(out), *MINI)
        assert r.exit_code == 2, r.output
        assert message in r.stderr and "documents" not in r.stderr
        assert not db.exists()


def test_normalize_out_dir_never_writes_over_or_into_the_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "news"
    corpus.mkdir()
    doc = corpus / "a.txt"
    doc.write_text("Mohamed Chia al-Soudani visited Mossoul.\n", encoding="utf-8")
    for out in (corpus, corpus / ".", corpus / "canonical"):
        r = run("normalize", str(corpus), "--out-dir", str(out), "--translate", "never", *MINI)
        assert r.exit_code == 2, r.output
        assert "--out-dir" in r.stderr and "check --fix" in r.stderr
    assert [p.name for p in corpus.iterdir()] == ["a.txt"]
    assert doc.read_text(encoding="utf-8") == "Mohamed Chia al-Soudani visited Mossoul.\n"
    r = run("normalize", str(corpus), "--out-dir", str(tmp_path / "canonical"), *MINI)
    assert r.exit_code == 0, r.output


def _commands(group, path=()):  # type: ignore[no-untyped-def]
    import click

    for name, cmd in getattr(group, "commands", {}).items():
        yield (*path, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*path, name))


def test_help_keeps_every_bracketed_word_it_was_written_with() -> None:
    # Help is rendered as rich markup: an unescaped "[tool.canonym]" or "[index]"
    # would be taken for a style tag and vanish from the page.
    import re

    import typer.main

    group = typer.main.get_command(app)
    checked = 0
    for path, cmd in _commands(group):
        texts = [cmd.help or "", *(getattr(p, "help", None) or "" for p in cmd.params)]
        # "\[index]" (a backslash before it) is an escaped bracket: shown as "[index]".
        written = re.findall(r"\[([a-z][\w.:-]*)\]", "\n".join(texts))
        if not written:
            continue
        shown = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"}).stdout
        for word in set(written):
            assert shown.count(f"[{word}]") >= written.count(word), (path, word)
        checked += 1
    assert checked


def test_check_fix_with_a_report_file_is_refused_before_any_change(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    doc = corpus / "a.txt"
    doc.write_text("Hachd al-Chaabi fighters near Kirkuk.\n", encoding="utf-8")
    report = tmp_path / "report.sarif"
    r = run("check", str(corpus), "--fix", "--format", "sarif", "-o", str(report), *MINI)
    assert r.exit_code == 2 and "--fix" in r.stderr
    assert doc.read_text(encoding="utf-8") == "Hachd al-Chaabi fighters near Kirkuk.\n"
    assert not report.exists()


def test_gazetteer_option_help_says_an_index_is_used_alone() -> None:
    r = runner.invoke(app, ["resolve", "--help"], env={"COLUMNS": "200"})
    assert "used alone" in r.stdout
