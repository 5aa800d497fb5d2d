"""How well ``aliases build`` types the names no gazetteer lists, on real news.

Every gold mention of the real-news dev set whose entity the bundled data lacks
(``entity_id`` null) is typed as a proposal of that one mention would be: its
spelling, and the text 40 characters either side of it (what a corpus database
keeps of each mention). The figure is the share typed as the gold says (person,
organization or place), beside the rule of the name's own words alone that
``aliases build`` used before it read contexts.

    python bench/proposal_types.py [--devsets ../shared/devsets]

The dev sets are read from ``../shared/devsets`` beside the project (or
``CANONYM_DEVSETS``); when they are absent the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = 40  # characters either side, as corpus databases store them
# The rule before contexts were read: organization words in the name, else the
# number of words.
_ORG_WORDS = re.compile(
    r"\b(brigades?|front|forces?|army|party|movement|organi[sz]ation|group|saraya|kataib|"
    r"kata'ib|harakat|jaysh|liwa|council|committee|militia|union|agency)\b",
    re.IGNORECASE,
)


def by_name_alone(name: str) -> str:
    if _ORG_WORDS.search(name):
        return "organization"
    return "person" if len(name.split()) >= 2 else "other"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devsets", default=None)
    args = ap.parse_args()
    devsets = (
        args.devsets or os.environ.get("CANONYM_DEVSETS") or ROOT.parent / "shared" / "devsets"
    )
    root = Path(devsets) / "realnews_dev"
    if not (root / "gold.jsonl").is_file():
        print(f"no real-news dev set under {devsets}; nothing measured")
        return 0
    from canonym.corpus.run import GazetteerSpec
    from canonym.jobs.naming import guess_type, region_countries

    gz = GazetteerSpec().load()
    places = region_countries(gz)
    total, right, before = 0, Counter[str](), 0
    confusion: Counter[tuple[str, str]] = Counter()
    for line in (root / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        text = (root / "articles" / doc["file"]).read_text(encoding="utf-8")
        for m in doc["mentions"]:
            if m["entity_id"] is not None:
                continue
            surface = text[m["start"] : m["end"]]
            context = text[max(0, m["start"] - CONTEXT) : m["end"] + CONTEXT].replace("\n", " ")
            got = guess_type([surface], [(surface, context)], places)
            total += 1
            right[m["type"]] += got == m["type"]
            before += by_name_alone(surface) == m["type"]
            confusion[(m["type"], got)] += 1
    print(f"unlisted gold mentions: {total}")
    print(f"typed right: {right.total()} ({right.total() / total:.1%}); "
          f"by the name's words alone: {before} ({before / total:.1%})")  # fmt: skip
    for (gold, got), n in sorted(confusion.items(), key=lambda kv: -kv[1]):
        print(f"  {gold:>12} -> {got:<12} {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
