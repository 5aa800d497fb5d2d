"""Arabic words that refer to an entity the document names, without naming it in full.

Reach for this module to see why البرلمان ('the parliament') links to Lebanon's
parliament in an article that names it, السلطنة ('the sultanate') to Oman in one
about Muscat, and الانتقالي to the Southern Transitional Council after its full
name: Arabic news calls a body by its kind, or by the one word of its name that no
other entity's name has, once the text has said which one it means. Such words are
kept as written (method ``document``). Also here: a country's spelling in ة read as
the adjective it is spelled like (سورية, 'Syrian') where the document itself writes
the country in ا (سوريا).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from itertools import compress
from operator import attrgetter, itemgetter, methodcaller
from typing import NamedTuple

from canonym.data import load_data
from canonym.gazetteer.index import Index
from canonym.gazetteer.memo import LastIndex
from canonym.names.clitics import definite_reading, has_article
from canonym.names.running import CASELESS
from canonym.normalize.mention import Mention
from canonym.normalize.scan import Scan
from canonym.text.normalize import surface_norm
from canonym.text.scripts import is_arabic_script

__all__ = ["arabic_references", "ta_adjectives"]

_ARTICLE = "\u0627\u0644"  # ال
_TA_MARBUTA = "\u0629"
_ALEF_ENDS = ("\u0627", "\u0649", "\u0627\u0621")  # ا ى اء
_NISBA_ENDS = ("\u064a", "\u064a\u0629")  # ي ية: the adjective of a place or people
# A first word that opens the Arabic names of this many entities says what kind of
# thing they are (مجلس, منطقة, حزب), not which one: the word after it may be the name.
_KIND_WORD = 3
_OPENING_QUOTES = frozenset('"\u201c\u00ab\u201e')  # " “ « „
_CLOSING_QUOTES = frozenset('"\u201d\u00bb')  # " ” »
_MAX_QUOTED = 4  # words inside the quotes
# Letters, the article included, that a distinctive word needs: shorter words are
# too often words of the sentence.
_MIN_LETTERS = 6


class _Tables(NamedTuple):
    heads: dict[str, tuple[int, ...]]  # a listed head (البرلمان) -> entities its forms open
    owners: dict[str, int]  # a word of Arabic forms -> its one entity (-1: several)
    kinds: frozenset[str]  # first words, article dropped, that say a kind (مجلس)


_caseless = itemgetter(CASELESS)
_get_surface = attrgetter("surface")


def _bare(word: str) -> str:
    return word[2:] if word.startswith(_ARTICLE) and len(word) > 3 else word


@lru_cache(maxsize=1)
def _heads() -> tuple[str, ...]:
    return tuple(load_data("references.yaml")["heads"])


def _build_tables(ix: Index) -> _Tables:
    """What the gazetteer's Arabic forms say about their words."""
    owners: dict[str, int] = {}
    firsts: dict[str, set[int]] = {}
    # A compiled index finds its few aliases that may be Arabic in one pass of numpy,
    # where reading each of millions would cost seconds per process.
    maybe_arabic = getattr(ix, "maybe_arabic", None)
    for ai in maybe_arabic() if maybe_arabic is not None else range(ix.alias_count):
        text = ix.text(ai)
        if ix.is_short(ai) or ix.is_bare(ai) or not is_arabic_script(text):
            continue
        ei = ix.owner(ai)
        ws = text.split()
        for w in ws:
            owners[w] = ei if owners.get(w, ei) == ei else -1
        if len(ws) > 1:
            firsts.setdefault(_bare(ws[0]), set()).add(ei)
    heads = {h: tuple(sorted(firsts.get(_bare(h), ()))) for h in _heads()}
    kinds = frozenset(w for w, es in firsts.items() if len(es) >= _KIND_WORD)
    return _Tables(heads, owners, kinds)


_tables = LastIndex(_build_tables)  # built once per index


def ta_adjectives(ix: Index, mentions: list[Mention]) -> list[bool]:
    """Which mentions are an adjective in ة spelled like a country the document writes
    in ا: سورية is a listed spelling of Syria, but a text that writes سوريا means
    'Syrian' by it (وسائل إعلام سورية, 'Syrian media')."""
    if not any(map(methodcaller("endswith", _TA_MARBUTA), map(_get_surface, mentions))):
        return [False] * len(mentions)  # the common case: no name ends in ة
    written = {(m.entity_id, surface_norm(m.surface)) for m in mentions}
    out = []
    for m in mentions:
        s = m.surface
        out.append(
            s.endswith(_TA_MARBUTA)
            and is_arabic_script(s)
            and any((m.entity_id, surface_norm(s[:-1] + a)) in written for a in _ALEF_ENDS)
        )
    return out


def arabic_references(
    ix: Index, scan: Scan, mentions: list[Mention], words: list[tuple[int, int]], busy: set[int]
) -> list[tuple[Mention, int]]:
    """Words outside ``busy`` that refer to an entity the document names: a listed head
    (البرلمان) or the distinctive word of a name written in full before it, with
    their word indexes."""
    if not scan.has_caseless():
        return []
    tables = _tables(ix)
    distinct = _distinctive_words(ix, scan, tables, mentions, words)
    named = {ix.entity_index(m.entity_id) for m in mentions if m.entity_id is not None}
    countries = {ix.entity(e).country for e in named} - {None}
    out = _quoted_names(ix, scan, tables, busy)
    busy = busy | {w for _, w in out}
    text = scan.text
    for i in compress(range(len(scan.words)), map(_caseless, scan.infos)):
        if i in busy:
            continue
        # The word as written: the scanner may have peeled a proclitic off it (للبرلمان).
        a = scan.starts[i]
        while a > 0 and text[a - 1].isalpha():
            a -= 1
        reading = definite_reading(text[a : scan.ends[i]])
        if reading is None:
            continue
        skip, definite = reading
        ei: int | None = None
        if definite in distinct:
            ei, after = distinct[definite]
            if i <= after:
                continue  # a group's word counts after the group's full name only
        elif definite in tables.heads:
            if _nisba_after(scan, i):
                continue  # البرلمان الليبي: another country's parliament
            ei = _one_in_view(ix, tables.heads[definite], named, countries)
        if ei is None or (not skip and _modifies(scan, i, busy)):
            continue
        out.append((_kept(ix, ei, scan, a + skip, scan.ends[i]), i))
    return sorted(out, key=lambda pair: pair[1])


