"""Surnames and group words a document names someone or a group by, after the full name.

Reach for this module to see why a word alone links ("Grundberg said", "Amal" after
"mouvement Amal"): ``local_surnames`` reads the document's resolved mentions of
people and groups and finds their surnames and distinctive words elsewhere in it.
Each mention's contribution is memoized per entity and the words written, which
are all it depends on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from typing import NamedTuple

from canonym.data import load_data
from canonym.gazetteer.index import Index
from canonym.gazetteer.memo import LastIndex, Memo
from canonym.names.clitics import lead_key, never_alone, proclitic_splits
from canonym.names.keys import name_key
from canonym.names.running import CASELESS, KEY0, UPPER
from canonym.normalize.candidates import Form
from canonym.normalize.languages import words_language
from canonym.normalize.mention import Mention
from canonym.normalize.scan import Scan, plain_lower, word_lists
from canonym.text.lexicon import is_common
from canonym.text.normalize import surface_norm
from canonym.text.scripts import is_arabic_script

__all__ = ["local_surnames"]

_LAST_WORD = re.compile(r"[\s\-\u2010\u2011]+")
_APOSTROPHES = ("'", "\u2019")
_MIN_SURNAME = 3  # letters: عون is a surname, and the name before it says whose
_get_key0, _get_caseless = itemgetter(KEY0), itemgetter(CASELESS)


@lru_cache(maxsize=20_000)
def _last_words(forms: tuple[str, ...]) -> frozenset[str]:
    """The last words of an entity's forms, as surface keys."""
    return frozenset(surface_norm(_LAST_WORD.split(f)[-1]) for f in forms)


@lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    """The words that say what kind of entity a name is ("agency", "Nachrichtenagentur")."""
    out: set[str] = set()
    for lists in load_data("name_contexts.yaml").values():
        for words in lists.values():
            out.update(plain_lower(w) for phrase in words for w in phrase.split())
    return frozenset(out)


@lru_cache(maxsize=1)
def _alone() -> frozenset[str]:
    return frozenset(surface_norm(w) for w in never_alone())


class _IndexMemo(NamedTuple):
    """What ``local_surnames`` reads of one index, word by word and entity by entity."""

    lasts: Memo[int, frozenset[str]]  # entity -> the last words of its forms
    other: Memo[tuple[str, str], bool]  # (word, language) -> a word that names no group
    # (entity, last word of the full name) -> its surnames, and those listed only
    persons: Memo[tuple[int, str], tuple[tuple[str, ...], frozenset[str]]]
    # (entity, words, gaps between them, language) -> what a group is named by alone
    groups: Memo[tuple[int, tuple[str, ...], tuple[str, ...], str], tuple[str, ...]]


_MEMO_SIZE = 50_000
_memo = LastIndex(lambda ix: _IndexMemo(*(Memo(_MEMO_SIZE) for _ in range(4))))


