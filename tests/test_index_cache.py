"""The compiled index is cached on disk and rebuilt when a source changes."""

import os
import time
from pathlib import Path

import pytest

from canonym import Gazetteer, index


def test_cache_reused_then_rebuilt_on_change(tmp_path: Path) -> None:
    f = tmp_path / "g.yaml"
    f.write_text("entities:\n  - {id: a, name: Alpha, type: place}\n", encoding="utf-8")
    first = Gazetteer.load(f)
    second = Gazetteer.load(f)
    assert (first.cached, second.cached) == (False, True)
    assert second.link("Alpha") is not None

    f.write_text("entities:\n  - {id: b, name: Bravo, type: place}\n", encoding="utf-8")
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    third = Gazetteer.load(f)
    assert not third.cached
    assert [e.id for e in third] == ["b"]


def test_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    f = tmp_path / "g.yaml"
    f.write_text("entities:\n  - {id: a, name: Alpha, type: place}\n", encoding="utf-8")
    Gazetteer.load(f)
    cache = Path(os.environ["CANONYM_CACHE_DIR"])
    for p in cache.glob("index-*.pickle"):
        p.write_bytes(b"garbage")
    gz = Gazetteer.load(f)
    assert not gz.cached and [e.id for e in gz] == ["a"]


def test_old_caches_are_pruned_most_recently_used_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CANONYM_CACHE_DIR", str(cache))
    files = []
    for i in range(index.KEEP_CACHES + 2):
        f = tmp_path / f"g{i}.yaml"
        f.write_text(f"entities:\n  - {{id: e{i}, name: Name{i}, type: place}}\n", "utf-8")
        files.append(f)
    Gazetteer.load(files[0])
    for n, f in enumerate(files[1:], start=1):
        time.sleep(0.02)  # file times tick every few milliseconds
        Gazetteer.load(f)
        time.sleep(0.02)
        # The first gazetteer is used again and again: its cache must survive.
        assert Gazetteer.load(files[0]).cached, n
    assert len(list(cache.glob("index-*.pickle"))) == index.KEEP_CACHES
    assert not Gazetteer.load(files[1]).cached  # the least recently used went first


def test_entities_and_problems_survive_the_cache_whole() -> None:
    import pickle

    from canonym.sources import Entity, Problem

    e = Entity(
        "mosul", "Mosul", "place", names=("Al-Mawsil",), aliases=("Mossoul", "الموصل"),
        wikidata="Q83491", geonames="99072", country="IQ", description="City.",
        source="places.yaml", line=12,
    )  # fmt: skip
    p = Problem("places.yaml", 3, "shared name", entity="mosul", severity="warning")
    assert pickle.loads(pickle.dumps(e)) == e
    assert pickle.loads(pickle.dumps(p)) == p
