"""Counts that describe a gazetteer: entities by type, names, and script coverage.

Reach for this module to see what a gazetteer covers before trusting it with a
corpus: how many entities have a form in Arabic, Persian or Hebrew script.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from canonym.gazetteer.entity import Entity

__all__ = ["form_script", "gazetteer_stats"]

_PERSIAN = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")  # پ چ ژ گ ک ی
_ARABIC = re.compile("[\u0600-\u06ff]")
_HEBREW = re.compile("[\u0590-\u05ff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def form_script(text: str) -> str:
    """The script a name is written in: latin, arabic, persian, hebrew, cyrillic or other."""
    if _ARABIC.search(text):
        return "persian" if _PERSIAN.search(text) else "arabic"
    if _HEBREW.search(text):
        return "hebrew"
    if _CYRILLIC.search(text):
        return "cyrillic"
    if _LATIN.search(text):
        return "latin"
    return "other"


def gazetteer_stats(entities: Iterable[Entity]) -> dict[str, Any]:
    """Counts by type, forms by kind, and entities with a form in each script."""
    by_type: Counter[str] = Counter()
    scripts: Counter[str] = Counter()
    forms = Counter({"names": 0, "aliases": 0, "forms": 0})
    langs: Counter[str] = Counter()
    ids = Counter({"wikidata": 0, "geonames": 0})
    n = 0
    for e in entities:
        n += 1
        by_type[e.type] += 1
        forms["names"] += 1 + len(e.names)
        forms["aliases"] += len(e.aliases)
        forms["forms"] += len(e.form_texts)
        langs.update(lang for lang, texts in e.forms if texts)
        for key in ids:
            if getattr(e, key):
                ids[key] += 1
        for script in {form_script(f) for f in e.known_forms}:
            scripts[script] += 1
    return {
        "entities": n,
        "by_type": dict(sorted(by_type.items())),
        "forms": dict(forms),
        "with_ids": dict(ids),
        # How many entities carry a canonical form for each language (English: all).
        "entities_with_forms": {"en": n, **dict(sorted(langs.items(), key=lambda kv: -kv[1]))},
        "entities_with_script": dict(sorted(scripts.items(), key=lambda kv: -kv[1])),
    }
