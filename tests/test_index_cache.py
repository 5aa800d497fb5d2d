"""The compiled index is cached on disk and rebuilt when a source changes."""

import os
from pathlib import Path

from canonym import Gazetteer


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
