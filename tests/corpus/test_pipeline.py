"""Corpus runs: the same rows for one or two processes, skipping, resuming, failures."""

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from canonym.corpus.documents import Document, read_corpus
from canonym.corpus.run import GazetteerSpec, process_corpus, results_key
from canonym.corpus.store import GazetteerMismatch, Store, StoreConflict
from canonym.jobs.aliases import build_alias_table
from canonym.jobs.lint import check_store


def select(st: Store, sql: str) -> list[sqlite3.Row]:
    """Rows of the database behind ``st``, for asserting on what it stores."""
    cur = st.db.cursor()
    cur.row_factory = sqlite3.Row
    return list(cur.execute(sql))


def rows(db: Path) -> list[tuple[object, ...]]:
    with Store(db) as st:
        mentions = [
            tuple(r)
            for r in select(
                st,
                "SELECT d.seq, m.n, m.start, m.end, m.line, m.col, m.surface, m.status, "
                "m.entity_id, m.replacement, m.method, m.context, d.lang "
                "FROM mentions m JOIN documents d ON d.hash = m.hash ORDER BY d.seq, m.n",
            )
        ]
        sources = [tuple(r) for r in select(st, "SELECT * FROM sources ORDER BY source")]
    return mentions + sources


def run(corpus: Path, db: Path, spec: GazetteerSpec, **kw: object):  # type: ignore[no-untyped-def]
    with Store(db) as st:
        return process_corpus(read_corpus(str(corpus)), st, spec, **kw)  # type: ignore[arg-type]


