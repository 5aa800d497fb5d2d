"""Key tables for a compiled index: two static trie packages beside a plain baseline.

    python bench/tries.py [--sizes 300000,1000000,3000000]

The keys are the bundled gazetteer's name keys and surface forms, scaled up with
generated transliteration variants of them (``bench/scale.py``'s generator: ou/u,
sh/ch, k/q, doubled consonants), so that the tables hold keys of the shape a real
gazetteer's do. Per size and package, in a fresh process each: build seconds,
size on disk, open milliseconds (the file to a table that answers), lookups per
second (half hits, half misses), and the process's RSS grown by opening and by
the lookups.

* marisa-trie: a LOUDS trie, memory-mapped (``Trie().mmap``); every key has a
  dense id, the position of its postings in the integer arrays beside it.
* dawg2: a DAWG (``CompletionDAWG``), read into the process (``load``).
* baseline: the keys sorted, one per line, read into a list and searched with
  ``bisect``: what plain Python does without a package.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import rss_mib, variants  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("marisa", "dawg2", "sorted+bisect")


def keys_of_size(size: int, seed: int = 3) -> list[str]:
    """``size`` distinct keys: the bundled gazetteer's, then variants of them."""
    from canonym import Gazetteer

    ix = Gazetteer.default(use_cache=True).index
    base = sorted({*ix.key_table, *ix.surface_table})
    out = dict.fromkeys(base)
    rng = random.Random(seed)
    # Variants of variants too: a handful of swaps per key would run dry by 1M.
    pool = [k for k in base if len(k) >= 4]
    while len(out) < size:
        for v in variants(rng.choice(pool), rng, 4):
            if v not in out:
                out[v] = None
                pool.append(v)
    return sorted(list(out)[:size])


def build(name: str, keys: list[str], path: Path) -> None:
    if name == "marisa":
        import marisa_trie

        marisa_trie.Trie(keys).save(str(path))
    elif name == "dawg2":
        import dawg

        dawg.CompletionDAWG(keys).save(str(path))
    else:
        path.write_text("\n".join(keys), encoding="utf-8")


def child(name: str, path: str, probes_path: str) -> dict[str, float]:
    """Open one table in this fresh process and look the probes up."""
    probes = json.loads(Path(probes_path).read_text(encoding="utf-8"))
    before = rss_mib()
    t0 = time.perf_counter()
    if name == "marisa":
        import marisa_trie

        trie = marisa_trie.Trie().mmap(path)
        has = trie.__contains__
    elif name == "dawg2":
        import dawg

        d = dawg.CompletionDAWG().load(path)
        has = d.__contains__
    else:
        table = Path(path).read_text(encoding="utf-8").split("\n")

        def has(k: str) -> bool:
            i = bisect.bisect_left(table, k)
            return i < len(table) and table[i] == k

    open_ms = (time.perf_counter() - t0) * 1000
    opened = rss_mib() - before
    t0 = time.perf_counter()
    hits = sum(map(has, probes))
    rate = len(probes) / (time.perf_counter() - t0)
    return {"open_ms": open_ms, "rss_open": opened, "rss": rss_mib() - before, "rate": rate,
            "hits": hits}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="300000,1000000,3000000", help="key counts")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    print("| keys | package | build s | on disk MiB | open ms | lookups/s | RSS open MiB "
          "| RSS after lookups MiB |")  # fmt: skip
    print("|---" * 8 + "|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            keys = keys_of_size(size)
            rng = random.Random(size)
            hits = rng.sample(keys, min(100_000, len(keys)))
            probes = [p for k in hits for p in (k, k + "#")]  # a hit and a miss
            probes_path = Path(tmp) / "probes.json"
            probes_path.write_text(json.dumps(probes), encoding="utf-8")
            for name in BACKENDS:
                path = Path(tmp) / f"{name}.bin"
                t0 = time.perf_counter()
                build(name, keys, path)
                build_s = time.perf_counter() - t0
                out = subprocess.run(
                    [sys.executable, __file__, "--child", name, str(path), str(probes_path)],
                    capture_output=True, text=True, env=env, check=True,
                )  # fmt: skip
                r = json.loads(out.stdout.splitlines()[-1])
                assert r["hits"] == len(hits), (name, r["hits"])
                print(f"| {len(keys):,} | {name} | {build_s:.1f} "
                      f"| {path.stat().st_size / 2**20:.1f} | {r['open_ms']:.2f} "
                      f"| {r['rate']:,.0f} | {r['rss_open']:.1f} | {r['rss']:.1f} |",
                      flush=True)  # fmt: skip
                path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
