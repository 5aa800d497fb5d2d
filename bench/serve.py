"""Throughput and latency of ``canonym serve`` on 127.0.0.1, with 1 and 2 workers.

For each worker count a fresh server (bundled gazetteer) is started on a free
port; client threads on keep-alive connections send, for a bounded time each,
``GET /health`` (the HTTP floor), ``POST /resolve`` of one name and ``POST
/reconcile`` batches of 10 names (a form field, as OpenRefine sends them). Names
are the bundled aliases and per-language forms, with one letter dropped from
every third. The baseline, in the same run: the same resolves in-process.

    python bench/serve.py [--seconds 5] [--clients 4] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
Request = tuple[str, str, bytes, str]  # method, path, body, content type


def sample_names(n: int = 2000, seed: int = 11) -> list[str]:
    from canonym import Gazetteer

    forms = sorted({f for e in Gazetteer.default() for f in (*e.aliases, *e.form_texts)})
    rng = random.Random(seed)
    names = rng.sample(forms, min(n, len(forms)))
    for i in range(0, len(names), 3):
        cut = rng.randrange(1, max(2, len(names[i])))
        names[i] = names[i][:cut] + names[i][cut + 1 :]
    return names


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(workers: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """A server on a free port, answering /health from every worker (bounded wait)."""
    port = free_port()
    cmd = [sys.executable, "-m", "canonym", "serve", "--port", str(port)]
    cmd += ["--workers", str(workers), "--log-level", "warning"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with log.open("wb") as err:
        proc = subprocess.Popen(cmd, stderr=err, env=env)
    deadline = time.monotonic() + 120
    ready = 0
    while ready < workers * 4:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit("the server did not start:\n" + log.read_text())
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            c.request("GET", "/health")
            ready += c.getresponse().status == 200
            c.close()
        except OSError:
            time.sleep(0.2)
    return proc, port


def load(
    port: int, make: Callable[[int], Request], seconds: float, clients: int
) -> dict[str, float]:
    latencies: list[list[float]] = [[] for _ in range(clients)]
    stop = time.monotonic() + seconds

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i = k
        while time.monotonic() < stop:
            method, path, body, kind = make(i)
            t = time.perf_counter()
            conn.request(method, path, body, {"content-type": kind} if body else {})
            r = conn.getresponse()
            r.read()
            assert r.status == 200, r.status
            latencies[k].append(time.perf_counter() - t)
            i += clients
        conn.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    every = sorted(x for lat in latencies for x in lat)
    q = statistics.quantiles(every, n=100)
    return {
        "requests": len(every),
        "rps": len(every) / wall,
        "p50_ms": q[49] * 1e3,
        "p99_ms": q[98] * 1e3,
    }


def requests(names: list[str]) -> dict[str, Callable[[int], Request]]:
    def health(i: int) -> Request:
        return ("GET", "/health", b"", "")

    def resolve(i: int) -> Request:
        body = json.dumps({"name": names[i % len(names)]}).encode()
        return ("POST", "/resolve", body, "application/json")

    def reconcile(i: int) -> Request:
        batch = {f"q{j}": {"query": names[(i * 10 + j) % len(names)]} for j in range(10)}
        body = urllib.parse.urlencode({"queries": json.dumps(batch)}).encode()
        return ("POST", "/reconcile", body, "application/x-www-form-urlencoded")

    return {"health": health, "resolve": resolve, "reconcile x10": reconcile}


def in_process(names: list[str], seconds: float) -> float:
    from canonym import Gazetteer

    gz = Gazetteer.default()
    for n in names:  # warm, as the server is after its first requests
        gz.resolve(n)
    done, stop = 0, time.monotonic() + seconds
    t = time.perf_counter()
    while time.monotonic() < stop:
        gz.resolve(names[done % len(names)])
        done += 1
    return done / (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=5.0, help="per measurement (bounded)")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    names = sample_names()
    print(f"in-process resolve (baseline): {in_process(names, args.seconds):,.0f} names/s")
    print("| endpoint | workers | requests/s | names/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for workers in args.workers:
        proc, port = start(workers, Path(tempfile.mkdtemp()) / "server.log")
        try:
            for label, make in requests(names).items():
                load(port, make, min(1.0, args.seconds), args.clients)  # warm the caches
                r = load(port, make, args.seconds, args.clients)
                per = 10 if "x10" in label else (1 if label == "resolve" else 0)
                rate = f"{r['rps'] * per:,.0f}" if per else ""
                cells = [label, str(workers), f"{r['rps']:,.0f}", rate]
                cells += [f"{r['p50_ms']:.2f}", f"{r['p99_ms']:.2f}"]
                print("| " + " | ".join(cells) + " |")
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
