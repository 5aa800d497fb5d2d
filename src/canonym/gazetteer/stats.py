"""Counts that describe a gazetteer: entities by type, names, and script coverage.

Reach for this module to see what a gazetteer covers before trusting it with a
corpus: how many entities have a form in Arabic, Persian or Hebrew script.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from canonym.gazetteer.entity import Entity
from canonym.text.scripts import form_script

__all__ = ["gazetteer_stats"]


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
        langs.update(lang for lang, texts in e.forms.items() if texts)
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
