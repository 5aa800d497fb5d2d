"""The compiled index is cached on disk and rebuilt when a source changes."""

import dataclasses
import os
import pickle
import time
import warnings
from pathlib import Path

import pytest

from canonym import Gazetteer
from canonym.gazetteer import cache as index_cache
from canonym.gazetteer.core import layers_extra
from canonym.gazetteer.entity import Entity, GazetteerError
from canonym.gazetteer.files import search_layers

SAMPLE = "entities:\n  - {id: a, name: Alpha, type: place}\n"


def cache_files() -> list[Path]:
    return sorted(Path(os.environ["CANONYM_CACHE_DIR"]).glob(f"index-*{index_cache.SUFFIX}"))


def load_quietly(*paths: Path) -> tuple[Gazetteer, list[str]]:
    """A load and the cache warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gz = Gazetteer.load(*paths)
    return gz, [str(w.message) for w in caught if issubclass(w.category, index_cache.CacheWarning)]


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


def test_corrupt_cache_is_rebuilt_with_one_warning(tmp_path: Path) -> None:
    f = tmp_path / "g.yaml"
    f.write_text(SAMPLE, encoding="utf-8")
    Gazetteer.load(f)
    (cache,) = cache_files()
    cache.write_bytes(b"garbage")
    gz, warned = load_quietly(f)
    assert not gz.cached and [e.id for e in gz] == ["a"]
    assert len(warned) == 1 and str(cache) in warned[0]
    again, warned = load_quietly(f)  # the rebuilt cache is whole again
    assert again.cached and warned == []


class _Planted:
    """Unpickling this runs a command: what a planted cache file could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (os.system, (f"touch '{self.marker}'",))


def test_planted_pickle_never_runs(tmp_path: Path) -> None:
    f = tmp_path / "g.yaml"
    f.write_text(SAMPLE, encoding="utf-8")
    expected = Gazetteer.load(f, use_cache=False).link("Alpha")
    marker = tmp_path / "ran"
    planted = pickle.dumps(_Planted(marker))
    cache_dir = Path(os.environ["CANONYM_CACHE_DIR"])
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Under the name the cache would have, and under the name earlier versions read.
    extra = layers_extra(search_layers([f], with_defaults=False))
    key = index_cache.fingerprint([f], extra=extra)
    (cache_dir / f"index-{key}{index_cache.SUFFIX}").write_bytes(planted)
    (cache_dir / f"index-{key}.pickle").write_bytes(planted)
    gz, warned = load_quietly(f)
    assert not marker.exists()
    assert not gz.cached and gz.link("Alpha") == expected
    assert len(warned) == 1
    assert not list(cache_dir.glob("*.pickle"))  # leftovers of the old format are removed


def test_truncated_cache_is_a_miss(tmp_path: Path) -> None:
    f = tmp_path / "g.yaml"
    f.write_text(SAMPLE, encoding="utf-8")
    Gazetteer.load(f)
    (cache,) = cache_files()
    whole = cache.read_bytes()
    for size in (0, 10, len(whole) // 2, len(whole) - 1):
        cache.write_bytes(whole[:size])
        gz, warned = load_quietly(f)
        assert not gz.cached and [e.id for e in gz] == ["a"], size
        assert len(warned) == 1, size
        assert cache.read_bytes() == whole  # overwritten with a whole one


def test_same_size_edit_with_restored_mtime_is_rebuilt(tmp_path: Path) -> None:
    f = tmp_path / "g.yaml"
    f.write_text(SAMPLE, encoding="utf-8")
    assert [e.name for e in Gazetteer.load(f)] == ["Alpha"]
    st = f.stat()
    f.write_text(SAMPLE.replace("Alpha", "Omega"), encoding="utf-8")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert f.stat().st_size == st.st_size and f.stat().st_mtime_ns == st.st_mtime_ns
    gz = Gazetteer.load(f)
    assert not gz.cached and [e.name for e in gz] == ["Omega"]


def test_same_file_by_another_path_keeps_its_own_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "g.yaml"
    f.write_text(SAMPLE, encoding="utf-8")
    Gazetteer.load(f)
    monkeypatch.chdir(tmp_path)
    gz = Gazetteer.load(Path("g.yaml"))
    assert gz.get("a").source == "g.yaml"


def test_dump_and_load_give_back_the_same_index(bundled: Gazetteer) -> None:
    built = bundled.index
    loaded = index_cache.load_index(index_cache.dump_index(built))
    for f in dataclasses.fields(built):
        mine, theirs = getattr(built, f.name), getattr(loaded, f.name)
        assert mine == theirs and type(mine) is type(theirs), f.name


def test_an_index_the_format_cannot_hold_is_not_cached(tmp_path: Path) -> None:
    gz = Gazetteer.from_entities([Entity("a", "Al\0pha", "place")])
    with pytest.raises(ValueError):
        index_cache.dump_index(gz.index)
    # A gazetteer file cannot hold such a name at all: validation refuses it first.
    f = tmp_path / "g.yaml"
    f.write_text('entities:\n  - {id: a, name: "Al\\0pha", type: place}\n', encoding="utf-8")
    with pytest.raises(GazetteerError):
        Gazetteer.load(f)
    assert not cache_files()


def test_cache_file_mode_follows_the_umask(tmp_path: Path) -> None:
    f = tmp_path / "g.yaml"
    f.write_text(SAMPLE, encoding="utf-8")
    old = os.umask(0o027)
    try:
        Gazetteer.load(f)
    finally:
        os.umask(old)
    (cache,) = cache_files()
    assert cache.stat().st_mode & 0o777 == 0o640


def test_old_caches_are_pruned_most_recently_used_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CANONYM_CACHE_DIR", str(cache))
    files = []
    for i in range(index_cache.KEEP_CACHES + 2):
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
    assert len(cache_files()) == index_cache.KEEP_CACHES
    assert not Gazetteer.load(files[1]).cached  # the least recently used went first


def test_entities_and_warnings_survive_the_cache_whole(tmp_path: Path) -> None:
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
    assert cached.index.key_table == built.index.key_table
    # Entities and problems also pickle whole on their own, as worker processes get them.
    e, p = cached.get("mosul"), cached.warnings[0]
    assert pickle.loads(pickle.dumps(e)) == e and pickle.loads(pickle.dumps(p)) == p


def test_a_change_to_the_key_code_rebuilds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The keying code is part of the key rules: an index keyed by older code is a miss."""
    f = tmp_path / "g.yaml"
    f.write_text(SAMPLE, encoding="utf-8")
    Gazetteer.load(f)
    assert Gazetteer.load(f).cached
    monkeypatch.setattr(index_cache, "_KEY_CODE", index_cache._KEY_CODE + b"# edited\n")
    assert not Gazetteer.load(f).cached
