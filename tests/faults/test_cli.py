"""The command line under failure: one line naming the path and what to do, exit 2.

Never a traceback for a failure a user can expect; an unexpected one is called a
bug, says where to report it, and shows its traceback only when debugging.
"""

import bz2
import errno
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym.cli.app import app

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = ["--no-bundled", "-g", str(DATA / "mini.yaml")]
SRC = Path(__file__).resolve().parents[2] / "src"
runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def one_line(stderr: str) -> str:
    assert stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    return stderr


def wikidata_dump() -> bytes:
    lines = [
        json.dumps({"id": f"Q{i}", "type": "item", "labels": {"en": {"value": f"Name {i}"}}})
        for i in range(3000)
    ]
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode()


@pytest.mark.parametrize(
    "suffix, squeeze, message",
    [
        (".gz", gzip.compress, "ends early (truncated)"),
        (".bz2", bz2.compress, "ends early (truncated)"),
        (".gz", lambda b: b"not gzip data at all" * 10, "corrupt .gz data"),
        (".bz2", lambda b: b"BZh9" + b"\x00" * 200, "corrupt .bz2 data"),
    ],
)
def test_truncated_or_corrupt_archive_import(
    tmp_path: Path, suffix: str, squeeze: object, message: str
) -> None:
    whole = squeeze(wikidata_dump())  # type: ignore[operator]
    src = tmp_path / f"dump.json{suffix}"
    src.write_bytes(whole[: len(whole) * 2 // 3] if "truncated" in message else whole)
    out = tmp_path / "out.yaml"
    r = run("gazetteer", "import", "wikidata", str(src), "-o", str(out))
    assert r.exit_code == 2
    assert one_line(r.stderr).startswith(f"canonym: {src}: ") and message in r.stderr
    assert "again" in r.stderr
    assert list(tmp_path.iterdir()) == [src]  # no output, no temporary file left


def test_truncated_import_through_the_real_entry_point(tmp_path: Path) -> None:
    src = tmp_path / "dump.json.gz"
    src.write_bytes(gzip.compress(wikidata_dump())[:-500])
    r = subprocess.run(
        [sys.executable, "-m", "canonym.cli.app", "gazetteer", "import", "wikidata", str(src),
         "-o", str(tmp_path / "out.yaml")],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=120,
    )  # fmt: skip
    assert r.returncode == 2
    assert one_line(r.stderr).startswith(f"canonym: {src}: the .gz file ends early")


def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "news"
    d.mkdir()
    (d / "a.txt").write_text("Strikes near Mossoul.\n", encoding="utf-8")
    return d


def test_corrupt_db_is_an_error_not_findings(tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    db.write_bytes(b"this is not a database file, but long enough to look like one" * 20)
    r = run("check", str(corpus(tmp_path)), "--db", str(db), *MINI)
    assert r.exit_code == 2  # not 1, which would mean "has findings"
    assert one_line(r.stderr).startswith(f"canonym: {db}: ") and "use another" in r.stderr


def test_directory_as_db(tmp_path: Path) -> None:
    r = run("check", str(corpus(tmp_path)), "--db", str(tmp_path), *MINI)
    assert r.exit_code == 2
    assert one_line(r.stderr).startswith(f"canonym: {tmp_path}: ")


def test_os_error_names_the_path_and_a_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As root, a read-only directory does not stop writes: fail the write instead.
    out = tmp_path / "ro" / "out.txt"

    def denied(path: object, text: str) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(out))

    monkeypatch.setattr("canonym.io.write_atomic", denied)
    r = run("normalize", "-", "-o", str(out), *MINI)
    assert r.exit_code == 2
    assert one_line(r.stderr) == f"canonym: {out}: Permission denied; check its permissions, " \
        "or choose another path\n"  # fmt: skip


def test_full_disk_without_a_filename_names_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.txt"

    def full(path: object, text: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("canonym.io.write_atomic", full)
    r = run("normalize", "-", "-o", str(out), *MINI)
    assert r.exit_code == 2
    assert one_line(r.stderr) == (
        f"canonym: {out}: No space left on device; free some disk space and run again\n"
    )


@pytest.mark.parametrize(
    "content",
    [b"just some text\n", b"- a\n- b\n", b"entities: [\n", b"\x00\x01\xff\xfe", b"entities: 3\n"],
    ids=["text", "list", "bad-yaml", "binary", "entities-not-a-list"],
)
def test_bad_merge_target(tmp_path: Path, content: bytes) -> None:
    patch = tmp_path / "patch.yaml"
    patch.write_text("entities:\n  - id: x\n    type: place\n    name: Newtown\n")
    target = tmp_path / "target.yaml"
    target.write_bytes(content)
    r = run("gazetteer", "merge", str(patch), str(target), "--no-bundled")
    assert r.exit_code == 2
    assert one_line(r.stderr).startswith(f"canonym: merge refused, nothing written: {target}")
    assert target.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["patch.yaml", "target.yaml"]


def test_merge_new_entities_into_a_directory(tmp_path: Path) -> None:
    patch = tmp_path / "patch.yaml"
    patch.write_text("entities:\n  - id: x\n    type: place\n    name: Newtown\n")
    target = tmp_path / "g.yaml"
    target.write_text("entities: []\n")
    r = run(
        "gazetteer", "merge", str(patch), str(target), "--new-into", str(tmp_path), "--no-bundled"
    )
    assert r.exit_code == 2 and "not a regular file" in one_line(r.stderr)


def boom(*args: object, **kwargs: object) -> None:
    raise ZeroDivisionError("division by zero")


def test_unexpected_error_is_called_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CANONYM_DEBUG", raising=False)
    monkeypatch.setattr("canonym.gazetteer.core.Gazetteer.resolve", boom)
    r = run("resolve", "Mosul", *MINI)
    assert r.exit_code == 70  # neither 1 (nothing found) nor 2 (bad input)
    assert "internal error (a bug): ZeroDivisionError: division by zero" in r.stderr
    assert "report it at" in r.stderr and "canonym resolve Mosul" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("how", ["env", "flag"])
def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    monkeypatch.setattr("canonym.gazetteer.core.Gazetteer.resolve", boom)
    if how == "env":
        monkeypatch.setenv("CANONYM_DEBUG", "1")
        r = run("resolve", "Mosul", *MINI)
    else:
        monkeypatch.delenv("CANONYM_DEBUG", raising=False)
        r = run("--debug", "resolve", "Mosul", *MINI)
    assert r.exit_code == 70
    assert "Traceback (most recent call last)" in r.stderr and "ZeroDivisionError" in r.stderr


def test_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("canonym.gazetteer.core.Gazetteer.resolve", interrupt)
    r = run("resolve", "Mosul", *MINI)
    assert r.exit_code == 130 and one_line(r.stderr) == "canonym: interrupted\n"
