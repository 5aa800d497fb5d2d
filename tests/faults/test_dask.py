"""Faults of a Dask cluster: workers elsewhere, paths they cannot see, workers that die.

Each run on the cluster is compared with a one-process run of the same corpus:
the same rows in the store, or a loud failure (exit 2), never fewer rows.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym.cli.app import app
from canonym.corpus.cluster import ClusterError, process_on_cluster
from canonym.corpus.documents import read_corpus
from canonym.corpus.run import GazetteerSpec, process_corpus
from canonym.corpus.store import Store

distributed = pytest.importorskip("distributed", reason="Dask not installed (canonym[dask])")
cloudpickle = pytest.importorskip("cloudpickle")

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"
SPEC = GazetteerSpec(paths=(str(MINI),), with_defaults=False)
TEXTS = [
    "Hachd al-Chaabi fighters near Kirkuk. Mohamed Chia al-Soudani met them.",
    "Les Unités de mobilisation populaire à Mossoul. Abou Haïdar al-Zoubaidi a parlé.",
    "Hezbollah and Hisbollah in Irak. Abu Haidar al-Zubaidi spoke in Mosul.",
    "Clean copy: Hashd al-Shaabi in Mosul and Kirkuk, Iraq.",
    "Abu Haidar al-Zubaidi, again, in Deir Ezzor. Hizbollah too.",
]

# Functions sent to the workers travel by value: the workers need not import tests.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def _cluster() -> tuple[object, object]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    return cluster, distributed.Client(cluster)


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    cluster, c = _cluster()
    yield c
    c.close()  # type: ignore[attr-defined]
    cluster.close()  # type: ignore[attr-defined]


def _write_corpus(root: Path) -> None:
    """The same documents twice: a directory of text files and a JSON-lines file."""
    for i, text in enumerate(TEXTS):
        f = root / "corpus" / ("a" if i < 2 else "b") / f"{i}.txt"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text + "\n", encoding="utf-8")
    lines = [
        json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(TEXTS)
    ]
    (root / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _rows(db: Path, in_order: bool = True) -> list[tuple[object, ...]]:
    """The store's content; ``in_order``: with the order documents were stored in."""
    order = "d.seq" if in_order else "d.hash"
    with Store(db) as st:
        mentions = st.query(
            f"SELECT {order}, m.n, m.start, m.end, m.surface, m.status, m.entity_id, "
            "m.replacement FROM mentions m JOIN documents d ON d.hash = m.hash "
            f"ORDER BY {order}, m.n"
        )
        sources = st.query("SELECT source, doc_id, hash, path FROM sources ORDER BY source")
        failures = st.query("SELECT source, error FROM failures ORDER BY source")
        return [tuple(r) for r in [*mentions, *sources, *failures]]


def _check(*args: str) -> object:
    return CliRunner().invoke(
        app, ["check", *args, "--format", "json", "--no-bundled", "-g", str(MINI)]
    )


def _address(client: object) -> str:
    return client.scheduler.address  # type: ignore[attr-defined,no-any-return]


