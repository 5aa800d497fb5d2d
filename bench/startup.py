"""A fresh ``canonym`` process: wall and processor time of one command, start to exit.

Each command runs ``--runs`` times (20 by default) in a fresh interpreter with the
bundled gazetteer, its index cache warmed first (a user's second run); the figures
are medians. Beside them, in the same run: ``python -c pass`` (the interpreter's
own start, the floor) and ``python -c "import typer"`` (what any typer command
pays before it parses its arguments). Processor time (user + system, from the
child's rusage) moves less than wall time on a shared machine.

    python bench/startup.py [--runs 20] [--article fixtures/articles/en_french_translit.txt]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "fixtures" / "articles" / "en_french_translit.txt"


def timed(cmd: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall and processor seconds of ``cmd`` over ``runs`` fresh processes."""
    walls, cpus = [], []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(p.pid, 0)
        walls.append(time.perf_counter() - t)
        cpus.append(usage.ru_utime + usage.ru_stime)
        err = p.stderr.read() if p.stderr else b""
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {err.decode(errors='replace')}")
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--article", type=Path, default=ARTICLE)
    args = ap.parse_args()
    py = sys.executable
    canonym = [py, "-m", "canonym"]
    rows = [
        ("python -c pass (baseline)", [py, "-c", "pass"]),
        ('python -c "import typer"', [py, "-c", "import typer"]),
        ("canonym --version", [*canonym, "--version"]),
        ("canonym --help", [*canonym, "--help"]),
        ("canonym normalize ARTICLE", [*canonym, "normalize", str(args.article)]),
        (
            "canonym normalize ARTICLE -f json",
            [*canonym, "normalize", str(args.article), "-f", "json"],
        ),
        ('canonym resolve "Mossoul"', [*canonym, "resolve", "Mossoul"]),
    ]
    with tempfile.TemporaryDirectory(prefix="canonym-startup-") as tmp:
        env = {**os.environ, "CANONYM_CACHE_DIR": str(Path(tmp) / "cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode
        subprocess.run([*canonym, "normalize", str(args.article)], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        base_wall, base_cpu = timed(rows[0][1], args.runs, env)
        print(f"{'command':36} {'wall s':>7} {'cpu s':>7} {'cpu - baseline':>15}")
        for label, cmd in rows:
            wall, cpu = (base_wall, base_cpu) if cmd is rows[0][1] else timed(cmd, args.runs, env)
            print(f"{label:36} {wall:7.3f} {cpu:7.3f} {cpu - base_cpu:15.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