def test_one_and_two_processes_store_the_same_rows(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    s1 = run(corpus_dir, tmp_path / "one.db", spec, jobs=1)
    s2 = run(corpus_dir, tmp_path / "two.db", spec, jobs=2, window=2)
    assert s1.processed == s2.processed == 5
    assert rows(tmp_path / "one.db") == rows(tmp_path / "two.db")
    assert len(rows(tmp_path / "one.db")) > 20


def test_second_run_skips_stored_documents(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    run(corpus_dir, db, spec, jobs=1)
    (corpus_dir / "b" / "six.txt").write_text("New: Hachd al-Chaabi in Mossoul.\n")
    (corpus_dir / "b" / "copy.txt").write_text((corpus_dir / "a" / "one.txt").read_text())
    again = run(corpus_dir, db, spec, jobs=1)
    assert (again.processed, again.skipped) == (1, 6)
    with Store(db) as st:
        assert st.counts()["documents"] == 6 and st.counts()["sources"] == 7


def test_interrupted_run_keeps_finished_windows_and_resumes(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    db = tmp_path / "c.db"

    def dying() -> Iterator[Document]:
        for i, d in enumerate(read_corpus(str(corpus_dir))):
            if i == 3:
                raise KeyboardInterrupt
            yield d

    with Store(db) as st, pytest.raises(KeyboardInterrupt):
        process_corpus(dying(), st, spec, jobs=1, window=2)
    with Store(db) as st:
        assert st.counts()["documents"] == 2  # the first window of two, committed
    resumed = run(corpus_dir, db, spec, jobs=1, window=2)
    assert (resumed.processed, resumed.skipped) == (3, 2)
    run(corpus_dir, tmp_path / "clean.db", spec, jobs=1)
    assert rows(db) == rows(tmp_path / "clean.db")


def test_unreadable_documents_are_recorded_not_fatal(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    (corpus_dir / "a" / "bad.txt").write_bytes(b"\x00\x00")
    s = run(corpus_dir, tmp_path / "c.db", spec, jobs=2)
    assert s.processed == 5
    assert [src.endswith("bad.txt") for src, _ in s.failed] == [True]
    with Store(tmp_path / "c.db") as st:
        assert len(st.failures()) == 1


def extended(spec: GazetteerSpec, tmp_path: Path) -> GazetteerSpec:
    extra = tmp_path / "extra.yaml"
    extra.write_text("entities:\n  - {id: zubaidi, name: Abu Haidar al-Zubaidi, type: person}\n")
    return GazetteerSpec(paths=(*spec.paths, str(extra)), with_defaults=False)


def test_changed_gazetteer_is_refused_until_the_database_is_rebuilt(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    run(corpus_dir, db, spec, jobs=1)
    before = rows(db)
    spec2 = extended(spec, tmp_path)
    with pytest.raises(GazetteerMismatch, match="another gazetteer"):
        run(corpus_dir, db, spec2, jobs=1)
    assert rows(db) == before  # nothing of the refused run was written
    with Store(db) as st:
        st.reset_results()
    again = run(corpus_dir, db, spec2, jobs=1)
    assert again.processed == 5
    with Store(db) as st:
        found = list(select(st, "SELECT COUNT(*) AS n FROM mentions WHERE entity_id = 'zubaidi'"))
        assert found[0]["n"] == 3


def test_another_acceptance_threshold_is_another_analysis(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    run(corpus_dir, db, spec, jobs=1)
    strict = GazetteerSpec(paths=spec.paths, with_defaults=False, accept=1.0)
    with pytest.raises(GazetteerMismatch):
        run(corpus_dir, db, strict, jobs=1)


def test_a_run_stops_when_another_gazetteer_takes_over_the_database(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    spec2 = extended(spec, tmp_path)

    def take_over(done: int) -> None:
        if done == 2:  # after the first window: a rebuild for another gazetteer
            with Store(db) as other:
                other.reset_results()
                other.start_run(results_key(spec2.load()))

    with Store(db) as st, pytest.raises(StoreConflict):
        process_corpus(read_corpus(str(corpus_dir)), st, spec, jobs=1, window=2, progress=take_over)
    with Store(db) as st:
        assert st.counts()["documents"] == 0  # the first run added nothing after the rebuild
    run(corpus_dir, db, spec2, jobs=1)
    run(corpus_dir, tmp_path / "clean.db", spec2, jobs=1)
    assert rows(db) == rows(tmp_path / "clean.db")


class _DiesWritingMentions:
    """A connection that is interrupted while storing the ``n``-th document's mentions."""

    def __init__(self, db: sqlite3.Connection, n: int) -> None:
        self._db, self._left = db, n

    def executemany(self, sql: str, rows: Iterable[object]) -> sqlite3.Cursor:
        if "mentions" in sql:
            self._left -= 1
            if self._left == 0:
                raise KeyboardInterrupt
        return self._db.executemany(sql, rows)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(self._db, name)


def test_interrupted_window_leaves_no_document_half_stored(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    with Store(db) as st, pytest.raises(KeyboardInterrupt):
        st.db = _DiesWritingMentions(st.db, 2)  # type: ignore[assignment]
        process_corpus(read_corpus(str(corpus_dir)), st, spec, jobs=1, window=5)
    with Store(db) as st:
        assert st.counts()["documents"] == 0  # the window is stored whole or not at all
    run(corpus_dir, db, spec, jobs=1)
    run(corpus_dir, tmp_path / "clean.db", spec, jobs=1)
    assert rows(db) == rows(tmp_path / "clean.db")


def test_findings_and_alias_tables_cover_only_the_corpus_of_the_run(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    run(corpus_dir, db, spec, jobs=1)
    other = tmp_path / "other"
    other.mkdir()
    (other / "new.txt").write_text("Hisbollah in Mossoul.\n")
    (other / "copy.txt").write_text((corpus_dir / "a" / "one.txt").read_text())
    gz = spec.load()
    with Store(db) as st:
        process_corpus(read_corpus(str(other)), st, spec, jobs=1)
        findings = check_store(st)
        table = build_alias_table(st, gz)
    assert findings and {Path(f.source).parent for f in findings} == {other}
    # The copy was stored by the first run and skipped by this one, yet it is reported.
    assert any(f.rule == "non-canonical" and f.doc_id == "copy.txt" for f in findings)
    variants = {v.variant: v for v in table.variants}
    assert "Abou Haïdar al-Zoubaidi" not in variants  # only in the first corpus
    assert variants["Hisbollah"].documents == 1
    assert variants["Hachd al-Chaabi"].first_document == "copy.txt"
    with Store(db) as st:  # opened without a run: the whole database
        assert {Path(f.source).parent for f in check_store(st)} > {other}


def test_database_is_readable_while_a_run_writes(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    seen: list[int] = []
    with Store(db) as writer:

        def peek(done: int) -> None:
            with Store(db) as reader:  # a second connection, as another process would open
                seen.append(reader.counts()["documents"])

        process_corpus(read_corpus(str(corpus_dir)), writer, spec, jobs=1, window=2, progress=peek)
    assert seen == [2, 4, 5]


def test_cluster_rerun_reports_the_partitions_it_skipped(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed", reason="Dask not installed (canonym[dask])")
    from canonym.corpus.cluster import process_on_cluster

    db = tmp_path / "c.db"
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.txt").write_text("Hisbollah in Mossoul.\n")
    run(other, db, spec, jobs=1)
    with distributed.Client(processes=False, n_workers=1, dashboard_address=":0") as client:
        reports = []
        for _ in range(2):
            with Store(db) as st:
                s = process_on_cluster(str(corpus_dir), st, spec, client, files_per_partition=2)
                reports.append(check_store(st))
    assert s.skipped_partitions == 3 and s.processed == 0
    assert {Path(f.source).parent.parent for f in reports[0]} == {corpus_dir}
    assert reports[1] == reports[0]


def test_a_copy_in_the_window_after_is_skipped_while_its_original_is_in_flight(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    # Windows of two: the copy arrives in the window sent while the one holding its
    # original is still being written, and is skipped all the same.
    docs = list(read_corpus(str(corpus_dir)))
    copy = Document(docs[1].doc_id + "-copy", docs[1].source + "#copy", docs[1].text)
    order = [*docs[:2], copy, *docs[2:]]
    summaries = []
    for jobs in (1, 2):
        with Store(tmp_path / f"{jobs}.db") as st:
            summaries.append(process_corpus(iter(order), st, spec, jobs=jobs, window=2))
    assert [(s.processed, s.skipped, s.documents) for s in summaries] == [(5, 1, 6)] * 2
    assert rows(tmp_path / "1.db") == rows(tmp_path / "2.db")


def test_a_window_analyzed_whole_is_kept_when_reading_the_next_fails(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    def failing() -> Iterator[Document]:
        for i, d in enumerate(read_corpus(str(corpus_dir))):
            if i == 3:  # in the second window, the first still with the workers
                raise OSError("the disk went away")
            yield d

    with Store(tmp_path / "c.db") as st, pytest.raises(OSError):
        process_corpus(failing(), st, spec, jobs=2, window=2)
    with Store(tmp_path / "c.db") as st:
        assert st.counts()["documents"] == 2