def test_workers_in_another_directory_read_a_relative_corpus(
    client: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers' working directory is not the client's: a relative corpus path
    must reach them as the file the client means, and sources keep the given name."""
    _write_corpus(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = client.run(os.getcwd)  # type: ignore[attr-defined]
    client.run(os.chdir, str(elsewhere))  # type: ignore[attr-defined]
    monkeypatch.chdir(tmp_path)
    try:
        for corpus in ("corpus", "news.jsonl"):
            local = _check(corpus, "--jobs", "1", "--db", f"{corpus}.local.db")
            remote = _check(corpus, "--scheduler", _address(client), "--db", f"{corpus}.dask.db")
            assert local.exit_code == remote.exit_code == 1, remote.output  # type: ignore[attr-defined]
            assert json.loads(remote.stdout) == json.loads(local.stdout)  # type: ignore[attr-defined]
            assert "0 unreadable" in remote.stderr  # type: ignore[attr-defined]
            assert _rows(tmp_path / f"{corpus}.dask.db") == _rows(tmp_path / f"{corpus}.local.db")
        with Store(tmp_path / "corpus.dask.db") as st:
            shown = sorted(r[0] for r in st.query("SELECT source FROM sources"))
        assert shown[0] == "corpus/a/0.txt"
    finally:
        for address, cwd in before.items():
            client.run(os.chdir, cwd, workers=[address])  # type: ignore[attr-defined]


def test_a_path_the_workers_cannot_see_fails_the_run(
    client: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client plans a corpus the workers then cannot find (as on a worker machine
    without the client's disk): exit 2 naming the way out, not a clean empty report."""
    import canonym.corpus.cluster

    _write_corpus(tmp_path)
    real_plan = canonym.corpus.cluster.plan_partitions

    def plan_then_hide(corpus: str, **kw: object) -> object:
        parts = real_plan(corpus, **kw)  # type: ignore[arg-type]
        Path(corpus).rename(Path(corpus).with_name("hidden-" + Path(corpus).name))
        return parts

    monkeypatch.setattr(canonym.corpus.cluster, "plan_partitions", plan_then_hide)
    for corpus in ("corpus", "news.jsonl"):
        r = _check(str(tmp_path / corpus), "--scheduler", _address(client))
        assert r.exit_code == 2, r.output  # type: ignore[attr-defined]
        err = r.stderr  # type: ignore[attr-defined]
        assert "shared filesystem" in err and "URL" in err and str(tmp_path / corpus) in err
        assert "Traceback" not in err and r.stdout == ""  # type: ignore[attr-defined]


def _patch_workers(slow: float = 0.0, poison: str | None = None) -> None:
    """Runs on a worker: partitions take ``slow`` seconds; one naming ``poison`` fails."""
    import canonym.corpus.cluster as c

    real = c.__dict__.setdefault("_unpatched", c.analyze_partition)

    def analyze_partition(part: object, spec: GazetteerSpec) -> object:
        time.sleep(slow)
        if poison is not None and any(poison in p for p in part.paths):  # type: ignore[attr-defined]
            raise MemoryError("worker ran out of memory")
        return real(part, spec)

    c.analyze_partition = analyze_partition  # type: ignore[assignment]


@pytest.fixture()
def own_client() -> Iterator[object]:
    """A cluster of its own: its workers get patched or killed."""
    cluster, c = _cluster()
    yield c
    c.close()  # type: ignore[attr-defined]
    cluster.close()  # type: ignore[attr-defined]


def _local(tmp_path: Path) -> Path:
    db = tmp_path / "local.db"
    with Store(db) as st:
        process_corpus(read_corpus(str(tmp_path / "corpus")), st, SPEC, jobs=1)
    return db


def test_a_killed_worker_costs_no_rows(own_client: object, tmp_path: Path) -> None:
    _write_corpus(tmp_path)
    client = own_client
    client.run(_patch_workers, 0.4)  # type: ignore[attr-defined]
    pids: dict[str, int] = client.run(os.getpid)  # type: ignore[attr-defined]
    killed: list[int] = []

    def kill_a_busy_worker(done: int, total: int, docs: int) -> None:
        if killed:
            return
        for address, tasks in client.processing().items():  # type: ignore[attr-defined]
            if tasks and address in pids:
                os.kill(pids[address], signal.SIGKILL)
                killed.append(pids[address])
                return

    with Store(tmp_path / "dask.db") as st:
        s = process_on_cluster(
            str(tmp_path / "corpus"), st, SPEC, client, files_per_partition=1,
            progress=kill_a_busy_worker,
        )  # fmt: skip
    assert killed, "no worker was busy after the first partition"
    assert (s.documents, len(s.failed)) == (5, 0)
    assert _rows(tmp_path / "dask.db") == _rows(_local(tmp_path))


def test_a_partition_failing_on_every_retry_fails_the_run(
    own_client: object, tmp_path: Path
) -> None:
    """Its documents are unknown to the client: the run fails (exit 2), the other
    partitions are kept, and a re-run that succeeds stores what a local run stores."""
    _write_corpus(tmp_path)
    client = own_client
    client.run(_patch_workers, 0.0, "/3.txt")  # type: ignore[attr-defined]
    corpus = str(tmp_path / "corpus")
    with (
        Store(tmp_path / "dask.db") as st,
        pytest.raises(ClusterError, match="2.txt and 1 more") as e,
    ):
        process_on_cluster(corpus, st, SPEC, client, files_per_partition=2)
    assert "1 of 3 partitions failed" in str(e.value) and "MemoryError" in str(e.value)
    with Store(tmp_path / "dask.db") as st:
        assert len(list(st.query("SELECT * FROM partitions"))) == 2
    r = _check(corpus, "--scheduler", _address(client), "--db", str(tmp_path / "cli.db"))
    assert r.exit_code == 2 and "partitions failed on the cluster" in r.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in r.stderr  # type: ignore[attr-defined]

    client.run(_patch_workers)  # type: ignore[attr-defined]
    with Store(tmp_path / "dask.db") as st:
        again = process_on_cluster(corpus, st, SPEC, client, files_per_partition=2)
    assert (again.skipped_partitions, again.documents) == (2, 2)
    # The retried partition was stored last, so compare without the storing order.
    assert _rows(tmp_path / "dask.db", False) == _rows(_local(tmp_path), False)


def test_a_file_name_that_is_not_utf8_is_listed_on_the_cluster_too(
    client: object, tmp_path: Path, non_utf8_named_corpus: Path
) -> None:
    corpus = non_utf8_named_corpus
    local = _check(str(corpus), "--jobs", "1", "--db", str(tmp_path / "local.db"))
    remote = _check(str(corpus), "--scheduler", _address(client), "--db", str(tmp_path / "d.db"))
    assert local.exit_code == remote.exit_code == 1, remote.output  # type: ignore[attr-defined]
    assert "caf\\xe9.txt: the file name is not valid UTF-8" in remote.stderr  # type: ignore[attr-defined]
    assert json.loads(remote.stdout) == json.loads(local.stdout)  # type: ignore[attr-defined]
