"""Corpus runs: the same rows for one or two processes, skipping, resuming, failures."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from canonym.corpus import Document, read_corpus
from canonym.pipeline import GazetteerSpec, process_corpus
from canonym.store import Store


def rows(db: Path) -> list[tuple[object, ...]]:
    with Store(db) as st:
        mentions = [
            tuple(r)
            for r in st.query(
                "SELECT d.seq, m.n, m.start, m.end, m.line, m.col, m.surface, m.status, "
                "m.entity_id, m.replacement, m.method, m.context, d.lang "
                "FROM mentions m JOIN documents d ON d.hash = m.hash ORDER BY d.seq, m.n"
            )
        ]
        sources = [tuple(r) for r in st.query("SELECT * FROM sources ORDER BY source")]
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


def test_changed_gazetteer_redoes_the_corpus(
    corpus_dir: Path, spec: GazetteerSpec, tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    run(corpus_dir, db, spec, jobs=1)
    extra = tmp_path / "extra.yaml"
    extra.write_text("entities:\n  - {id: zubaidi, name: Abu Haidar al-Zubaidi, type: person}\n")
    spec2 = GazetteerSpec(paths=(*spec.paths, str(extra)), with_defaults=False)
    again = run(corpus_dir, db, spec2, jobs=1)
    assert again.processed == 5
    with Store(db) as st:
        found = list(st.query("SELECT COUNT(*) AS n FROM mentions WHERE entity_id = 'zubaidi'"))
        assert found[0]["n"] == 3


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
