"""Resolving one name to gazetteer entities: exact, alias, key and fuzzy matches.

Reach for this module to score a name against an ``Index``. Methods run from
strict to lax, like OpenRefine's clustering: an exact or alias hit ends the
search, a key collision comes next, and only then rapidfuzz scores a blocked set
of candidates. A wrong link costs more than none, so weak answers are dropped.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from canonym.data import load_data
from canonym.gazetteer.entity import Entity
from canonym.gazetteer.index import Index
from canonym.match.context import NO_CONTEXT, Context, prefer
from canonym.match.memo import blocked_once
from canonym.match.scoring import collect, scored, scored_arabic
from canonym.names.designators import undesignated
from canonym.names.keys import name_key, skeleton_tokens
from canonym.names.readings import glide_as_vowel, with_other_letters, without_final_t
from canonym.text.normalize import surface_norm
from canonym.text.scripts import is_arabic_script

__all__ = ["SHORT_SCORE", "Match", "Thresholds", "link", "resolve", "shifted"]

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
    choose it rather than call the name ambiguous (``margin_arabic`` for Arabic
    script, whose scores are reading costs per consonant) when both are listed
    spellings; ``candidates`` bounds how many blocked aliases are scored (beyond
    it, those sharing most skeleton tokens and closest in length are kept).

    ``link`` looks ``reach`` below acceptance too, and takes an unlisted spelling's
    best candidate when its fitted probability of being right (``match.calibrate``)
    is at least ``probability`` (``probability_arabic``); two candidates scoring
    within ``tie`` of each other are a tie, whatever the model says.
    """

    accept: float = 0.90
    accept_arabic: float = 0.96
    margin: float = 0.06
    margin_arabic: float = 0.04
    candidates: int = 80
    reach: float = 0.10
    probability: float = 0.86
    probability_arabic: float = 0.91
    tie: float = 0.01

    def with_accept(self, accept: float) -> Thresholds:
        """These thresholds with Latin acceptance at ``accept``, Arabic script moved alike.

        Arabic script keeps its lead (it carries no short vowels, so it needs more),
        up to the highest score there is.
        """
        if not 0.0 <= accept <= 1.0:
            raise ValueError(f"acceptance must lie in [0, 1], not {accept}")
        moved = accept - self.accept
        arabic = min(1.0, self.accept_arabic + moved)
        # Stricter acceptance is a bar the best candidate must reach itself; the
        # fitted probabilities move twice as fast.
        return replace(
            self,
            accept=accept,
            accept_arabic=arabic,
            reach=self.reach if moved <= 0 else 0.0,
            probability=_clamp(self.probability + 2 * moved),
            probability_arabic=_clamp(self.probability_arabic + 2 * moved),
        )


def _clamp(p: float) -> float:
    return max(0.0, min(0.995, p))


DEFAULT_THRESHOLDS = Thresholds()
# A surname alone is offered at this score, below any acceptance threshold.
SHORT_SCORE = 0.80


def resolve(
    ix: Index,
    name: str,
    *,
    top: int = 5,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    similar: bool = False,
    context: Context = NO_CONTEXT,
) -> list[Match]:
    """Candidate entities for ``name``, best first; empty when nothing is close enough.

    ``similar`` skips the exact lookup, to find the other entities a name is close to
    (used to group unknown names, each of which is its own exact match). Among
    candidates that tie, the one ``context`` or a prior favours comes first.
    """
    return _homonyms_ranked(_resolve(ix, name, top, thresholds, similar), thresholds, context)


def _homonyms_ranked(found: list[Match], thresholds: Thresholds, context: Context) -> list[Match]:
    tied = [m for m in found if found[0].score - m.score < thresholds.tie]
    chosen = prefer([m.entity for m in tied], context)
    if chosen is None or chosen[0] == 0:
        return found
    first = tied[chosen[0]]
    return [first, *(m for m in found if m is not first)]


def _resolve(ix: Index, name: str, top: int, thresholds: Thresholds, similar: bool) -> list[Match]:
    found = _resolve_as_written(ix, name, top, thresholds, similar)
    # Nothing close? The name may follow another romanization's convention: read it
    # that way, a little lower. (Arabic script is read every way its letters allow
    # as it is scored.) It may also carry words saying what kind of place it is
    # (Shahr-e, Province): read it without them, as low.
    # A spelling found only below the bar that ``link`` looks up to (acceptance,
    # when it reaches below it) does not rule the other readings out.
    arabic = is_arabic_script(name)
    bar = (thresholds.accept_arabic if arabic else thresholds.accept) + thresholds.reach
    others = [] if found and found[0].score >= bar else _variants(name)
    if not others:
        return found
    raised = shifted(thresholds, _READING_PENALTY)
    for other in others:
        found.extend(
            Match(m.entity, m.score - _READING_PENALTY, _as_read(m.method), m.matched, other)
            for m in _resolve_as_written(ix, other, top, raised, similar)
        )
    best: dict[str, Match] = {}
    for m in sorted(found, key=lambda m: -m.score):
        best.setdefault(m.entity.id, m)  # an entity's best reading
    return list(best.values())[:top]


