"""Names found in real published news, scored against gold mentions.

Runs the real-news scorer (``realnews_dev/score.py`` of the shared dev sets) on
this source tree: ``canonym normalize --format json --translate never`` on each
article, every link compared with the gold mentions, per language, beside the
exact-match baseline the scorer measures in the same run.

The scorer's baseline matches every ``name``, ``names`` and ``aliases`` entry of
the gazetteer it is given. So that it matches every form canonym knows, it is
given a copy of the bundled data with each entity's per-language ``forms``
listed among its aliases (``--baseline-forms no`` gives it the data as it is).

    python bench/realnews.py [--devsets ../shared/devsets] [--jobs 2] [--out results.json]

The dev sets are read from ``../shared/devsets`` beside the project (or
``CANONYM_DEVSETS``); when they are absent the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def find_scorer(arg: str | None) -> Path | None:
    for cand in (arg, os.environ.get("CANONYM_DEVSETS"), ROOT.parent / "shared" / "devsets"):
        if cand:
            score = Path(cand) / "realnews_dev" / "score.py"
            if score.is_file():
                return score
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devsets")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", help="where the scorer writes every miss and wrong link")
    ap.add_argument("--baseline-forms", choices=("yes", "no"), default="yes")
    args = ap.parse_args()
    score = find_scorer(args.devsets)
    if score is None:
        print("skipped: realnews_dev not found (expected ../shared/devsets or CANONYM_DEVSETS)")
        return 0
    src = ROOT / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    with tempfile.TemporaryDirectory() as tmp:
        # The scorer runs an executable: one that runs this tree's CLI, not an installed one.
        exe = Path(tmp) / "canonym"
        exe.write_text(
            f'#!/bin/sh\nexec "{sys.executable}" -m canonym.cli.app "$@"\n', encoding="utf-8"
        )
        exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
        out = args.out or str(Path(tmp) / "results.json")
        cmd = [sys.executable, str(score), str(exe), "--python", sys.executable]
        cmd += ["--jobs", str(args.jobs), "--out", out]
        coverage(score.parent / "gold.jsonl", env)
        if args.baseline_forms == "yes":
            flat = Path(tmp) / "baseline-gazetteer"
            subprocess.run([sys.executable, "-c", _FLATTEN, str(flat)], env=env, check=True)
            cmd += ["--gazetteers", str(flat)]
        return subprocess.run(cmd, env=env, check=False).returncode


def coverage(gold: Path, env: dict[str, str]) -> None:
    """Print the share of gold mentions whose entity the bundled data lacks today.

    The gold names an entity by the id it had when annotated, or by its English
    name when the data lacked it then; such a name counts as covered now when it is
    a form of some entity (compared as the scorer compares names: case and accents
    folded).
    """
    code = (
        "import json, sys, unicodedata\n"
        "from canonym import Gazetteer\n"
        "fold = lambda s: ''.join(c for c in unicodedata.normalize('NFKD', s.casefold())"
        " if not unicodedata.combining(c))\n"
        "gz = Gazetteer.default(); known = {fold(f) for e in gz for f in e.known_forms}\n"
        "total = lacking = 0\n"
        "for line in open(sys.argv[1], encoding='utf-8'):\n"
        "    for m in json.loads(line)['mentions']:\n"
        "        total += 1\n"
        "        if not m['entity_id'] or m['entity_id'] not in gz:\n"
        "            lacking += fold(m.get('canonical_en') or '') not in known\n"
        "print(f'gold mentions whose entity the bundled data lacks (NONE): {lacking} of {total}"
        " ({lacking / max(total, 1):.1%}); target under 4%')\n"
    )
    subprocess.run([sys.executable, "-c", code, str(gold)], env=env, check=False)


# The bundled entities with their per-language forms folded into their aliases:
# what an exact matcher over every known form reads.
_FLATTEN = """
import dataclasses, sys
from pathlib import Path
from canonym import Gazetteer
from canonym.gazetteer.entity import EMPTY_FORMS
from canonym.gazetteer.write import write_gazetteer
out = Path(sys.argv[1]); out.mkdir()
flat = [dataclasses.replace(e, aliases=tuple(dict.fromkeys((*e.aliases, *e.form_texts))),
                            forms=EMPTY_FORMS) for e in Gazetteer.default()]
write_gazetteer(flat, out / "all.yaml")
"""


if __name__ == "__main__":
    sys.exit(main())
