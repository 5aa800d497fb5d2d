"""The corpus database under faults: killed runs, rival gazetteers, corrupt or odd ``--db``.

Runs go through the command line in a child process, as a user's would, so a
kill is a real ``SIGKILL`` and two writers are two processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import pytest

import canonym

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = DATA / "mini.yaml"
SRC = Path(canonym.__file__).resolve().parents[1]
N_DOCS = 3000

_NAMES = [
    "Hachd al-Chaabi", "Hashd al-Shaabi", "Mossoul", "Mosul", "Hisbollah", "Hezbollah",
    "Abou Bakr al-Baghdadi", "Massoud Barzani", "Masoud Barzani", "Mohamed Chia al-Soudani",
    "Kirkuk", "Harakat al-Nujaba", "Peshmerga", "Karim Benali Haddad", "Abu Haidar al-Zubaidi",
]  # fmt: skip
_VERBS = ["met", "spoke with", "was seen near", "criticized", "visited"]


def corpus_lines(n: int = N_DOCS) -> list[str]:
    """``n`` small news items as JSON lines, the same every time."""
    rng = random.Random(20240611)
    out = []
    for i in range(n):
        body = " ".join(
            f"{rng.choice(_NAMES)} {rng.choice(_VERBS)} {rng.choice(_NAMES)}." for _ in range(3)
        )
        out.append(json.dumps({"id": f"d{i}", "text": f"Report {i}. {body}"}) + "\n")
    return out


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "news.jsonl"
    path.write_text("".join(corpus_lines()), encoding="utf-8")
    return path


@pytest.fixture()
def other_gazetteer(tmp_path: Path) -> Path:
    """The small gazetteer and one more entity: other results for the same corpus."""
    extra = tmp_path / "gz2"
    extra.mkdir()
    (extra / "mini.yaml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    (extra / "zubaidi.yaml").write_text(
        "entities:\n  - {id: zubaidi, name: Abu Haidar al-Zubaidi, type: person}\n",
        encoding="utf-8",
    )
    return extra


def command(corpus: str, db: Path, gazetteer: Path = MINI, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "canonym.cli.app", "check", corpus, "--db", str(db),
        "--no-bundled", "-g", str(gazetteer), "--format", "json", "--max-findings", "1",
        "--jobs", "1", *extra,
    ]  # fmt: skip


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(SRC)}


def cli(*args: object, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(*args),  # type: ignore[arg-type]
        input=stdin,
        capture_output=True,
        text=True,
        env=env(),
        timeout=300,
        check=False,
    )


def start(*args: object, stdin: bool = False) -> subprocess.Popen[str]:
    """A run in its own process group, so a kill reaches its worker processes too."""
    return subprocess.Popen(
        command(*args),  # type: ignore[arg-type]
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
        start_new_session=True,
    )


def documents(db: Path) -> int:
    """Documents committed so far, read as another process would, while a run writes."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(con.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0  # not created yet