def local_surnames(
    scan: Scan,
    mentions: list[Mention],
    words: list[tuple[int, int]],
    busy: set[int],
    form: Form,
    ix: Index,
) -> list[tuple[Mention, int]]:
    """Words written as the surname of a person named in full in the document, or as
    the distinctive word of a group named in full before them.

    News names someone in full once and by surname elsewhere ("Hans Grundberg ...
    Grundberg said", a headline's surname before the text's full name); the
    gazetteer's own surnames are matched by key already, but a name found fuzzily,
    or a surname too short or too common to be listed alone (Arabic عون), is known
    only in this document. The word must be written as the full name wrote it or as
    the entity's listed names end, may carry an Arabic proclitic (وعون), and in
    Latin script must stand alone: "Michel Aoun" is not Joseph Aoun. A group's word
    ("Amal" after "mouvement Amal") is kept as written (method ``document``).
    """
    memo = _memo(ix)
    surnames: dict[str, tuple[int, int]] = {}  # folded surname -> (entity, last word of the name)
    clash: set[str] = set()
    derived: set[str] = set()  # surnames taken from listed forms, not from the text
    organizations: set[str] = set()  # words that name a group known from the text
    for m, (a, b) in zip(mentions, words, strict=True):
        if m.type != "person" or b <= a or m.entity_id is None:
            continue
        ei = ix.entity_index(m.entity_id)
        memo_key = (ei, scan.words[b])
        named = memo.persons.get(memo_key)
        if named is None:
            named = memo.persons.put(memo_key, _person_surnames(ix, memo, ei, scan.words[b]))
        lasts, listed_only = named
        derived.update(listed_only)
        for name in lasts:
            if surnames.setdefault(name, (ei, b))[0] != ei:
                clash.add(name)
    lang: list[str] = []
    for m, (a, b) in zip(mentions, words, strict=True):
        if m.type != "organization" or b <= a or m.entity_id is None:
            continue
        if not lang:
            lang.append(words_language(scan.text))
        ei = ix.entity_index(m.entity_id)
        # What a group's mention names it by depends on its words and the gaps
        # between them alone (and on the text's language).
        group_key = (ei, tuple(scan.words[a : b + 1]), tuple(scan.gaps[a + 1 : b + 1]), lang[0])
        own = memo.groups.get(group_key)
        if own is None:
            own = memo.groups.put(group_key, _group_words(ix, memo, scan, a, b, lang[0]))
        for name in own:
            if surnames.setdefault(name, (ei, b))[0] != ei:
                clash.add(name)
            organizations.add(name)
    for s in clash:
        del surnames[s]
    if not surnames:
        return []
    stop, titles, _ = word_lists()
    out: list[tuple[Mention, int]] = []
    # Only words whose first key piece is a surname's, or Arabic ones (a proclitic
    # changes the key): one C-level pass picks them out of the text.
    leads = {lead_key(s) for s in surnames}
    arabic = any(is_arabic_script(s) for s in surnames)
    n = len(scan.words)
    picked: Iterable[int] = compress(range(n), map(leads.__contains__, map(_get_key0, scan.infos)))
    if arabic:
        caseless = compress(range(n), map(_get_caseless, scan.infos))
        picked = sorted({*picked, *caseless})
    for i in picked:
        word = scan.words[i]
        if i in busy:
            continue
        info = scan.infos[i]
        if not (info[UPPER] or info[CASELESS]):
            continue
        norm = surface_norm(word)
        skip = 0
        hit = surnames.get(norm)
        if hit is None and info[CASELESS]:
            skip = _proclitic(word)
            if skip:
                norm = surface_norm(word[skip:])
                hit = surnames.get(norm)
        if hit is None or (norm in organizations and i <= hit[1]):
            continue  # a group's word counts after the group's full name only
        if info[CASELESS] and norm in derived and is_common(norm, "ar"):
            continue  # السلام ends the listed عبد السلام, and is 'peace' on its own
        if info[UPPER] and any(
            _names_other(scan, w, i, stop, titles) for w in (i - 1, i + 1) if w not in busy
        ):
            continue
        ei = hit[0]
        entity = ix.entity(ei)
        start = scan.starts[i] + skip
        surface = scan.text[start : scan.ends[i]]
        group = norm in organizations
        # A group's one word stays as written: it is no form of the group to rewrite.
        canonical = entity.name if group else form(ei, surface, True)[0]
        out.append(
            (
                Mention(
                    start,
                    scan.ends[i],
                    surface,
                    entity_id=entity.id,
                    canonical=canonical,
                    type=entity.type,
                    method="document" if group else "context",
                    score=1.0,
                    context=True,
                ),
                i,
            )
        )
    return out


def _names_other(scan: Scan, w: int, i: int, stop: frozenset[str], titles: frozenset[str]) -> bool:
    """Whether word ``w``, beside the surname ``i``, is a capitalized word of another name."""
    if w < 0 or w >= len(scan.words):
        return False
    if not scan.joinable(min(w, i)) or not scan.infos[w][UPPER]:
        return False
    low = plain_lower(scan.words[w])
    return low not in stop and low not in titles


def _proclitic(word: str) -> int:
    """How many letters of an Arabic word are a proclitic before a surname (0: none)."""
    return max(proclitic_splits(word, _MIN_SURNAME), default=0)


def _person_surnames(
    ix: Index, memo: _IndexMemo, ei: int, word: str
) -> tuple[tuple[str, ...], frozenset[str]]:
    """The surnames a person's full name ending in ``word`` names them by, and those of
    them taken from the listed forms only."""
    # As written here, and as the entity's listed names end: what a first pass
    # rewrote the full name to still names the same surname when read again.
    written = surface_norm(word)
    listed = memo.lasts.get(ei)
    if listed is None:
        listed = memo.lasts.put(ei, _last_words(ix.entity(ei).known_forms))
    alone = _alone()
    # الله ends نصر الله but names no one alone.
    lasts = tuple(x for x in {written, *listed} if len(x) >= _MIN_SURNAME and x not in alone)
    return lasts, listed - {written}


def _group_words(
    ix: Index, memo: _IndexMemo, scan: Scan, a: int, b: int, lang: str
) -> tuple[str, ...]:
    """The words a group named by words ``a``..``b`` may be named by alone."""
    stop, titles, _ = word_lists()
    out: list[str] = []
    for w in range(a, b + 1):
        # The one distinctive word of a group's longer name ("mouvement Amal"),
        # written with a capital, no common word of the text's language, and not
        # after a function word inside it ("Université islamique de Gaza": Gaza is
        # where the group is, not what it is called).
        word = scan.words[w]
        if not scan.infos[w][UPPER] or len(word) < 4 or word.isupper():
            continue
        if w > a and (plain_lower(scan.words[w - 1]) in stop or scan.gaps[w][-1:] in _APOSTROPHES):
            continue
        low = plain_lower(word)
        if low in stop or low in titles:
            continue
        other = memo.other.get((word, lang))
        if other is None:
            other = memo.other.put(
                (word, lang),
                bool(
                    is_common(word, lang)
                    or low in _generic_words()
                    or ix.exact(surface_norm(word))
                    or ix.has_key(name_key(word))
                ),
            )
        if not other:  # else a word of the language, a type of group, or another name
            out.append(surface_norm(word))
    return tuple(out)