def _kept(ix: Index, ei: int, scan: Scan, start: int, end: int) -> Mention:
    """A mention of entity ``ei`` that stays as written (method ``document``)."""
    entity = ix.entity(ei)
    return Mention(
        start,
        end,
        scan.text[start:end],
        entity_id=entity.id,
        canonical=entity.name,
        type=entity.type,
        method="document",
        score=1.0,
        context=True,
    )


def _quoted_names(
    ix: Index, scan: Scan, tables: _Tables, busy: set[int]
) -> list[tuple[Mention, int]]:
    """Names in quotes after their kind word: وكالة "الأناضول" is a form, وكالة الأناضول,
    that the quotes cut in two. The mention spans the quoted words, kept as written."""
    out: list[tuple[Mention, int]] = []
    words, gaps, n = scan.words, scan.gaps, len(scan.words)
    # The kind words are Arabic: only the words after a caseless one are tried.
    for i in compress(range(1, n), map(_caseless, scan.infos)):
        if gaps[i].strip() not in _OPENING_QUOTES or _bare(words[i - 1]) not in tables.kinds:
            continue
        for j in range(i, min(n, i + _MAX_QUOTED)):
            if any(w in busy for w in (i - 1, j)):
                break
            closes = j + 1 >= n or gaps[j + 1][:1] in _CLOSING_QUOTES
            if not closes:
                continue
            inside = scan.text[scan.starts[i] : scan.ends[j]]
            owners = ix.owners(ix.exact(surface_norm(f"{words[i - 1]} {inside}")))
            if len(owners) == 1:
                out.append((_kept(ix, owners[0], scan, scan.starts[i], scan.ends[j]), i))
            break
    return out


def _distinctive_words(
    ix: Index, scan: Scan, tables: _Tables, mentions: list[Mention], words: list[tuple[int, int]]
) -> dict[str, tuple[int, int]]:
    """The words, with the article, that name one group or place of the document alone:
    each to its entity and the last word of its full name.

    The name opens with a word of kind (المجلس, المنطقة), and the word after it is one
    no other entity's Arabic forms have, nor the adjective of a place (الكوردستاني).
    """
    found: dict[str, tuple[int, int]] = {}
    clash: set[str] = set()
    for m, (a, b) in zip(mentions, words, strict=True):
        if m.type not in ("organization", "place") or b <= a or m.entity_id is None:
            continue
        if not is_arabic_script(m.surface) or _bare(scan.words[a]) not in tables.kinds:
            continue
        ei = ix.entity_index(m.entity_id)
        # The word that qualifies the kind word, not one further on: in التحالف العربي
        # لدعم الشرعية, 'legitimacy' is what the coalition supports, not its name.
        w = scan.words[a + 1]
        if not w.startswith(_ARTICLE) or len(w) < _MIN_LETTERS or tables.owners.get(w) != ei:
            continue
        if _place_adjective(ix, w):
            continue
        if w in found and found[w][0] != ei:
            clash.add(w)
        found.setdefault(w, (ei, b))
    for w in clash:
        del found[w]
    return found


def _place_adjective(ix: Index, word: str) -> bool:
    """Whether a word with the article is the adjective of a listed place (الكوردستاني)."""
    for end in _NISBA_ENDS:
        if word.endswith(end):
            stem = word[2 : -len(end)]
            for form in (stem, _ARTICLE + stem):
                owners = ix.owners(ix.exact(surface_norm(form)))
                if any(ix.entity(e).type == "place" for e in owners):
                    return True
    return False


def _nisba_after(scan: Scan, i: int) -> bool:
    """Whether word ``i`` is followed by an adjective of a place or people (العراقي)."""
    if i + 1 >= len(scan.words) or not scan.joinable(i):
        return False
    nxt = scan.words[i + 1]
    return nxt.startswith(_ARTICLE) and nxt.endswith(_NISBA_ENDS)


def _modifies(scan: Scan, i: int, busy: set[int]) -> bool:
    """Whether word ``i`` stands where an adjective does: after a word with the article
    (الرئيس الانتقالي, 'the interim president') or after a name (لبنان الجنوبي)."""
    if i == 0 or not scan.joinable(i - 1):
        return False
    return i - 1 in busy or has_article(scan.words[i - 1])


def _one_in_view(
    ix: Index, cands: Iterable[int], named: set[int], countries: set[str | None]
) -> int | None:
    """The one candidate in view: named in the document, or a state whose country the
    document names (Oman, when it names Muscat). An institution must be named: a
    country's parliament is not in view because one of its towns is."""
    shown = {
        e
        for e in cands
        if e in named or (ix.entity(e).kind == "country" and ix.entity(e).country in countries)
    }
    return shown.pop() if len(shown) == 1 else None
