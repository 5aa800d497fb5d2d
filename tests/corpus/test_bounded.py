"""Corpus memory: what the parent and the normalizer keep stays bounded; one index per process."""

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from canonym import Gazetteer, Normalizer
from canonym.corpus.batch import BatchSpec, normalize_corpus
from canonym.corpus.documents import Document
from canonym.corpus.run import GazetteerSpec, process_corpus
from canonym.corpus.store import Store
from canonym.gazetteer.index import Index

from .conftest import ARTICLES, MINI

_SYL = ["ka", "ro", "vi", "zu", "te", "mo", "la", "shi", "dan", "bek", "nor", "quil"]


def unknown_names(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(_SYL) for _ in range(3)).capitalize() for _ in range(n)]


def documents(n: int, seed: int = 3) -> list[str]:
    """Distinct documents, each naming new people beside the gazetteer's names."""
    rng = random.Random(seed)
    base = list(ARTICLES.values())
    out = []
    for i in range(n):
        a, b, c = unknown_names(rng, 3)
        out.append(f"{a} {b} met {c} in Mosul (report {i}).\n\n{base[i % len(base)]}")
    return out


def containers(root: object) -> dict[str, int]:
    """The size of every dict, set and list the normalizer's stages hold, by path.

    The index and the entities are the gazetteer's, loaded once: not walked.
    """
    sizes: dict[str, int] = {}
    seen: set[int] = set()
    todo: list[tuple[str, object]] = [("normalizer", root)]
    while todo:
        path, obj = todo.pop()
        if id(obj) in seen or isinstance(obj, Index | Gazetteer | str | bytes | int | float):
            continue
        seen.add(id(obj))
        if isinstance(obj, dict | set | frozenset | list | tuple):
            if not isinstance(obj, tuple):
                sizes[path] = len(obj)
            continue
        if type(obj).__module__.startswith("canonym."):
            attrs = getattr(obj, "__dict__", {})
            slots = [s for c in type(obj).__mro__ for s in getattr(c, "__slots__", ())]
            for name in [*attrs, *slots]:
                if hasattr(obj, name):
                    todo.append((f"{path}.{name}", getattr(obj, name)))
    return sizes


def test_the_normalizer_caches_stay_bounded_however_many_documents() -> None:
    cap = 40
    norm = Normalizer(Gazetteer.load(MINI), cache_size=cap)
    docs = documents(240)
    for d in docs[:120]:
        norm.normalize(d)
    half = containers(norm)
    for d in docs[120:]:
        norm.normalize(d)
    full = containers(norm)
    assert full.keys() == half.keys() and len(full) >= 5
    for path, n in full.items():
        # A memo holds at most its cap; every other structure does not grow at all.
        assert n <= max(cap, half[path]), (path, half[path], n)


def test_duplicates_across_windows_are_skipped_through_the_database(tmp_path: Path) -> None:
    texts = documents(6)
    # Each text three times, far apart: in other windows than its first reading.
    corpus = [Document(f"d{i}", f"d{i}.txt", texts[i % 6]) for i in range(18)]
    with Store(tmp_path / "c.db") as st:
        spec = GazetteerSpec(paths=(str(MINI),), with_defaults=False)
        summary = process_corpus(iter(corpus), st, spec, jobs=1, window=4)
        assert (summary.processed, summary.skipped) == (6, 12)
        assert st.counts()["documents"] == 6


def _refuse_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def load(self: GazetteerSpec) -> Gazetteer:
        raise AssertionError("the index was opened a second time")

    monkeypatch.setattr(GazetteerSpec, "load", load)


def test_a_run_given_its_gazetteer_does_not_open_the_index_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = GazetteerSpec(paths=(str(MINI),), with_defaults=False)
    gz = spec.load()
    _refuse_loading(monkeypatch)
    docs: Iterator[Document] = iter([Document("a", "a.txt", t) for t in documents(3)])
    with Store(tmp_path / "c.db") as st:
        assert process_corpus(docs, st, spec, jobs=1, gazetteer=gz).processed == 3


def test_a_batch_given_its_gazetteer_does_not_open_the_index_again(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = BatchSpec(GazetteerSpec(paths=(str(MINI),), with_defaults=False), translate="never")
    gz = spec.gazetteer.load()
    _refuse_loading(monkeypatch)
    summary = normalize_corpus(str(corpus_dir), str(tmp_path / "out"), spec, jobs=1, gazetteer=gz)
    assert summary.documents == len(ARTICLES) and not summary.failed
