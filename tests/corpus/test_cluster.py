"""Corpus runs on a Dask LocalCluster store exactly what a one-process run stores."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from canonym.corpus.cluster import process_on_cluster
from canonym.corpus.documents import read_corpus
from canonym.corpus.run import GazetteerSpec, process_corpus
from canonym.corpus.store import Store
from canonym.jobs.aliases import build_alias_table
from canonym.jobs.lint import check_store

from .test_pipeline import rows

distributed = pytest.importorskip("distributed", reason="Dask not installed (canonym[dask])")
FIXTURE_JSONL = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "articles.jsonl"


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_same_results_as_one_process_and_rerun_skips(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path, client: object
) -> None:
    (corpus_dir / "b" / "zz-broken.txt").write_bytes(b"\x00\x01 binary")
    local, dask = tmp_path / "local.db", tmp_path / "dask.db"
    with Store(local) as st:
        process_corpus(read_corpus(str(corpus_dir)), st, spec, jobs=1)
    with Store(dask) as st:
        s = process_on_cluster(str(corpus_dir), st, spec, client, files_per_partition=2)
    assert (s.processed, len(s.failed)) == (5, 1)
    assert rows(local) == rows(dask)
    gz = spec.load()
    with Store(local) as a, Store(dask) as b:
        assert check_store(a) == check_store(b)
        assert build_alias_table(a, gz).to_dict() == build_alias_table(b, gz).to_dict()
        assert a.failures() == b.failures()
    with Store(dask) as st:
        again = process_on_cluster(str(corpus_dir), st, spec, client, files_per_partition=2)
    assert (again.processed, again.skipped_partitions, again.documents) == (0, 3, 0)


def test_json_lines_cut_into_byte_ranges_keep_line_numbers(
    spec: GazetteerSpec, tmp_path: Path, client: object
) -> None:
    with Store(tmp_path / "local.db") as st:
        local = process_corpus(read_corpus(str(FIXTURE_JSONL), text_field="body"), st, spec, jobs=1)
    with Store(tmp_path / "dask.db") as st:
        dask = process_on_cluster(
            str(FIXTURE_JSONL), st, spec, client, text_field="body", bytes_per_partition=3000
        )
    assert dask.failed == local.failed == [(f"{FIXTURE_JSONL}:7", dask.failed[0][1])]
    assert rows(tmp_path / "local.db") == rows(tmp_path / "dask.db")


def test_scheduler_option_without_dask_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, corpus_dir: Path
) -> None:
    import builtins

    from typer.testing import CliRunner

    from canonym.cli.app import app

    real_import = builtins.__import__

    def no_distributed(name: str, *args: object, **kwargs: object) -> object:
        if name == "distributed":
            raise ImportError("No module named 'distributed'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    r = CliRunner().invoke(
        app, ["check", str(corpus_dir), "--scheduler", "tcp://127.0.0.1:1", "--no-bundled",
              "-g", spec_path()],
    )  # fmt: skip
    assert r.exit_code == 2 and "pip install 'canonym[dask]'" in r.stderr


def spec_path() -> str:
    from .conftest import MINI

    return str(MINI)


def test_fsspec_urls_for_corpus_and_report(corpus_dir: Path) -> None:
    """An in-memory fsspec filesystem stands in for s3:// or gs:// (so the cluster's
    workers are threads of this process, which sees that filesystem)."""
    import json

    import fsspec
    from typer.testing import CliRunner

    from canonym.cli.app import app

    fs = fsspec.filesystem("memory")
    for f in sorted(corpus_dir.rglob("*.txt")):
        fs.pipe(f"/news/{f.relative_to(corpus_dir).as_posix()}", f.read_bytes())
    args = ["check", "memory://news", "--format", "json", "--no-bundled", "-g", spec_path()]
    local = CliRunner().invoke(app, [*args, "--jobs", "1", "-o", "memory://out/local.json"])
    assert local.exit_code == 1, local.output
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as c:
        remote = CliRunner().invoke(app, [*args, "--scheduler", c.scheduler_address])
    assert remote.exit_code == 1, remote.output
    written = json.loads(fs.cat("/out/local.json"))
    assert written == json.loads(remote.stdout)
    assert written["findings"][0]["source"].endswith("news/a/one.txt")


def test_missing_fsspec_backend_is_named(spec: GazetteerSpec) -> None:
    from canonym.corpus.documents import read_corpus
    from canonym.io import InputError

    with pytest.raises(InputError, match="s3fs"):
        list(read_corpus("s3://no-such-bucket/news/"))


def test_batch_normalize_on_the_cluster_matches_local(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path, client: object
) -> None:
    from canonym.corpus.batch import BatchSpec, normalize_corpus

    bspec = BatchSpec(spec)
    local = normalize_corpus(str(corpus_dir), str(tmp_path / "local"), bspec, jobs=1)
    remote = normalize_corpus(str(corpus_dir), str(tmp_path / "dask"), bspec, scheduler=client)
    assert (local.documents, local.changed) == (remote.documents, remote.changed) == (5, 4)
    for f in sorted((tmp_path / "local").rglob("*.*")):
        twin = tmp_path / "dask" / f.relative_to(tmp_path / "local")
        assert twin.read_text(encoding="utf-8") == f.read_text(encoding="utf-8")


def _local_and_cluster(
    corpus: Path, spec: GazetteerSpec, tmp_path: Path, client: object, **kw: object
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Failures of a one-process run and of a cluster run; their stores hold the same rows."""
    tmp_path.mkdir(exist_ok=True)
    with Store(tmp_path / "local.db") as st:
        process_corpus(read_corpus(str(corpus)), st, spec, jobs=1)
        local = st.failures()
    with Store(tmp_path / "dask.db") as st:
        process_on_cluster(str(corpus), st, spec, client, **kw)  # type: ignore[arg-type]
        remote = st.failures()
    assert rows(tmp_path / "local.db") == rows(tmp_path / "dask.db")
    return local, remote