@lru_cache(maxsize=64)
def shifted(thresholds: Thresholds, by: float) -> Thresholds:
    """These thresholds with both acceptances moved by ``by``."""
    # Cached: ``link`` shifts the same thresholds for every name, and
    # ``dataclasses.replace`` costs more than a name's blocking lookups.
    # Not ``with_accept``: a shifted threshold may pass 1.0, so that nothing passes.
    return replace(
        thresholds, accept=thresholds.accept + by, accept_arabic=thresholds.accept_arabic + by
    )


# A name read in another convention scores this much below the same match as written.
_READING_PENALTY = 0.02
_WIDER = 4


def _as_read(method: str) -> str:
    # An exact hit once read another way is a transliteration match, not an exact one.
    return "key" if method in ("exact", "alias") else method


@lru_cache(maxsize=1)
def _readings() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(a, re.IGNORECASE), b) for a, b in load_data("letters.yaml")["readings"]
    )


def _variants(name: str) -> list[str]:
    bare = undesignated(name)
    variants = [bare] if bare else []
    if not is_arabic_script(name):
        variants.extend(_other_readings(name))
        if bare:
            variants.extend(_other_readings(bare))
    return variants


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
    hits = None if similar else ix.exact(norm)
    if hits:
        methods = [(1.0, "alias" if ix.is_alias(a) else "exact", a) for a in ix.best(hits)]
        return _matches(ix, collect(ix, methods, top))
    key = name_key(name)
    if not key:
        return []
    keyed = ix.by_key(key)
    full = ix.full(keyed)
    if keyed and not full:
        # Only a surname: offer its owners, below the bar that ``link`` accepts alone.
        surnames = [(SHORT_SCORE, "key", a) for a in ix.best(keyed)]
        return _matches(ix, collect(ix, surnames, top))
    arabic = is_arabic_script(name)
    qskel_tokens = skeleton_tokens(key)
    # Blocks are cut wide: the key and skeleton ratios rank them before they are read.
    limit = thresholds.candidates * _WIDER
    # Blocks are asked for again by other names of the same skeleton: kept.
    ids: Sequence[int] = blocked_once(ix, qskel_tokens, limit) if qskel_tokens else ()
    others: list[str] = []
    if arabic:
        if (written := with_other_letters(name)) is not None:
            others.append(name_key(written))
        if (vowel := glide_as_vowel(key)) is not None:
            others.append(vowel)
        if (bare := without_final_t(key)) is not None:
            others.append(bare)
        for other in others:
            other_tokens = skeleton_tokens(other)
            if other_tokens != qskel_tokens:
                ids = [*ids, *blocked_once(ix, other_tokens, limit)]
    if full or not isinstance(ids, array):
        ids = list(dict.fromkeys([*full, *ids]))  # blocks hold no surnames: ``full`` already
    else:
        ids = list(ids)  # one block, each alias once
    if not ids:
        return []
    floor = thresholds.accept_arabic if arabic else thresholds.accept
    if arabic:
        found = scored_arabic(ix, name, key, ids, floor, others)
    else:
        found = scored(ix, name, key, ids, floor, arabic)
    if found:
        keep = set(ix.best([a for _, _, a in found]))
        found = _bare_read(ix, [t for t in found if t[2] in keep], floor)
    return _matches(ix, collect(ix, found, top))


def _bare_read(
    ix: Index, found: list[tuple[float, str, int]], floor: float
) -> list[tuple[float, str, int]]:
    """The candidates, those met through a form without its designator words scored as
    a reading of the name is, and dropped where another entity is listed so (Kuwait
    City read as Kuwait, where the gazetteer lists the country)."""
    out = []
    for score, method, ai in found:
        if ix.is_bare(ai):
            owner = ix.owner(ai)
            if any(ix.owner(a) != owner for a in ix.full(ix.by_key(ix.key(ai)))):
                continue
            score -= _READING_PENALTY
            if score < floor:
                continue
        out.append((score, method, ai))
    return out


def _matches(ix: Index, ranked: list[tuple[int, float, str, int]]) -> list[Match]:
    return [Match(ix.entity(ei), score, method, ix.text(ai)) for ei, score, method, ai in ranked]


def link(
    ix: Index,
    name: str,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    context: Context = NO_CONTEXT,
) -> Match | None:
    """The one entity ``name`` stands for, or None when no answer is clear enough.

    A runner-up just below acceptance still makes a tie: two readings that close
    are equally plausible, whichever side of the bar each falls. A tie between
    equally good candidates is broken only by what ``context`` says or by a prior
    far above the others' (``match.context.prefer``).
    """
    # The decision and its reasons are made in one place, ``match.explain``, which
    # builds on this module.
    from canonym.match.explain import explain

    return explain(ix, name, thresholds=thresholds, context=context).match
