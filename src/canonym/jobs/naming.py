"""What a proposed entity is called, in which languages, and what kind of thing it is.

Reach for this module to see how ``aliases build`` names the new entities it
proposes: by the spelling English documents use (``english_spelling``), with the
spelling documents of each other language use as that language's form
(``language_forms``), and typed by the words around its mentions and inside its
name (``guess_type``, from ``data/name_contexts.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from canonym.data import load_data
from canonym.gazetteer.entity import REGION_KINDS
from canonym.normalize.scan import word_lists
from canonym.text.normalize import surface_norm
from canonym.text.scripts import is_arabic_script

if TYPE_CHECKING:
    from canonym.gazetteer.core import Gazetteer

__all__ = [
    "english_spelling",
    "language_forms",
    "guess_type",
    "guess_country",
    "region_countries",
    "is_cue_word",
    "CONTEXTS_READ",
]

CONTEXTS_READ = 50  # mentions of a proposal whose surroundings are read to type it
# Languages written in the Arabic script: their form is a spelling in that script.
_ARABIC_SCRIPT_LANGUAGES = frozenset({"ar", "fa", "ur", "ps", "ckb", "ku"})
_WORD = re.compile(r"\w+")
# The surroundings that count stop at the end of a sentence or clause.
_BEFORE_STOP = re.compile(r".*[.!?;:…«»\"“”()]")
_AFTER_STOP = re.compile(r"[.!?;:…«»\"“”()].*")

_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,7}")
Counts = Mapping[str, Mapping[str, int]]  # spelling -> document language -> mentions


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold()))


@cache
def _foreign_marks() -> tuple[re.Pattern[str], ...]:
    data: dict[str, list[str]] = load_data("romanizations.yaml")
    return tuple(re.compile(p) for patterns in data.values() for p in patterns)


def _marks(spelling: str) -> int:
    low = spelling.casefold()
    return sum(len(p.findall(low)) for p in _foreign_marks())


def english_spelling(spellings: Sequence[tuple[str, int]], by_language: Counts) -> str:
    """The spelling English documents write most; then a Latin spelling before one in
    Arabic script, the most frequent first; then the one with the fewest French or
    German romanizations, then the one closest to all the others."""

    def closeness(s: str) -> float:
        return sum(n * fuzz.ratio(s.casefold(), o.casefold()) for o, n in spellings if o != s)

    def rank(item: tuple[str, int]) -> tuple[int, bool, int, int, float, str]:
        s, n = item
        en = by_language.get(s, {}).get("en", 0)
        return (-en, is_arabic_script(s), -n, _marks(s), -closeness(s), s)

    return min(spellings, key=rank)[0]


def language_forms(
    spellings: Sequence[tuple[str, int]], by_language: Counts, name: str
) -> dict[str, list[str]]:
    """Per language other than English, the spelling its documents write most (in its
    script), where that is not ``name``."""
    langs = sorted({lang for s, _ in spellings for lang in by_language.get(s, {})} - {"en", ""})
    out: dict[str, list[str]] = {}
    for lang in langs:
        arabic = lang in _ARABIC_SCRIPT_LANGUAGES
        written = [
            (by_language[s][lang], s)
            for s, _ in spellings
            if by_language.get(s, {}).get(lang) and is_arabic_script(s) == arabic
        ]
        if written:
            best = min(written, key=lambda ns: (-ns[0], ns[1]))[1]
            if best != name:
                out[lang] = [best]
    return out


@dataclass(frozen=True)
class _Cues:
    before: dict[str, frozenset[tuple[str, ...]]]
    after: dict[str, frozenset[tuple[str, ...]]]
    inside: dict[str, frozenset[tuple[str, ...]]]
    longest: int


@cache
def _cues() -> _Cues:
    data: dict[str, dict[str, list[str]]] = load_data("name_contexts.yaml")
    _, titles, _ = word_lists()

    def phrases(
        where: str, extra: frozenset[str] = frozenset()
    ) -> dict[str, frozenset[tuple[str, ...]]]:
        return {
            t: frozenset(
                w for w in map(_words, [*d.get(where, ()), *(extra if t == "person" else ())]) if w
            )
            for t, d in data.items()
        }

    before, after, inside = phrases("before", titles), phrases("after"), phrases("inside")
    longest = max(len(p) for table in (before, after, inside) for ps in table.values() for p in ps)
    return _Cues(before, after, inside, longest)


def is_cue_word(word: str) -> bool:
    """Whether a lone word is one of the words that type a name (Commander, Kommandeur,
    province, milices): vocabulary around names, never a name by itself."""
    words = _words(word)
    cues = _cues()
    return len(words) == 1 and any(
        words in ps for table in (cues.before, cues.after, cues.inside) for ps in table.values()
    )


def _ends_with(words: tuple[str, ...], phrases: frozenset[tuple[str, ...]], longest: int) -> bool:
    return any(words[-k:] in phrases for k in range(1, min(longest, len(words)) + 1))


def _starts_with(words: tuple[str, ...], phrases: frozenset[tuple[str, ...]], longest: int) -> bool:
    return any(words[:k] in phrases for k in range(1, min(longest, len(words)) + 1))


def _holds(words: tuple[str, ...], phrases: frozenset[tuple[str, ...]]) -> bool:
    return any(words[i : i + len(p)] == p for p in phrases for i in range(len(words)))


def _around(surface: str, context: str) -> tuple[str, str] | None:
    """The text before and after the mention in its stored context: the occurrence of
    ``surface`` nearest the middle, where the context was cut around it."""
    middle = len(context) / 2
    at = [m.start() for m in re.finditer(re.escape(surface), context)]
    if not at:
        return None
    i = min(at, key=lambda a: abs(a + len(surface) / 2 - middle))
    before = _BEFORE_STOP.sub("", context[:i])
    after = _AFTER_STOP.sub("", context[i + len(surface) :])
    return before, after


# A place named right after a comma, and the apostrophe of a possessive after it.
_COMMA_WORDS = re.compile(r"\s*,\s*(\w[\w'’-]*(?:\s+\w[\w'’-]*){0,2})")
_POSSESSIVE = re.compile(r"['’]s?\b|['’]$")


# Tells whether a text names a country or region, and its country code: None when
# it names none, "" when its country is not known.
Places = Callable[[str], str | None]


# Places that a town or district is named beside ("Kfar Kila, Lebanon").


def region_countries(gz: Gazetteer) -> Places:
    """``Places`` for the countries and regions of ``gz``: the country code of the one
    a text is written as ("" when it has none), None when it writes none so."""
    index = gz.index

    def country(text: str) -> str | None:
        for ei in index.owners(index.exact(surface_norm(text))):
            e = index.entity(ei)
            if e.kind in REGION_KINDS:
                return e.country or ""
        return None

    return country


def _neighbour(after: str, places: Places) -> str | None:
    """The country code of the country or region named after a comma, "" when it has
    none, None when no such place follows: "Kfar Kila, Lebanon" (but not "Khamenei,
    Iran's leader")."""
    m = _COMMA_WORDS.match(after)
    if m is None:
        return None
    words = m.group(1).split()
    for k in range(len(words), 0, -1):
        text = " ".join(words[:k])
        if _POSSESSIVE.search(text):
            continue
        country = places(text)
        if country is not None:
            return country
    return None


def guess_country(contexts: Sequence[tuple[str, str]], places: Places) -> str | None:
    """The country of a place from the countries and regions written after its
    mentions ("Kfar Kila, Lebanon"): the one most of them name, when they agree."""
    named: dict[str, int] = {}
    for surface, context in contexts:
        around = _around(surface, context)
        country = None if around is None else _neighbour(around[1], places)
        if country:
            named[country] = named.get(country, 0) + 1
    return next(iter(named)) if len(named) == 1 else None


def guess_type(
    spellings: Sequence[str],
    contexts: Sequence[tuple[str, str]],
    places: Places | None = None,
) -> str:
    """person, organization, place or other, for an unknown name.

    The name's own words decide when they point to one type (Saraya, Brigades: an
    organization; Kfar, Deir, Province: a place). Otherwise each mention votes for
    the types whose words stand just before or after it (a title, "the town of",
    "fighters"), or for place when a comma and a country or region follow it
    (``places`` tells which texts name one), and a type wins with at least twice the
    votes of the next. A name nothing types is an organization when it is an acronym
    in capitals, a person with two words or more, and ``other`` alone.
    """
    cues = _cues()
    inside = {t for s in spellings for t, ps in cues.inside.items() if _holds(_words(s), ps)}
    if len(inside) == 1:
        return inside.pop()
    votes = dict.fromkeys(cues.before, 0)
    for surface, context in contexts:
        around = _around(surface, context)
        if around is None:
            continue
        before, after = _words(around[0]), _words(around[1])
        for t in votes:
            if _ends_with(before, cues.before[t], cues.longest) or _starts_with(
                after, cues.after[t], cues.longest
            ):
                votes[t] += 1
            elif t == "place" and places is not None and _neighbour(around[1], places) is not None:
                votes[t] += 1
    ranked = sorted(votes.items(), key=lambda tv: -tv[1])
    if ranked and ranked[0][1] > 0 and (len(ranked) < 2 or ranked[0][1] >= 2 * ranked[1][1]):
        return ranked[0][0]
    if any(_ACRONYM.fullmatch(s) for s in spellings):
        return "organization"  # UKMTO, CENTCOM, DBP: the press shortens bodies so, not people
    return "person" if any(len(s.split()) >= 2 for s in spellings) else "other"
