"""Corpus throughput, memory and database size for ``aliases build`` and ``check``.

Generates a corpus of N articles (JSON lines) from the fixture corpus: each
article is a fixture article with its paragraphs shuffled and a numbered
dateline, so every document is distinct. Each configuration runs in a fresh
process; the figures are documents/s for the corpus run plus the report, peak
memory of the parent and of its worker processes, and database size; beside the
wall-clock rate, documents per second of processor time (the parent's and its
children's, which a shared machine moves less), and as a baseline measured in
the same process, the rate of reading the corpus alone. ``--jobs 0``
runs on a Dask LocalCluster of two worker processes (partitions of 256 KiB of
JSON lines), with the scheduling overhead of an empty task.

    python bench/corpus.py [--docs 1000 10000] [--jobs 1 2]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "corpus"


def generate(n: int, out: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    articles = []
    for f in sorted(FIXTURES.glob("*/*.txt")):
        paras = [p for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        articles.append((f.stem, paras))
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n):
            stem, paras = articles[i % len(articles)]
            body = paras[1:]
            rng.shuffle(body)
            text = "\n\n".join([paras[0], f"Dispatch {i}.", *body])
            fh.write(json.dumps({"id": f"{stem}-{i}", "text": text}, ensure_ascii=False) + "\n")


def one(corpus: Path, db: Path, jobs: int, job: str) -> dict[str, float]:
    """Run inside a fresh process: one corpus job, timed."""
    from canonym.corpus.documents import read_corpus
    from canonym.corpus.run import GazetteerSpec, process_corpus
    from canonym.corpus.store import Store
    from canonym.jobs.aliases import build_alias_table
    from canonym.jobs.lint import iter_findings

    spec = GazetteerSpec()
    gz = spec.load()
    cluster = client = None
    worker_rss = 0.0
    overhead_ms = 0.0
    if jobs == 0:  # a Dask LocalCluster with two worker processes
        from distributed import Client, LocalCluster

        from canonym.corpus.cluster import process_on_cluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=":0")  # fmt: skip
        client = Client(cluster)
        # Scheduling overhead: round trips of empty tasks.
        t = time.perf_counter()
        client.gather(client.map(_noop, range(200), pure=False))
        overhead_ms = (time.perf_counter() - t) * 1000 / 200
    # Baseline: reading and decoding every document, nothing else.
    c0 = time.process_time()
    n_read = sum(1 for _ in read_corpus(str(corpus)))
    read_cpu = time.process_time() - c0
    c0 = _cpu()
    t0 = time.perf_counter()
    with Store(db) as store:
        if client is not None:
            summary = process_on_cluster(
                str(corpus), store, spec, client, bytes_per_partition=256 * 1024
            )
            worker_rss = max(client.run(_rss_mib).values())
        else:
            summary = process_corpus(read_corpus(str(corpus)), store, spec, jobs=jobs)
        t1 = time.perf_counter()
        if job == "aliases":
            n_out = len(build_alias_table(store, gz).variants)
        else:
            n_out = sum(1 for _ in iter_findings(store))  # streamed, as the text report is
    t2 = time.perf_counter()
    cpu = _cpu() - c0
    if client is not None:
        client.close()
        cluster.close()  # type: ignore[union-attr]
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_rss = worker_rss or resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "docs": summary.processed,
        "run_s": t1 - t0,
        "report_s": t2 - t1,
        "docs_per_s": summary.processed / (t2 - t0),
        "rss_mib": self_rss,
        "worker_rss_mib": child_rss,
        "db_mib": db.stat().st_size / 2**20,
        "outputs": n_out,
        "task_overhead_ms": overhead_ms,
        "docs_per_cpu_s": summary.processed / cpu if cpu and client is None else 0.0,
        "read_docs_per_cpu_s": n_read / read_cpu if read_cpu else 0.0,
    }


def _cpu() -> float:
    """Processor seconds of this process and of its finished children (local workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _noop(x: int) -> int:
    return x


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--docs", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument(
        "--jobs", type=int, nargs="*", default=[1, 2, 0], help="0: a Dask LocalCluster (2 workers)"
    )
    ap.add_argument(
        "--one", nargs=4, metavar=("CORPUS", "DB", "JOBS", "JOB"), help=argparse.SUPPRESS
    )
    args = ap.parse_args()
    if args.one:
        corpus, db, jobs, job = args.one
        print(json.dumps(one(Path(corpus), Path(db), int(jobs), job)))
        return 0
    with tempfile.TemporaryDirectory(prefix="canonym-bench-") as tmp:
        env = {**os.environ, "CANONYM_CACHE_DIR": str(Path(tmp) / "cache")}
        # Warm the index cache once, as a user's second run would find it.
        warm = "from canonym import Gazetteer; Gazetteer.default()"
        subprocess.run([sys.executable, "-c", warm], env=env, check=True)
        print(
            f"{'job':8} {'docs':>6} {'jobs':>4} {'docs/s':>8} {'per core':>8} {'run s':>7} "
            f"{'report s':>8} {'RSS MiB':>8} {'worker MiB':>10} {'db MiB':>7} "
            f"{'docs/cpu-s':>10} {'read only':>10}"
        )
        for n in args.docs:
            corpus = Path(tmp) / f"corpus-{n}.jsonl"
            generate(n, corpus)
            for job in ("aliases", "check"):
                for jobs in args.jobs:
                    db = Path(tmp) / f"{job}-{n}-{jobs}.db"
                    out = subprocess.run(
                        [sys.executable, __file__, "--one", str(corpus), str(db), str(jobs), job],
                        env=env, capture_output=True, text=True, check=True,
                    )  # fmt: skip
                    r = json.loads(out.stdout)
                    label = "dask" if jobs == 0 else str(jobs)
                    cores = 2 if jobs == 0 else jobs
                    print(
                        f"{job:8} {n:6d} {label:>4} {r['docs_per_s']:8.0f} "
                        f"{r['docs_per_s'] / cores:8.0f} {r['run_s']:7.1f} {r['report_s']:8.2f} "
                        f"{r['rss_mib']:8.0f} {r['worker_rss_mib']:10.0f} {r['db_mib']:7.1f} "
                        f"{r['docs_per_cpu_s']:10.0f} {r['read_docs_per_cpu_s']:10.0f}"
                        + (f"   task overhead {r['task_overhead_ms']:.1f} ms" if jobs == 0 else "")
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
