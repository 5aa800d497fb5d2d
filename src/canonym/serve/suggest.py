"""Suggest (auto-complete as a person types) and preview for the reconciliation service.

Entities are suggested by a prefix of any of their forms, folded as matching
folds them (case, accents and script aside), from a sorted table built on first
use; when a prefix opens no form, the resolver's candidates for it stand in, so
a misspelled name still finds its entity.
"""

from __future__ import annotations

import bisect
import html
import threading
from typing import Any

from canonym.gazetteer.core import Gazetteer
from canonym.gazetteer.entity import Entity
from canonym.serve.reconcile import PROPERTIES, TYPES, describe, entity_types
from canonym.text.normalize import fold_text

__all__ = ["SuggestIndex", "suggest_types", "suggest_properties", "preview_html"]

_LANGUAGES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish"}
_LANGUAGES |= {"it": "Italian", "ar": "Arabic", "fa": "Persian", "he": "Hebrew"}


class SuggestIndex:
    """Every form of every entity, folded and sorted, for prefix lookups."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._keys: list[str] = []
        self._rows: list[tuple[bool, str]] = []  # (opens inside the form, entity id)
        self._lock = threading.Lock()

    def _build(self) -> None:
        # Each form from each of its words, so that a surname finds the person.
        rows: set[tuple[str, bool, str]] = set()
        for e in self.gazetteer:
            for form in e.known_forms:
                words = fold_text(form).split()
                rows.update((" ".join(words[i:]), i > 0, e.id) for i in range(len(words)))
        ordered = sorted(rows)
        self._keys = [k for k, _, _ in ordered]
        self._rows = [(inner, i) for _, inner, i in ordered]

    def entities(self, prefix: str, types: tuple[str, ...] = (), limit: int = 10) -> list[Entity]:
        """Entities with a form opening with ``prefix``, or a word of one opening with it.

        Ranked: the canonical name opening with it, then any form doing so, then shorter names.
        """
        with self._lock:
            if not self._keys:
                self._build()
        key = fold_text(prefix)
        if not key:
            return []
        gz = self.gazetteer
        inner_only: dict[str, bool] = {}
        at = bisect.bisect_left(self._keys, key)
        # Enough rows to rank, not the whole tail of a one-letter prefix.
        while at < len(self._keys) and self._keys[at].startswith(key) and len(inner_only) < 500:
            inner, entity_id = self._rows[at]
            inner_only[entity_id] = inner_only.get(entity_id, True) and inner
            at += 1
        found = [gz.get(i) for i in inner_only]
        found = [e for e in found if not types or e.type in types]

        def rank(e: Entity) -> tuple[bool, bool, int, str]:
            return (not fold_text(e.name).startswith(key), inner_only[e.id], len(e.name), e.name)

        found.sort(key=rank)
        if len(found) < limit:
            extra = [m.entity for m in gz.resolve(prefix, top=limit)]
            found += [e for e in extra if e.id not in inner_only and (not types or e.type in types)]
        return found[:limit]

    def suggest(
        self, prefix: str, types: tuple[str, ...] = (), cursor: int = 0, limit: int = 10
    ) -> dict[str, Any]:
        """The suggest response for entities: id, name, description and types."""
        hits = self.entities(prefix, types, cursor + limit)[cursor:]
        return {
            "result": [
                {"id": e.id, "name": e.name, "description": describe(e), "notable": entity_types(e)}
                for e in hits
            ]
        }


def suggest_types(prefix: str) -> dict[str, Any]:
    key = prefix.strip().lower()
    return {
        "result": [
            {"id": k, "name": v}
            for k, v in TYPES.items()
            if k.startswith(key) or v.lower().startswith(key)
        ]
    }


def suggest_properties(prefix: str) -> dict[str, Any]:
    key = prefix.strip().lower()
    return {
        "result": [
            {"id": k, "name": k.title(), "description": v}
            for k, v in PROPERTIES.items()
            if k.startswith(key)
        ]
    }


def preview_html(entity: Entity, *, full: bool = False) -> str:
    """A small page about ``entity``; every value escaped (gazetteers are user files)."""
    e = html.escape
    named = [("en", entity.canonical_forms), *entity.forms.items()]
    if entity.aliases:
        named.append(("Variants", entity.aliases))
    rows = [
        f"<tr><th>{e(_LANGUAGES.get(lang, lang))}</th><td dir=auto>{e(', '.join(texts))}</td></tr>"
        for lang, texts in named
    ]
    facts = [TYPES.get(entity.type, entity.type)]
    facts += [v for v in (entity.kind, entity.country) if v]
    links = ""
    if entity.wikidata:
        url = f"https://www.wikidata.org/wiki/{entity.wikidata}"
        links = f'<p><a href="{e(url)}" target="_blank" rel="noopener">{e(entity.wikidata)}</a></p>'
    about = f"<p>{e(entity.description)}</p>" if entity.description else ""
    source = ""
    if full and entity.source:
        source = f"<p><small>{e(entity.source)}:{entity.line}</small></p>"
    return (
        "<!doctype html><html><head><meta charset=utf-8>"
        f"<title>{e(entity.name)}</title>"
        "<style>body{font:14px sans-serif;margin:8px}th{text-align:left;padding-right:1em;"
        "vertical-align:top;font-weight:normal;color:#555}h1{font-size:16px;margin:0}</style>"
        f"</head><body><h1>{e(entity.name)}</h1><p>{e(' · '.join(facts))} · <code>"
        f"{e(entity.id)}</code></p>{about}"
        f"<table>{''.join(rows)}</table>{links}{source}</body></html>"
    )
