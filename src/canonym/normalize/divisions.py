"""Cities named as the divisions they are capitals of.

Reach for this module to see why "Bagdad" in "huit gouvernorats clés: Bagdad, Najaf"
links to Baghdad Governorate, not to the city: election results and casualty counts
list divisions by their capitals' names. A place mention in the list after a
plural division word (``data/divisions.yaml``), or after one division word and
"of", whose entity has a division named after it takes that division; its other
mentions are the city still (a dateline, "à Sanaa"). The mention keeps its
spelling: the division is called by its capital's name.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from operator import attrgetter

from canonym.data import load_data
from canonym.gazetteer.index import Index
from canonym.names.clitics import proclitic_splits
from canonym.names.particles import particles
from canonym.normalize.mention import Mention
from canonym.text.normalize import surface_norm

__all__ = ["read_divisions"]

# Between the plural word and the list: nothing, or one word and a colon.
_OPENS_LIST = re.compile(r"\s*(?:[^\W\d_]+\s*:)?\s*")
# Between two names of the list.
_IN_LIST = re.compile(r"\s*(?:[,\u060c]\s*)?(?:(?:and|et|und|y|e|ed)\s+|\u0648)?", re.IGNORECASE)


# The word just before a mention, and the space after it.
_WORD_BEFORE = re.compile(r"(?<!\w)(\w+)\s+$")


def _alternation(words: list[str] | frozenset[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _data() -> tuple[re.Pattern[str], tuple[str, ...], frozenset[str]]:
    data = load_data("divisions.yaml")
    # Grouped by first letter, which the pattern opens with: the engine then skips
    # ahead to those letters, and only there tests that no letter comes before.
    by_first: dict[str, list[str]] = {}
    for w in sorted([*data["plural"], *data["loose"]], key=len, reverse=True):
        by_first.setdefault(w[0], []).append(re.escape(w[1:]))
    firsts = "".join(re.escape(f) for f in by_first)
    rests = "|".join(f"(?<={re.escape(f)})(?:{'|'.join(r)})" for f, r in by_first.items())
    of = _alternation(particles().of_words)
    # The plural word, then "of" or nothing before the list.
    cue = rf"([{firsts}](?<!\w.)(?:{rests}))(?!\w)(?:\s+(?:{of})(?!\w)|\s*d['\u2019])?"
    loose = frozenset(w.casefold() for w in data["loose"])
    return re.compile(cue, re.IGNORECASE), tuple(data["named"]), loose


@lru_cache(maxsize=1)
def _countryside() -> frozenset[str]:
    return frozenset(load_data("divisions.yaml")["countryside"])


def _in_countryside(text: str, start: int) -> bool:
    """Whether the word before ``start`` is a countryside word (ريف, بريف, وريف)."""
    # Whatever proclitic it carries, the word ends in one: a test in C first, as
    # nearly every place has some other word before it.
    if not text[max(0, start - 16) : start].rstrip().endswith(_countryside_endings()):
        return False
    hit = _WORD_BEFORE.search(text, max(0, start - 16), start)
    if hit is None:
        return False
    word = hit.group(1)
    words = _countryside()
    return word in words or any(word[n:] in words for n in proclitic_splits(word, 2))


@lru_cache(maxsize=1)
def _countryside_endings() -> tuple[str, ...]:
    return tuple(_countryside())


@lru_cache(maxsize=1)
def _of_endings() -> tuple[str, ...]:
    """How the text before a place that names one division ends: "of" and a space, or
    an elided "d'", case-folded (both patterns of ``_before_one`` end so)."""
    return (*(w.casefold() for w in particles().of_words), "d'", "d\u2019")


# The letters the engine's case-insensitive matching takes for Latin ones that
# case-folding does not (dotted and dotless i, long s, the kelvin sign).
_LIKE_LATIN = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _after_of(before: str) -> bool:
    """Whether ``before`` may end as ``_before_one``'s patterns do, tested in C."""
    stripped = before.rstrip()
    if len(stripped) == len(before):
        return before[-2:].translate(_LIKE_LATIN).casefold() in ("d'", "d\u2019")
    return stripped[-8:].translate(_LIKE_LATIN).casefold().endswith(_of_endings())