def wait_for(db: Path, at_least: int, proc: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        n = documents(db)
        if n >= at_least or proc.poll() is not None:
            return n
        time.sleep(0.005)
    raise AssertionError(f"{db}: no {at_least} documents after 120 s")


def digest(db: Path) -> str:
    """The stored results, canonically: documents, mentions and sources, sorted, no timestamps."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    h = hashlib.sha256()
    try:
        for sql in (
            "SELECT seq, hash, lang, chars, n_mentions FROM documents ORDER BY hash",
            "SELECT * FROM mentions ORDER BY hash, n",
            "SELECT source, doc_id, hash, path FROM sources ORDER BY source",
        ):
            for row in con.execute(sql):
                h.update(repr(tuple(row)).encode())
                h.update(b"\n")
        # Every document carries exactly the mention rows it counted: none mixed in, none lost.
        bad = con.execute(
            "SELECT COUNT(*) FROM documents d WHERE n_mentions != "
            "(SELECT COUNT(*) FROM mentions m WHERE m.hash = d.hash)"
        ).fetchone()[0]
        assert bad == 0, f"{bad} documents with inconsistent mention rows"
    finally:
        con.close()
    return h.hexdigest()


def finish(proc: subprocess.Popen[str], stdin: str = "") -> tuple[int, str]:
    out, err = proc.communicate(stdin or None, timeout=300)
    return proc.returncode, err


def feed(proc: subprocess.Popen[str], lines: list[str]) -> None:
    pipe: IO[str] | None = proc.stdin
    assert pipe is not None
    pipe.write("".join(lines))
    pipe.flush()


def mid_run(db: Path, lines: list[str]) -> subprocess.Popen[str]:
    """A run reading stdin, stopped after its first batches are stored, waiting for more."""
    proc = start("-", db, stdin=True)
    feed(proc, lines[:500])
    wait_for(db, 448, proc)
    return proc


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture()
def clean(corpus: Path, tmp_path: Path) -> str:
    """The digest of an uninterrupted run of the small gazetteer over the corpus."""
    db = tmp_path / "clean.db"
    assert cli(str(corpus), db).returncode == 1  # findings
    return digest(db)


# -- killed runs ---------------------------------------------------------------------


def test_run_killed_between_batches_resumes_to_the_same_database(tmp_path: Path) -> None:
    """Killed while waiting for input: committed batches stay, the next run finishes."""
    db = tmp_path / "c.db"
    lines = corpus_lines()
    proc = start("-", db, stdin=True)
    feed(proc, lines[:1000])
    assert wait_for(db, 900, proc) >= 900 and proc.poll() is None
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    kept = documents(db)
    assert 900 <= kept < 1000
    resumed = cli("-", db, stdin="".join(lines))
    assert resumed.returncode == 1, resumed.stderr
    assert f"{N_DOCS - kept:,} analyzed, {kept:,} already in the database" in resumed.stderr
    clean_stdin = tmp_path / "clean-stdin.db"
    cli("-", clean_stdin, stdin="".join(lines))
    assert digest(db) == digest(clean_stdin)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_run_killed_while_writing_resumes_to_the_same_database(
    corpus: Path, tmp_path: Path, clean: str, jobs: str
) -> None:
    """Killed at whatever point the run has reached, mid-batch included."""
    db = tmp_path / "c.db"
    proc = start(str(corpus), db, MINI, "--jobs", jobs)
    seen = wait_for(db, 300, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 300 <= seen and documents(db) < N_DOCS, "the run ended before it could be killed"
    resumed = cli(str(corpus), db, MINI, "--jobs", jobs)
    assert resumed.returncode == 1, resumed.stderr
    assert digest(db) == clean


# -- rival gazetteers ----------------------------------------------------------------


def test_second_gazetteer_is_refused_and_changes_nothing(
    corpus: Path, tmp_path: Path, other_gazetteer: Path
) -> None:
    db = tmp_path / "c.db"
    assert cli(str(corpus), db).returncode == 1
    before = digest(db)
    for extra in ([], ["--accept", "0.95"]):
        gz = other_gazetteer if not extra else MINI
        r = cli(str(corpus), db, gz, *extra)
        assert r.returncode == 2
        line = one_line(r.stderr)
        assert str(db) in line and "--rebuild" in line
        assert digest(db) == before
    rebuilt = cli(str(corpus), db, other_gazetteer, "--rebuild")
    assert rebuilt.returncode == 1, rebuilt.stderr
    fresh = tmp_path / "fresh.db"
    cli(str(corpus), fresh, other_gazetteer)
    assert digest(db) == digest(fresh) != before


def test_concurrent_writer_with_another_gazetteer_fails_and_mixes_nothing(
    tmp_path: Path, other_gazetteer: Path
) -> None:
    db = tmp_path / "c.db"
    lines = corpus_lines()
    first = mid_run(db, lines)
    assert first.poll() is None  # mid-run, waiting for more documents
    second = cli("-", db, other_gazetteer, stdin="".join(lines))
    assert second.returncode == 2
    assert "--rebuild" in one_line(second.stderr)
    code, err = finish(first, "".join(lines[500:]))
    assert code == 1, err
    alone = tmp_path / "alone.db"
    cli("-", alone, stdin="".join(lines))
    assert digest(db) == digest(alone)


def test_rebuild_during_a_run_stops_that_run_cleanly(
    corpus: Path, tmp_path: Path, other_gazetteer: Path
) -> None:
    db = tmp_path / "c.db"
    lines = corpus_lines()
    first = mid_run(db, lines)
    rebuilt = cli(str(corpus), db, other_gazetteer, "--rebuild")
    assert rebuilt.returncode == 1, rebuilt.stderr
    code, err = finish(first, "".join(lines[500:]))
    assert code == 2
    assert str(db) in one_line(err)
    fresh = tmp_path / "fresh.db"
    cli(str(corpus), fresh, other_gazetteer)
    assert digest(db) == digest(fresh)


def test_two_gazetteers_starting_together_leave_one_clean_database(
    corpus: Path, tmp_path: Path, other_gazetteer: Path, clean: str
) -> None:
    db = tmp_path / "c.db"
    a = start(str(corpus), db, MINI)
    b = start(str(corpus), db, other_gazetteer)
    (code_a, err_a), (code_b, err_b) = finish(a), finish(b)
    assert sorted([code_a, code_b]) == [1, 2], (err_a, err_b)
    one_line(err_a if code_a == 2 else err_b)
    if code_a == 1:
        assert digest(db) == clean
    else:
        fresh = tmp_path / "fresh.db"
        cli(str(corpus), fresh, other_gazetteer)
        assert digest(db) == digest(fresh)


def test_two_runs_of_one_gazetteer_share_a_database(
    corpus: Path, tmp_path: Path, clean: str
) -> None:
    db = tmp_path / "c.db"
    runs = [start(str(corpus), db, MINI, "--jobs", jobs) for jobs in ("1", "2")]
    for code, err in map(finish, runs):
        assert code == 1, err
    assert digest(db) == clean


# -- what --db points at -------------------------------------------------------------


def _assert_refused(corpus: Path, db: Path) -> str:
    r = cli(str(corpus), db)
    assert r.returncode == 2 and r.stdout == ""
    line = one_line(r.stderr)
    assert str(db) in line
    return line


def test_corrupt_database_file_exits_2_and_is_left_alone(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    junk = random.Random(3).randbytes(64 * 1024)
    db.write_bytes(junk)
    _assert_refused(corpus, db)
    assert db.read_bytes() == junk
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("c.db")) == ["c.db"]


def test_damaged_canonym_database_exits_2(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert cli(str(corpus), db).returncode == 1
    with sqlite3.connect(db) as con:  # fold the log in, so the file alone holds everything
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(db.read_bytes())
    rng = random.Random(5)
    for page in range(1, len(raw) // 4096):  # every page but the first (the schema), garbled
        raw[page * 4096 : page * 4096 + 400] = rng.randbytes(400)
    db.write_bytes(bytes(raw))
    _assert_refused(corpus, db)


def test_directory_as_database_exits_2(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "a-directory"
    db.mkdir()
    assert "directory" in _assert_refused(corpus, db)
    assert list(db.iterdir()) == []


def test_foreign_sqlite_database_is_not_written(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE notes (body TEXT)")
        con.execute("INSERT INTO notes VALUES ('keep me')")
    con.close()
    before = db.read_bytes()
    assert "not a canonym corpus database" in _assert_refused(corpus, db)
    assert db.read_bytes() == before


def test_database_in_a_missing_directory_exits_2(corpus: Path, tmp_path: Path) -> None:
    _assert_refused(corpus, tmp_path / "missing" / "c.db")
