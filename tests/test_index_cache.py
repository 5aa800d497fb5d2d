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


def test_entities_and_warnings_survive_the_cache_whole(tmp_path: Path) -> None:
    import pickle

    f = tmp_path / "g.yaml"
    f.write_text(
        "entities:\n"
        "  - id: mosul\n    name: Mosul\n    type: place\n    names: [Al-Mawsil]\n"
        "    aliases: [Mossoul, الموصل, Twin]\n    wikidata: Q83491\n    geonames: '99072'\n"
        "    country: IQ\n    description: City.\n"
        "  - {id: other, name: Other, type: place, aliases: [Twin]}\n",
        encoding="utf-8",
    )
    built = Gazetteer.load(f)
    cached = Gazetteer.load(f)
    assert not built.cached and cached.cached
    assert list(cached) == list(built) and cached.get("mosul").country == "IQ"
    assert cached.warnings == built.warnings and "Twin" in str(cached.warnings[0])
    assert cached.index.by_key == built.index.by_key
    # Entities and problems also pickle whole on their own, as worker processes get them.
    e, p = cached.get("mosul"), cached.warnings[0]
    assert pickle.loads(pickle.dumps(e)) == e and pickle.loads(pickle.dumps(p)) == p
