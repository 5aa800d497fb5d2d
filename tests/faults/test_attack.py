"""Careless input to the command line: each mistake is one line that says what is wrong."""

import os
import signal
import stat
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


def test_bad_gazetteer_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "list.yaml"
    bad.write_text("- a\n- b\n", encoding="utf-8")
    r = run("resolve", "Mosul", "-g", str(bad))
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith(f"canonym: invalid gazetteer: {bad}:1: error: expected a mapping")


def test_gazetteer_that_is_a_device_or_fifo_is_not_called_missing(tmp_path: Path) -> None:
    fifo, dev = tmp_path / "names.yaml", tmp_path / "null.yaml"
    os.mkfifo(fifo)
    os.mknod(dev, stat.S_IFCHR | 0o644, os.makedev(1, 3))
    for path, kind in ((fifo, "a FIFO"), (dev, "a character device")):
        r = run("resolve", "Mosul", "-g", str(path))
        assert r.exit_code == 2 and "no such" not in r.stderr, r.stderr
        assert f"{path}: error: {kind}, not a regular file" in r.stderr


def test_a_directory_given_as_an_input_file_is_not_called_missing(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    patch = tmp_path / "patch.yaml"
    patch.write_text("entities: []\n", encoding="utf-8")
    for args in (
        ["models", "install-file", str(folder)],
        ["gazetteer", "import", "wikidata", str(folder), "-o", str(tmp_path / "o.yaml")],
        ["gazetteer", "merge", str(folder), str(patch)],
    ):
        r = run(*args)
        assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
        assert f"{folder}: a directory, not a file" in r.stderr and "no such" not in r.stderr


def test_normalize_takes_the_size_option_its_message_names(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("Mossoul " * 20, encoding="utf-8")
    r = run("normalize", str(doc), "--max-doc-bytes", "50", "--translate", "never")
    assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
    assert "too large (over 50 bytes); raise the limit with --max-doc-bytes" in r.stderr
    r = run("normalize", str(doc), "--max-doc-bytes", "500", "--translate", "never")
    assert r.exit_code == 0 and r.stdout.startswith("Mosul Mosul")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "big.txt").write_text("Mossoul " * 20, encoding="utf-8")
    (corpus / "small.txt").write_text("Mossoul\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["--out-dir", str(out), "--max-doc-bytes", "50", "-j", "1", "--translate", "never"]
    r = run("normalize", str(corpus), *args)
    assert r.exit_code == 1 and "big.txt: too large (over 50 bytes)" in r.stderr
    assert (out / "small.txt").read_text(encoding="utf-8") == "Mosul\n"
    assert not (out / "big.txt").exists()


def test_a_damaged_index_cache_is_one_warning_line(tmp_path: Path) -> None:
    # Through the real entry point: the warning hook is the command line's, not pytest's.
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(SRC), "CANONYM_CACHE_DIR": str(cache)}
    argv = [sys.executable, "-m", "canonym.cli.app", "resolve", "Mossoul", *MINI]
    first = subprocess.run(argv, env=env, capture_output=True, text=True)
    assert first.returncode == 0 and first.stderr == ""
    (planted,) = cache.glob("*.idx")
    planted.write_bytes(b"not an index")
    r = subprocess.run(argv, env=env, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout == first.stdout
    assert r.stderr.startswith(f"canonym: warning: {planted}: unusable index cache"), r.stderr
    assert r.stderr.count("\n") == 1, r.stderr


def test_a_device_or_fifo_as_db_is_refused_and_nothing_is_left_beside_it(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Mossoul\n", encoding="utf-8")
    fifo, dev = tmp_path / "pipe.db", tmp_path / "null.db"
    os.mkfifo(fifo)
    os.mknod(dev, stat.S_IFCHR | 0o644, os.makedev(1, 3))
    for path, kind in ((fifo, "a FIFO"), (dev, "a character device")):
        r = run("check", str(corpus), "--db", str(path), "-j", "1", *MINI)
        assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
        assert f"{path}: {kind}, not a corpus database file" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "null.db", "pipe.db"]


def test_db_in_a_missing_directory_says_to_create_it(tmp_path: Path) -> None:
    corpus = tmp_path / "a.txt"
    corpus.write_text("Mossoul\n", encoding="utf-8")
    db = tmp_path / "runs" / "corpus.db"
    r = run("check", str(tmp_path), "--db", str(db), "-j", "1", *MINI)
    assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
    assert f"{db}: {db.parent} does not exist; create it first" in r.stderr
    assert not db.parent.exists()


@pytest.mark.parametrize("address", ["garbage", "nonsense://x", "tcp://host-without-port"])
def test_a_malformed_scheduler_address_is_a_usage_error(tmp_path: Path, address: str) -> None:
    pytest.importorskip("distributed")
    (tmp_path / "a.txt").write_text("Mossoul\n", encoding="utf-8")
    r = run("check", str(tmp_path), "--scheduler", address, *MINI)
    assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
    assert f"canonym: {address}: not a Dask scheduler address" in r.stderr
    assert "tcp://HOST:8786" in r.stderr


def test_an_unreachable_scheduler_names_the_address_not_the_input_files(tmp_path: Path) -> None:
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    (tmp_path / "a.txt").write_text("Mossoul\n", encoding="utf-8")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        r = run("check", str(tmp_path), "--scheduler", "tcp://127.0.0.1:1", *MINI)
    assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
    assert "canonym: tcp://127.0.0.1:1: cannot reach the Dask scheduler" in r.stderr
    assert "input files" not in r.stderr


def test_gazetteer_search_for_an_empty_name_is_a_usage_error_like_resolve() -> None:
    for args in (["resolve", " "], ["gazetteer", "search", " "]):
        r = run(*args, *MINI)
        assert r.exit_code == 2 and r.stderr == "canonym: empty name\n", r.stderr


def test_a_file_name_that_is_not_utf8_is_listed_not_a_crash(non_utf8_named_corpus: Path) -> None:
    corpus = non_utf8_named_corpus
    for args in (["check"], ["aliases", "build"], ["check", "--fix"]):
        r = run(*args, str(corpus), "-j", "1", *MINI)
        assert r.exit_code == 1, r.stderr
        assert "caf\\xe9.txt: the file name is not valid UTF-8; rename it" in r.stderr
    assert (corpus / "ok.txt").read_text(encoding="utf-8") == "Mosul\n"


def test_a_gazetteer_folder_whose_name_is_not_utf8_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANONYM_CACHE_DIR", str(tmp_path / "cache"))
    try:
        folder = tmp_path / os.fsdecode(b"noms-\xe9")
        folder.mkdir()
    except (OSError, UnicodeError):
        pytest.skip("this filesystem takes only UTF-8 names")
    (folder / "g.yaml").write_text(
        "entities:\n  - {id: x, name: Xyzzy Town, type: place, aliases: [Xyzy]}\n",
        encoding="utf-8",
    )
    for _ in range(2):  # built, then read from the cache
        r = run("resolve", "Xyzy", "--no-bundled", "-g", str(folder))
        assert r.exit_code == 0 and "Xyzzy Town" in r.stdout, r.output


def test_batch_normalize_of_which_no_document_could_be_read_exits_2(tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    corpus.write_text('{"body": "Mossoul"}\n{"body": "Irak"}\n', encoding="utf-8")
    out = tmp_path / "out"
    r = run("normalize", str(corpus), "--out-dir", str(out), "-j", "1", *MINI)
    assert r.exit_code == 2, r.stderr
    assert r.stderr.endswith(
        "canonym: no record has a 'text' field; fields seen: body; pass --text-field body\n"
    )
    r = run("normalize", str(corpus), "--out-dir", str(out), "--text-field", "body", *MINI)
    assert r.exit_code == 0, r.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_compile_stopped_by_a_signal_leaves_nothing_beside_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int
) -> None:
    """kill (or a closed terminal) mid-compile removes the half-built directory and its
    spilled runs, and the index already at -o stays and opens."""
    from canonym import Gazetteer
    from canonym.gazetteer import build

    out = tmp_path / "index"
    assert (
        run(
            "gazetteer", "compile", "--no-bundled", str(DATA / "mini.yaml"), "-o", str(out)
        ).exit_code
        == 0
    )
    before = sorted(p.name for p in tmp_path.iterdir())
    fill = build._fill

    def killed(*args, **kwargs):  # type: ignore[no-untyped-def]
        fill(*args, **kwargs)  # the runs are written by now
        os.kill(os.getpid(), signum)

    monkeypatch.setattr(build, "_fill", killed)
    # Were the compile's own handler missing, this one would swallow the signal (exit 0).
    previous = signal.signal(signum, lambda *a: None)
    try:
        r = run("gazetteer", "compile", "--no-bundled", str(DATA / "mini.yaml"), "-o", str(out))
    finally:
        signal.signal(signum, previous)
    assert r.exit_code == 128 + signum, r.output
    assert "nothing written" in r.stderr and "Traceback" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert len(Gazetteer.open(out)) > 0
