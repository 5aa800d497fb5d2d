"""Fit the link model of ``canonym.match.calibrate`` on the dev sets and print its reliability.

For every query whose best candidate is an unlisted spelling, it records the
features ``link`` computes and whether that candidate is the right entity (for
names of places the gazetteer lacks, never). Half the queries (by a hash of the
query) fit a logistic regression per script, by gradient descent from zero,
so the fit is the same on every run; the other half are held out to print
predicted against observed precision per probability band.

    python bench/calibrate.py [--devsets ../shared/devsets] [--write] [--scripts latin arabic]
                             [--only FEATURE ...]

``--write`` stores the coefficients in ``src/canonym/data/calibration.yaml``;
``--scripts arabic`` refits one script and keeps the other's coefficients;
``--only not_place`` refits that coefficient alone, the others kept as they are.
"""

from __future__ import annotations

import argparse
import sys
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np

from canonym import Gazetteer
from canonym.data import load_data
from canonym.match.calibrate import FEATURES, decides, features
from canonym.match.resolve import resolve
from canonym.text.scripts import is_arabic_script

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from quality import find_devsets, read_queries  # noqa: E402

Row = tuple[list[float], int, bool]  # features, right, held out


def collect(gz: Gazetteer, rows: list[tuple[str, str | None, str]]) -> dict[str, list[Row]]:
    th = gz.thresholds
    out: dict[str, list[Row]] = {"latin": [], "arabic": []}
    for q, expected, _ in rows:
        arabic = is_arabic_script(q)
        reach = max(th.reach, th.margin_arabic if arabic else th.margin)
        wide = replace(th, accept=th.accept - reach, accept_arabic=th.accept_arabic - reach)
        cands = resolve(gz.index, q, top=2, thresholds=wide)
        if not cands or cands[0].score <= 0.8:
            continue
        best = cands[0]
        read = best.read_as or q
        if not decides(read, best.method, best.entity.type, best.matched):
            continue
        if best.score < (th.accept_arabic if arabic else th.accept) - th.reach:
            continue
        runner = cands[1].score if len(cands) > 1 else None
        if runner is not None and best.score - runner < th.tie:
            continue  # a tie, which ``link`` never weighs
        held = zlib.crc32(q.encode("utf-8")) % 2 == 1
        right = int(best.entity.id == expected)
        out["arabic" if arabic else "latin"].append(
            (
                features(read, best.matched, best.score, runner, arabic, best.entity.type),
                right,
                held,
            )
        )
    return out


def fit(
    x: np.ndarray,
    y: np.ndarray,
    steps: int = 20000,
    rate: float = 0.5,
    start: np.ndarray | None = None,
    free: np.ndarray | None = None,
) -> np.ndarray:
    """Logistic regression by gradient descent from ``start`` (zero), moving only the
    coefficients ``free`` marks (all)."""
    w = np.zeros(x.shape[1]) if start is None else start.copy()
    mask = np.ones(x.shape[1]) if free is None else free.astype(float)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        w -= rate * mask * (x.T @ (p - y)) / len(y)
    return w


def reliability(script: str, x: np.ndarray, y: np.ndarray, w: np.ndarray) -> None:
    p = 1.0 / (1.0 + np.exp(-(x @ w)))
    print(f"\n{script}: held-out candidates {len(y)}")
    print(f"{'band':>11} {'n':>5} {'predicted':>9} {'observed':>8}")
    for lo, hi in (
        (0, 0.5),
        (0.5, 0.7),
        (0.7, 0.8),
        (0.8, 0.85),
        (0.85, 0.9),
        (0.9, 0.95),
        (0.95, 1.01),
    ):
        sel = (p >= lo) & (p < hi)
        if sel.any():
            band = f"{lo:5.2f}-{min(hi, 1):4.2f}"
            print(f"{band} {sel.sum():5d} {p[sel].mean():9.3f} {y[sel].mean():8.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--devsets")
    ap.add_argument("--sets", nargs="*", default=["geonames_dev", "anetac_dev"])
    ap.add_argument("--write", action="store_true")
    ap.add_argument(
        "--scripts",
        nargs="*",
        default=["latin", "arabic"],
        help="the scripts to refit; the others keep the coefficients they have",
    )
    ap.add_argument(
        "--only",
        nargs="*",
        choices=FEATURES,
        help="refit these coefficients alone, the others kept as they are",
    )
    args = ap.parse_args()
    devsets = find_devsets(args.devsets)
    if devsets is None:
        print("skipped: dev sets not found (expected ../shared/devsets or CANONYM_DEVSETS)")
        return 0
    data: dict[str, list[Row]] = {"latin": [], "arabic": []}
    for name in args.sets:
        gz = Gazetteer.load(devsets / name / "gazetteer.yaml")
        for script, rows in collect(gz, read_queries(devsets / name / "queries.tsv", None)).items():
            data[script].extend(rows)
    lines = [
        "# Coefficients of the link model (canonym.match.calibrate), one per feature,",
        "# fitted by bench/calibrate.py on half the dev-set queries; do not edit by hand.",
    ]
    kept = load_data("calibration.yaml")
    for script, rows in data.items():
        x = np.array([r[0] for r in rows])
        y = np.array([r[1] for r in rows], dtype=float)
        held = np.array([r[2] for r in rows])
        # A feature added since the fit weighs nothing until it is refitted.
        w = np.array([float(kept[script].get(f, 0.0)) for f in FEATURES])
        if script in args.scripts and args.only:
            free = np.array([f in args.only for f in FEATURES])
            w = fit(x[~held], y[~held], start=w, free=free)
        elif script in args.scripts:
            w = fit(x[~held], y[~held])
        reliability(script, x[held], y[held], w)
        lines.append(f"{script}:")
        lines.extend(f"  {f}: {v:.4f}" for f, v in zip(FEATURES, w, strict=True))
    if args.write:
        (ROOT / "src" / "canonym" / "data" / "calibration.yaml").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
    else:
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