@lru_cache(maxsize=1)
def _before_one() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """What stands just before a place that names one division: a division word, maybe
    an adjective, and "of"; or a pronoun and "of" (read only after a division)."""
    data = load_data("divisions.yaml")
    of = rf"(?:(?:{_alternation(particles().of_words)})\s+|d['\u2019])"
    one = rf"(?<!\w)(?:{_alternation(data['singular'])})\s+(?:[^\W\d_]+\s+)?{of}\Z"
    pronoun = rf"(?<!\w)(?:{_alternation(data['pronouns'])})\s+{of}\Z"
    return re.compile(one, re.IGNORECASE), re.compile(pronoun, re.IGNORECASE)


def _division_of(ix: Index, ei: int, surface: str) -> int | None:
    """The one division the gazetteer names after place ``ei`` (as written or listed)."""
    _, named, _ = _data()
    entity = ix.entity(ei)
    found: set[int] = set()
    for name in dict.fromkeys((surface, entity.name)):
        for pattern in named:
            for a in ix.exact(surface_norm(pattern.format(name))):
                owner = ix.owner(a)
                if owner != ei and ix.entity(owner).kind == "division":
                    found.add(owner)
    return found.pop() if len(found) == 1 else None


def read_divisions(ix: Index, text: str, mentions: list[Mention]) -> None:
    """Relink, in place, the places named in lists of divisions to those divisions, and
    those after a countryside word (ريف درعا).

    The list follows the plural word at once, after "of", or after one word and a
    colon ("gouvernorats clés: Bagdad, Najaf", "der Gouvernements Latakia, Tartus und
    Homs", "les régions de Hama et Homs"), and runs on while only commas and "and"
    stand between its names. A place after one division word ("la provincia oriental
    de Deir ez-Zor") takes its division too.
    """
    cue, _, loose = _data()
    places = sorted(
        (m for m in mentions if m.type == "place" and m.entity_id is not None),
        key=attrgetter("start"),
    )
    if not places:
        return
    # A countryside word ends in one of its endings: a text without any has none.
    if any(e in text for e in _countryside_endings()):
        for m in places:
            if _in_countryside(text, m.start):
                _relink(ix, m)
    _read_one_division(ix, text, places)
    starts = [m.start for m in places]
    for hit in cue.finditer(text):
        i = bisect_left(starts, hit.end())
        if i == len(places) or not _OPENS_LIST.fullmatch(text[hit.end() : places[i].start]):
            continue
        listed = [places[i]]
        i += 1
        while i < len(places) and _IN_LIST.fullmatch(text[listed[-1].end : places[i].start]):
            listed.append(places[i])
            i += 1
        if hit.group(1).casefold() in loose and any(
            _division_of(ix, ix.entity_index(m.entity_id or ""), m.surface) is None for m in listed
        ):
            continue  # "regions of" a town and a city: places, not divisions
        for m in listed:
            _relink(ix, m)


def _relink(ix: Index, m: Mention) -> None:
    """Link place mention ``m`` to the division named after it, if there is one."""
    div = _division_of(ix, ix.entity_index(m.entity_id or ""), m.surface)
    if div is not None:
        d = ix.entity(div)
        m.entity_id, m.canonical, m.method, m.context = d.id, d.name, "document", True


_SENTENCE_END = re.compile(r"[.!?\n]")


def _read_one_division(ix: Index, text: str, places: list[Mention]) -> None:
    """Relink a place named as one division ("la province orientale de Deir ez-Zor"), or
    by a pronoun for the division word just used ("la province de Homs, puis celle de
    Hama")."""
    one, pronoun = _before_one()
    for k, m in enumerate(places):
        before = text[max(0, m.start - 60) : m.start]
        if not _after_of(before):
            continue
        if one.search(before):
            _relink(ix, m)
        elif k and pronoun.search(before):
            prev = places[k - 1]
            kind = ix.entity(ix.entity_index(prev.entity_id or "")).kind
            if kind == "division" and not _SENTENCE_END.search(text, prev.end, m.start):
                _relink(ix, m)
