"""Resolving one name to gazetteer entities: exact, alias, key and fuzzy matches.

Reach for this module to score a name against an ``Index``. Methods run from
strict to lax, like OpenRefine's clustering: an exact or alias hit ends the
search, a key collision comes next, and only then rapidfuzz scores a blocked set
of candidates. A wrong link costs more than none, so weak answers are dropped.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from unidecode import unidecode

from canonym.index import BIG_BLOCK, KIND_ALIAS, KIND_SHORT, Index, deletes, surface_norm
from canonym.keys import is_arabic_script, name_key, skeleton
from canonym.sources import Entity

__all__ = ["Match", "Thresholds", "resolve", "link"]

METHODS = ("exact", "alias", "key", "fuzzy")


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate entity for a name, with how and how well it matched."""

    entity: Entity
    score: float
    method: str
    matched: str  # the gazetteer form that matched

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.entity.id,
            "name": self.entity.name,
            "type": self.entity.type,
            "score": round(self.score, 4),
            "method": self.method,
            "matched": self.matched,
        }


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where resolution stops answering.

    ``fuzzy`` is the lowest score a fuzzy candidate may have to be returned;
    ``margin`` is how far the best entity must lead the next one for ``link``
    to choose it rather than call the name ambiguous.
    """

    fuzzy: float = 0.84
    fuzzy_arabic: float = 0.80
    margin: float = 0.03
    candidates: int = 80


DEFAULT_THRESHOLDS = Thresholds()
# Each lookup answers with one method only (an exact hit ends the search before
# keys are tried, a key hit before fuzzy scoring), so scores of different methods
# are never ranked against each other. A fuzzy score stays below 1: identical
# keys would have been a key hit.
_KEY_BASE, _KEY_SPAN = 0.90, 0.08
_SHORT_SCORE = 0.80


def _fold(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in unidecode(text).lower()).split())


def _best_rank(ix: Index, alias_ids: list[int]) -> list[int]:
    """Keep hits from the gazetteer that comes first in precedence."""
    best = min(ix.entity_rank[ix.alias_entity[a]] for a in alias_ids)
    return [a for a in alias_ids if ix.entity_rank[ix.alias_entity[a]] == best]


def _collect(ix: Index, scored: list[tuple[float, str, int]], top: int) -> list[Match]:
    """Best match per entity, best first."""
    best: dict[int, tuple[float, str, int]] = {}
    for score, method, ai in scored:
        ei = ix.alias_entity[ai]
        if ei not in best or score > best[ei][0]:
            best[ei] = (score, method, ai)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], ix.entity_rank[kv[0]], kv[0]))
    return [
        Match(ix.entities[ei], score, method, ix.alias_text[ai])
        for ei, (score, method, ai) in ranked[:top]
    ]


def _fuzzy(ix: Index, name: str, key: str, th: Thresholds) -> list[tuple[float, str, int]]:
    qskel_tokens = [s for s in (skeleton(k) for k in key.split()) if s]
    if not qskel_tokens:
        return []
    qskel = " ".join(qskel_tokens)
    arabic = is_arabic_script(name)
    # Blocking: aliases sharing a skeleton token within two edits of a query token.
    per_token: list[set[int]] = []
    for s in qskel_tokens:
        probes = {s} | deletes(s) if len(s) >= 3 else {s}
        found: set[int] = set()
        big: list[list[int]] = []
        for b in probes:
            lst = ix.blocks.get(b)
            if lst is None:
                continue
            if len(lst) > BIG_BLOCK:
                big.append(lst)
            else:
                found.update(lst)
        if not found and big and len(qskel_tokens) == 1:
            for lst in big:
                found.update(lst)
        if found:
            per_token.append(found)
    if not per_token:
        return []
    counts: Counter[int] = Counter()
    for found in per_token:
        counts.update(found)
    qlen = len(qskel)
    pool = heapq.nlargest(
        th.candidates,
        counts.items(),
        key=lambda kv: (kv[1], -abs(len(ix.alias_skel[kv[0]]) - qlen)),
    )
    ids = [a for a, _ in pool if ix.alias_kind[a] != KIND_SHORT]
    if not ids:
        return []
    skel_scores = process.extract(
        qskel, [ix.alias_skel[a] for a in ids], scorer=fuzz.ratio, limit=None, processor=None
    )
    key_scores = dict(
        (i, s)
        for _, s, i in process.extract(
            key, [ix.alias_key[a] for a in ids], scorer=fuzz.ratio, limit=None, processor=None
        )
    )
    # Arabic script leaves short vowels out: its consonant skeleton carries the name.
    w_skel = 0.65 if arabic else 0.4
    floor = th.fuzzy_arabic if arabic else th.fuzzy
    out: list[tuple[float, str, int]] = []
    for _, s_skel, i in skel_scores:
        score = (w_skel * s_skel + (1 - w_skel) * key_scores[i]) / 100.0
        if score >= floor:
            out.append((score, "fuzzy", ids[i]))
    return out


def resolve(
    ix: Index, name: str, *, top: int = 5, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[Match]:
    """Candidate entities for ``name``, best first; empty when nothing is close enough."""
    norm = surface_norm(name)
    if not norm:
        return []
    hits = ix.exact.get(norm)
    if hits:
        hits = _best_rank(ix, hits)
        return _collect(
            ix,
            [(1.0, "alias" if ix.alias_kind[a] == KIND_ALIAS else "exact", a) for a in hits],
            top,
        )
    key = name_key(name)
    if not key:
        return []
    keyed = ix.by_key.get(key)
    if keyed:
        full = [a for a in keyed if ix.alias_kind[a] != KIND_SHORT]
        if full:
            folded = _fold(name)
            scored = [
                (
                    _KEY_BASE + _KEY_SPAN * fuzz.ratio(folded, _fold(ix.alias_text[a])) / 100,
                    "key",
                    a,
                )
                for a in _best_rank(ix, full)
            ]
            return _collect(ix, scored, top)
        # Only a surname: offer its owners, below the bar that ``link`` accepts alone.
        return _collect(ix, [(_SHORT_SCORE, "key", a) for a in _best_rank(ix, keyed)], top)
    return _collect(ix, _fuzzy(ix, name, key, thresholds), top)


def link(ix: Index, name: str, *, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Match | None:
    """The one entity ``name`` stands for, or None when no answer is clear enough."""
    cands = resolve(ix, name, top=2, thresholds=thresholds)
    if not cands or cands[0].score <= _SHORT_SCORE:
        return None
    if len(cands) > 1 and cands[0].score - cands[1].score < thresholds.margin:
        return None
    return cands[0]