def test_a_lone_surrogate_fails_its_record_alone(
    spec: GazetteerSpec, tmp_path: Path, client: object
) -> None:
    """JSON may escape half a surrogate pair; such a string has no UTF-8 form, so the
    record is listed as unreadable and every other record of its partition lands."""
    good = [{"id": f"g{i}", "text": f"Hezbollah in Mosul, report {i}."} for i in range(6)]
    lines = [json.dumps(r) for r in good]
    lines.insert(2, '{"id": "bad", "text": "Hisbollah \\ud800 in Irak"}')
    lines.insert(5, '{"id": "half \\udc00 id", "text": "Hizbollah in Kirkuk"}')
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    local, remote = _local_and_cluster(corpus, spec, tmp_path, client)
    assert local == remote
    assert [(s, e.split(" (")[0]) for s, e in remote] == [
        (f"{corpus}:3", "lone surrogate at character 10 of field 'text'"),
        (f"{corpus}:6", "lone surrogate at character 5 of field 'id'"),
    ]
    with Store(tmp_path / "dask.db") as st:
        assert len(list(st.query("SELECT * FROM sources"))) == 6


def test_unicode_line_separators_inside_strings_are_text(
    spec: GazetteerSpec, tmp_path: Path, client: object
) -> None:
    """JSON lines end at b"\\n" only: U+2028, U+2029, NEL and other characters that
    str.splitlines() breaks on are ordinary text inside a JSON string."""
    texts = [
        "Hezbollah\u2028in Mosul.",
        "Hisbollah\u2029in Irak.",
        "Hizbollah\x85in Kirkuk.",
        "Abu Haidar al-Zubaidi\x0bspoke\x0cin\x1cMosul\x1d.\x1e",
        "Hashd al-Shaabi in Mosul.",
    ]
    lines = [
        json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(texts)
    ]
    lines.insert(4, "{not json")
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("\n".join(lines * 3) + "\n", encoding="utf-8")
    local, remote = _local_and_cluster(corpus, spec, tmp_path, client, bytes_per_partition=200)
    assert local == remote
    assert [s for s, _ in remote] == sorted(f"{corpus}:{n}" for n in (5, 11, 17))


def test_a_csv_file_or_one_text_file_is_read_as_a_local_run_reads_it(
    spec: GazetteerSpec, tmp_path: Path, client: object
) -> None:
    """Only JSON lines are cut into byte ranges: a CSV row may span lines, and a
    single text file is one document."""
    csv_file = tmp_path / "news.csv"
    csv_file.write_text(
        'id,text\nc1,"Hezbollah in Mosul.\nHisbollah in Irak."\nc2,Abu Haidar al-Zubaidi\n',
        encoding="utf-8",
    )
    one = tmp_path / "one.txt"
    one.write_text("Hachd al-Chaabi fighters near Kirkuk.\n", encoding="utf-8")
    for corpus in (csv_file, one):
        local, remote = _local_and_cluster(corpus, spec, tmp_path / corpus.stem, client)
        assert local == remote == []
        with Store(tmp_path / corpus.stem / "dask.db") as st:
            assert len(list(st.query("SELECT * FROM sources"))) == (2 if corpus == csv_file else 1)
