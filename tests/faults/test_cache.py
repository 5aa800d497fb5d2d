"""A damaged index cache is a miss: the same results as a fresh build, never a crash."""

import dataclasses
import os
import random
import warnings
from pathlib import Path

from canonym import Gazetteer
from canonym.gazetteer import cache as index_cache
from canonym.gazetteer.index import Index

DATA = Path(__file__).resolve().parents[1] / "data"
QUERIES = ("Mosul", "Mossoul", "Kirkouk", "al-Baghdadi", "Barzani", "Tripoli", "Hezbolla", "Nope")


def answers(gz: Gazetteer) -> list[object]:
    return [gz.resolve(q) for q in QUERIES] + [list(gz), gz.warnings]


def test_random_byte_flips_never_change_results(tmp_path: Path) -> None:
    src = tmp_path / "mini.yaml"
    src.write_bytes((DATA / "mini.yaml").read_bytes())
    fresh = Gazetteer.load(src, use_cache=False)
    expected = answers(fresh)
    assert Gazetteer.load(src).cached is False
    (cache,) = Path(os.environ["CANONYM_CACHE_DIR"]).glob(f"index-*{index_cache.SUFFIX}")
    whole = cache.read_bytes()
    rng = random.Random(20240601)
    for n in range(60):
        damaged = bytearray(whole)
        at = rng.randrange(len(damaged))
        damaged[at] ^= rng.randrange(1, 256)
        cache.write_bytes(bytes(damaged))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            gz = Gazetteer.load(src)
        what = f"flip {n} at byte {at}"
        assert not gz.cached, what
        assert answers(gz) == expected, what
        for f in dataclasses.fields(Index):
            assert getattr(gz.index, f.name) == getattr(fresh.index, f.name), (what, f.name)
        cache_warnings = [w for w in caught if issubclass(w.category, index_cache.CacheWarning)]
        assert len(cache_warnings) == 1 and str(cache) in str(cache_warnings[0].message), what
        # The rebuilt cache is whole: the next run reads it without a warning.
        assert cache.read_bytes() == whole, what
        with warnings.catch_warnings():
            warnings.simplefilter("error", index_cache.CacheWarning)
            assert Gazetteer.load(src).cached, what
