"""Output paths: devices, pipes, links, modes and failures are never written over blindly.

Every device node, FIFO, link and small file system is made inside tmp_path.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym.cli.app import app

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = ["--no-bundled", "-g", str(DATA / "mini.yaml")]
CHECK = [*MINI, "--jobs", "1"]
runner = CliRunner()

TEXT = "Mohamed Chia al-Soudani visited Mossoul.\n"
CANON = "Mohammed Shia al-Sudani visited Mosul.\n"


def normalize_to(out: Path, text: str = TEXT):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app, ["normalize", "-", "--translate", "never", "-o", str(out), *MINI], input=text
    )


def one_line_error(r) -> str:  # type: ignore[no-untyped-def]
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    # A corpus command's run summary may come first; the error is the one line after it.
    lines = [x for x in r.stderr.strip().splitlines() if not x[:1].isdigit()]
    assert len(lines) == 1, r.stderr
    return str(lines[0])


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


def read_in_background(fifo: Path) -> tuple[threading.Thread, list[bytes]]:
    """A reader on the FIFO's other end (a writer to a FIFO blocks until one opens it)."""
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    return reader, got


def test_char_device_stays_a_device(tmp_path: Path) -> None:
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    r = normalize_to(node)
    assert r.exit_code == 0, r.output
    st = os.lstat(node)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert leftovers(tmp_path) == []


