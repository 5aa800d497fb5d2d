"""Resolving one name to gazetteer entities: exact, alias, key and fuzzy matches.

Reach for this module to score a name against an ``Index``. Methods run from
strict to lax, like OpenRefine's clustering: an exact or alias hit ends the
search, a key collision comes next, and only then rapidfuzz scores a blocked set
of candidates. A wrong link costs more than none, so weak answers are dropped.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from canonym.data import load_data
from canonym.gazetteer.entity import Entity
from canonym.gazetteer.index import (
    BIG_BLOCK,
    KIND_ALIAS,
    KIND_SHORT,
    Index,
    deletes,
    fold_text,
    surface_norm,
)
from canonym.names.keys import is_arabic_script, name_key, skeleton

__all__ = ["Match", "Thresholds", "resolve", "link"]

METHODS = ("exact", "alias", "key", "fuzzy")


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate entity for a name, with how and how well it matched."""

    entity: Entity
    score: float
    method: str
    matched: str  # the gazetteer form that matched
    read_as: str | None = None  # the name as another romanization reads it, when that matched

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.entity.id,
            "name": self.entity.name,
            "type": self.entity.type,
            "score": round(self.score, 4),
            "method": self.method,
            "matched": self.matched,
        }
        if self.read_as is not None:
            d["read_as"] = self.read_as
        return d


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where resolution stops answering.

    ``accept`` (``accept_arabic`` for names in Arabic script, which lack short
    vowels) is the lowest score a key or fuzzy candidate may have to be returned;
    ``margin`` is how far the best entity must lead the next one for ``link`` to
    choose it rather than call the name ambiguous; ``candidates`` bounds how many
    blocked aliases are scored (beyond it, those sharing most skeleton tokens and
    closest in length are kept).
    """

    accept: float = 0.90
    accept_arabic: float = 0.96
    margin: float = 0.06
    candidates: int = 80

    def with_accept(self, accept: float) -> Thresholds:
        """These thresholds with Latin acceptance at ``accept``, Arabic script moved alike.

        Arabic script keeps its lead (it carries no short vowels, so it needs more),
        up to the highest score there is.
        """
        if not 0.0 <= accept <= 1.0:
            raise ValueError(f"acceptance must lie in [0, 1], not {accept}")
        arabic = min(1.0, self.accept_arabic + accept - self.accept)
        return replace(self, accept=accept, accept_arabic=arabic)


DEFAULT_THRESHOLDS = Thresholds()
# A surname alone is offered at this score, below any acceptance threshold.
_SHORT_SCORE = 0.80


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


def _blocked(ix: Index, qskel_tokens: list[str], limit: int) -> list[int]:
    """Aliases sharing a skeleton token within two edits of a query token, most shared first."""
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
    # Compounds are written in one word or two (Khanabad, Khan Abad): aliases whose
    # skeleton is the query's, spaces aside, come first. (The index also files an
    # alias written apart under its joined skeleton, for a query in one word.)
    whole = ix.blocks.get("".join(qskel_tokens), []) if len(qskel_tokens) > 1 else []
    if not per_token and not whole:
        return []
    if len(per_token) <= 1:
        groups = [whole[:limit], *(list(f) for f in per_token)]
    else:
        counts: Counter[int] = Counter()
        for found in per_token:
            counts.update(found)
        by_count: dict[int, list[int]] = defaultdict(list)
        for a, c in counts.items():
            by_count[c].append(a)
        groups = [whole[:limit], *(by_count[c] for c in sorted(by_count, reverse=True))]
    # Keep the aliases sharing most skeleton tokens, then those closest in length:
    # a length bucket walk, cheaper than sorting hundreds of candidates.
    qlen = sum(map(len, qskel_tokens)) + len(qskel_tokens) - 1
    skel = ix.alias_skel
    out: list[int] = []
    for members in groups:
        room = limit - len(out)
        if len(members) <= room:
            out.extend(members)
            continue
        by_len: dict[int, list[int]] = defaultdict(list)
        for a in members:
            by_len[len(skel[a])].append(a)
        for d in range(max(by_len) + qlen + 1):
            for n in {qlen - d, qlen + d}:
                take = by_len.get(n)
                if take:
                    out.extend(take[: limit - len(out)])
            if len(out) >= limit:
                break
        break
    return out


# Weights of the three spellings compared: skeleton, key, plain letters.
_WEIGHTS_LATIN = (0.2, 0.4, 0.4)
# Arabic script leaves short vowels out, so its skeleton and key carry the name
# and its plain letters (a romanization) say little.
_WEIGHTS_ARABIC = (0.5, 0.5, 0.0)


# Transliterations differ inside a name; letters added at its edge make another
# name (Piranshahr and Iranshahr, Adano and Dano) or a derived word (Iraqi).
_EDGE_PENALTY = 0.03


def _edge_extension(a: str, b: str) -> bool:
    """Whether one key is the other with letters added at its start or end only."""
    if a == b:
        return False
    if len(a) < len(b):
        a, b = b, a
    return a.startswith(b) or a.endswith(b)


def _scored(
    ix: Index, name: str, key: str, ids: list[int], floor: float, arabic: bool
) -> list[tuple[float, str, int]]:
    """Score candidates on three spellings of the name: skeleton, key and plain letters."""
    w_skel, w_key, w_fold = _WEIGHTS_ARABIC if arabic else _WEIGHTS_LATIN
    # The key ratio is computed first and bounds the total: a candidate whose
    # key is too far to reach ``floor`` even with perfect other scores is dropped
    # before the other two ratios are paid for.
    key_cutoff = max(0.0, (floor * 100 - (w_skel + w_fold) * 100) / w_key)
    if key_cutoff > 100:
        return []  # a floor no score can reach (a demanding threshold, raised further)
    hits = process.extract(
        key,
        [ix.alias_key[a] for a in ids],
        scorer=fuzz.ratio,
        limit=None,
        processor=None,
        score_cutoff=key_cutoff,
    )
    if not hits:
        return []
    qskel = " ".join(s for s in (skeleton(k) for k in key.split()) if s)
    qfold = fold_text(name) if w_fold else ""
    bare = key.replace(" ", "")
    out: list[tuple[float, str, int]] = []
    for _, r_key, i in hits:
        a = ids[i]
        score = w_key * r_key + w_skel * fuzz.ratio(qskel, ix.alias_skel[a])
        if w_fold:
            score += w_fold * fuzz.ratio(qfold, ix.alias_fold[a])
        score /= 100.0
        if _edge_extension(bare, ix.alias_key[a].replace(" ", "")):
            score -= _EDGE_PENALTY
        if score >= floor:
            out.append((score, "key" if ix.alias_key[a] == key else "fuzzy", a))
    return out


def resolve(
    ix: Index,
    name: str,
    *,
    top: int = 5,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    similar: bool = False,
) -> list[Match]:
    """Candidate entities for ``name``, best first; empty when nothing is close enough.

    ``similar`` skips the exact lookup, to find the other entities a name is close to
    (used to group unknown names, each of which is its own exact match).
    """
    found = _resolve_as_written(ix, name, top, thresholds, similar)
    # Nothing close? The name may follow another romanization's convention: read it
    # that way, a little lower.
    others = [] if found else _other_readings(name)
    if not others:
        return found
    if is_arabic_script(name) and _resolve_as_written(
        ix, name, 1, _shifted(thresholds, -_NEAR), similar
    ):
        return []
    raised = _shifted(thresholds, _READING_PENALTY)
    for other in others:
        found.extend(
            Match(m.entity, m.score - _READING_PENALTY, _as_read(m.method), m.matched, other)
            for m in _resolve_as_written(ix, other, top, raised, similar)
        )
    best: dict[str, Match] = {}
    for m in sorted(found, key=lambda m: -m.score):
        best.setdefault(m.entity.id, m)  # an entity's best reading
    return list(best.values())[:top]


def _shifted(thresholds: Thresholds, by: float) -> Thresholds:
    # Not ``with_accept``: a shifted threshold may pass 1.0, so that nothing passes.
    return replace(
        thresholds, accept=thresholds.accept + by, accept_arabic=thresholds.accept_arabic + by
    )


# A name read in another convention scores this much below the same match as written.
# In Arabic script, where the readings are those of foreign names (ف for v, ب for p),
# it is read so only when no listed name comes within _NEAR of acceptance as written:
# كوفه is Kufa spelled the Persian way, not a Cové written with f.
_READING_PENALTY = 0.02
_NEAR = 0.1


def _as_read(method: str) -> str:
    # An exact hit once read another way is a transliteration match, not an exact one.
    return "key" if method in ("exact", "alias") else method


@lru_cache(maxsize=1)
def _readings() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(a, re.IGNORECASE), b) for a, b in load_data("letters.yaml")["readings"]
    )


def _other_readings(name: str) -> list[str]:
    """The name read with each applicable reading, then with all of them together."""
    out: list[str] = []
    together = name
    for pattern, repl in _readings():
        if pattern.search(name):
            out.append(_read(pattern, repl, name))
            together = _read(pattern, repl, together)
    if len(out) > 1:
        out.append(together)  # a foreign name in Arabic script may have both p and v
    return out


def _read(pattern: re.Pattern[str], repl: str, text: str) -> str:
    return pattern.sub(lambda m: _same_case(repl, m.group()), text)


def _same_case(repl: str, written: str) -> str:
    # Keep the case of the group's first letter: Kherat -> Herat.
    return repl.capitalize() if written[0].isupper() else repl


def _resolve_as_written(
    ix: Index, name: str, top: int, thresholds: Thresholds, similar: bool
) -> list[Match]:
    norm = surface_norm(name)
    if not norm:
        return []
    hits = None if similar else ix.exact.get(norm)
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
    keyed = ix.by_key.get(key, [])
    full = [a for a in keyed if ix.alias_kind[a] != KIND_SHORT]
    if keyed and not full:
        # Only a surname: offer its owners, below the bar that ``link`` accepts alone.
        return _collect(ix, [(_SHORT_SCORE, "key", a) for a in _best_rank(ix, keyed)], top)
    qskel_tokens = [s for s in (skeleton(k) for k in key.split()) if s]
    ids = _blocked(ix, qskel_tokens, thresholds.candidates) if qskel_tokens else []
    ids = [a for a in dict.fromkeys([*full, *ids]) if ix.alias_kind[a] != KIND_SHORT]
    if not ids:
        return []
    arabic = is_arabic_script(name)
    floor = thresholds.accept_arabic if arabic else thresholds.accept
    scored = _scored(ix, name, key, ids, floor, arabic)
    if scored:
        best = min(ix.entity_rank[ix.alias_entity[a]] for _, _, a in scored)
        scored = [t for t in scored if ix.entity_rank[ix.alias_entity[t[2]]] == best]
    return _collect(ix, scored, top)


def link(ix: Index, name: str, *, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Match | None:
    """The one entity ``name`` stands for, or None when no answer is clear enough."""
    cands = resolve(ix, name, top=2, thresholds=thresholds)
    if not cands or cands[0].score <= _SHORT_SCORE:
        return None
    if len(cands) > 1 and cands[0].score - cands[1].score < thresholds.margin:
        return None
    return cands[0]