def test_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader, got = read_in_background(fifo)
    r = normalize_to(fifo)
    reader.join(10)
    assert r.exit_code == 0, r.output
    assert got == [CANON.encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_symlink_is_kept_and_its_target_written(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text("old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(target.name)
    r = normalize_to(link)
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text() == CANON
    assert leftovers(tmp_path) == []


def test_hard_linked_output_is_refused_and_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old\n")
    other = tmp_path / "other.txt"
    os.link(out, other)
    line = one_line_error(normalize_to(out))
    assert str(out) in line and "hard links" in line
    assert out.read_text() == other.read_text() == "old\n"
    assert os.stat(out).st_ino == os.stat(other).st_ino


def test_directory_output_is_refused(tmp_path: Path) -> None:
    line = one_line_error(normalize_to(tmp_path))
    assert "is a directory" in line


def test_existing_mode_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old\n")
    out.chmod(0o640)
    assert normalize_to(out).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.read_text() == CANON


@pytest.mark.parametrize(
    "umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)], ids=["022", "027", "077"]
)
def test_new_file_mode_follows_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        assert normalize_to(tmp_path / "new.txt").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == mode


def test_missing_directory_one_line_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "out.txt"
    line = one_line_error(normalize_to(out))
    assert str(out) in line and "does not exist" in line


def test_report_into_missing_directory_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text("Irak\n")
    out = tmp_path / "missing" / "report.json"
    r = runner.invoke(app, ["check", str(tmp_path), "-f", "json", "-o", str(out), *CHECK])
    assert str(out) in one_line_error(r)


def test_full_disk_during_fsync_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old\n")

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    line = one_line_error(normalize_to(out))
    assert str(out) in line and "no space" in line
    assert out.read_text() == "old\n"
    assert leftovers(tmp_path) == []


@pytest.fixture()
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, for a real full disk; skipped where mounting is not allowed."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_really_full_disk_keeps_old_file(small_fs: Path) -> None:
    out = small_fs / "out.txt"
    out.write_text("old\n")
    with (small_fs / "filler").open("wb", buffering=0) as fh, pytest.raises(OSError):
        while True:
            fh.write(b"x" * 4096)
    line = one_line_error(normalize_to(out, TEXT * 2000))
    assert str(out) in line and "no space" in line
    assert out.read_text() == "old\n"
    assert leftovers(small_fs) == []


def check_fix(root: Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["check", str(root), "--fix", *CHECK])


def test_fix_keeps_symlink_and_writes_its_target(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    real = tmp_path / "real.txt"
    real.write_text(TEXT)
    (corpus / "doc.txt").symlink_to(real)
    r = check_fix(corpus)
    assert r.exit_code == 0, r.output
    assert (corpus / "doc.txt").is_symlink()
    assert real.read_text() == CANON


def test_fix_refuses_hard_link_and_changes_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    doc = corpus / "doc.txt"
    doc.write_text(TEXT)
    os.link(doc, tmp_path / "elsewhere.txt")
    r = check_fix(corpus)
    assert r.exit_code == 2, r.output
    assert f"{doc}: not fixed" in r.stderr and "hard links" in r.stderr
    assert doc.read_text() == (tmp_path / "elsewhere.txt").read_text() == TEXT


def test_fix_keeps_mode(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(TEXT)
    doc.chmod(0o640)
    assert check_fix(tmp_path).exit_code == 0
    assert doc.read_text() == CANON
    assert stat.S_IMODE(doc.stat().st_mode) == 0o640


@pytest.mark.parametrize("newline", ["\r\n", "\r", "mixed"], ids=["crlf", "cr", "mixed"])
def test_fix_changes_only_the_names(tmp_path: Path, newline: str) -> None:
    lines = ["Mohamed Chia al-Soudani spoke.", "", "He visited Mossoul.", "Then Irak.", ""]
    ends = ["\r\n", "\n", "\r", "\r\n"] if newline == "mixed" else [newline] * 4
    before = "".join(line + end for line, end in zip(lines, ends, strict=False))
    doc = tmp_path / "doc.txt"
    doc.write_bytes(b"\xef\xbb\xbf" + before.encode("utf-8"))
    assert check_fix(tmp_path).exit_code == 0
    expected = (
        before.replace("Mohamed Chia al-Soudani", "Mohammed Shia al-Sudani")
        .replace("Mossoul", "Mosul")
        .replace("Irak", "Iraq")
    )
    assert doc.read_bytes() == b"\xef\xbb\xbf" + expected.encode("utf-8")


def test_gazetteer_import_through_fifo(tmp_path: Path) -> None:
    from canonym.gazetteer.entity import Entity
    from canonym.gazetteer.write import write_gazetteer

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader, got = read_in_background(fifo)
    assert write_gazetteer([Entity(id="x", name="X", type="place")], fifo) == 1
    reader.join(10)
    assert got and got[0].startswith(b"entities:\n") and b"id: x" in got[0]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_merge_keeps_symlink_and_mode(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("entities:\n  - id: iraq\n    name: Iraq\n    type: place\n")
    real.chmod(0o640)
    link = tmp_path / "names.yaml"
    link.symlink_to(real.name)
    patch = tmp_path / "patch.yaml"
    patch.write_text(
        "entities:\n  - id: iraq\n    name: Iraq\n    type: place\n    aliases: [Irak]\n"
    )
    r = runner.invoke(app, ["gazetteer", "merge", str(patch), str(link), "--no-bundled"])
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and "Irak" in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_out_dir_under_a_file_one_line_exit_2(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "doc.txt").write_text("Irak\n")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder\n")
    r = runner.invoke(
        app,
        ["normalize", str(corpus), "--out-dir", str(blocker / "out"), "--translate", "never",
         "--jobs", "1", *MINI],
    )  # fmt: skip
    assert "not a directory" in one_line_error(r)
    assert blocker.read_text() == "a file, not a folder\n"


def test_read_only_file_system_one_line_exit_2(small_fs: Path) -> None:
    # Root ignores directory permissions, so a read-only mount stands in for them.
    out = small_fs / "out.txt"
    out.write_text("old\n")
    done = subprocess.run(
        ["mount", "-o", "remount,ro", str(small_fs)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only: {done.stderr.decode().strip()}")
    line = one_line_error(normalize_to(out))
    assert str(out) in line and "read-only" in line
    assert out.read_text() == "old\n"


def test_a_link_to_a_pipe_that_resolves_to_no_path_is_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `-o /dev/stdout` in a pipeline: /dev/stdout -> /proc/self/fd/1 -> "pipe:[N]",
    # a name that exists nowhere although the link itself opens the pipe.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "stdout"
    link.symlink_to(fifo.name)
    realpath = os.path.realpath
    nowhere = str(tmp_path / "fd" / "pipe:[4026531840]")
    monkeypatch.setattr(
        os.path, "realpath", lambda p, **kw: nowhere if str(p) == str(link) else realpath(p, **kw)
    )
    reader, got = read_in_background(fifo)
    r = normalize_to(link)
    if r.exit_code != 0:  # the reader still waits for a writer
        fifo.open("wb").close()
    reader.join(10)
    assert r.exit_code == 0, r.output
    assert got == [CANON.encode()]
    assert link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_report_stream_is_put_in_place_only_when_complete(tmp_path: Path) -> None:
    from canonym.io import output_stream

    out = tmp_path / "report.json"
    out.write_text("old\n")
    with pytest.raises(RuntimeError), output_stream(out) as fh:
        fh.write("half a report" * 10_000)
        raise RuntimeError("the renderer failed")
    assert out.read_text() == "old\n"
    assert leftovers(tmp_path) == []
    with output_stream(out) as fh:
        fh.write("a\r\nb\n")  # newlines as the reporter wrote them
    assert out.read_bytes() == b"a\r\nb\n"
    assert leftovers(tmp_path) == []


def test_report_on_a_really_full_disk_keeps_old_file(tmp_path: Path, small_fs: Path) -> None:
    (tmp_path / "doc.txt").write_text("Irak. Mossoul.\n" * 200)
    out = small_fs / "report.json"
    out.write_text("old\n")
    with (small_fs / "filler").open("wb", buffering=0) as fh, pytest.raises(OSError):
        while True:
            fh.write(b"x" * 4096)
    r = runner.invoke(app, ["check", str(tmp_path), "-f", "json", "-o", str(out), *CHECK])
    line = one_line_error(r)
    assert str(out) in line and "no space" in line
    assert out.read_text() == "old\n"
    assert leftovers(small_fs) == []
