"""Document context: which entity each candidate names, given the rest of the text.

Reach for this module for the second stage of normalizing. Candidates are read
in document order; an entity resolved earlier settles a later ambiguous key or a
surname alone ("Sudani" after "Mohammed Shia al-Sudani"), and a surname with no
full name before it links only when written exactly as listed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Set
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from typing import NamedTuple

from canonym.data import load_data
from canonym.gazetteer.index import Index, short_forms
from canonym.match.context import in_document
from canonym.match.resolve import Match
from canonym.names.clitics import lead_key, never_alone, proclitic_splits
from canonym.names.keys import name_key
from canonym.names.running import CASELESS, KEY0, UPPER
from canonym.normalize.candidates import Candidate, Form
from canonym.normalize.divisions import read_divisions
from canonym.normalize.memo import LastIndex, Memo
from canonym.normalize.mention import AMBIGUOUS, RESOLVED, UNRESOLVED, Mention
from canonym.normalize.references import arabic_references, ta_adjectives
from canonym.normalize.scan import Scan, plain_lower, word_lists
from canonym.text.language import detect_language
from canonym.text.lexicon import is_common
from canonym.text.normalize import surface_norm
from canonym.text.scripts import is_arabic_script

__all__ = ["Resolved", "resolve_mentions", "resolve_candidate", "local_surnames"]

_LAST_WORD = re.compile(r"[\s\-\u2010\u2011]+")
_APOSTROPHES = ("'", "\u2019")
_MIN_SURNAME = 3  # letters: عون is a surname, and the name before it says whose
_get_key0, _get_caseless = itemgetter(KEY0), itemgetter(CASELESS)


class Resolved(NamedTuple):
    """The mentions of one document, by outcome, in document order."""

    mentions: list[Mention]
    words: list[tuple[int, int]]  # each resolved mention's first and last word
    ambiguous: list[Mention]
    unresolved: list[Mention]


def resolve_mentions(
    ix: Index,
    scan: Scan,
    cands: list[Candidate],
    missed: list[tuple[int, int]],
    form: Form,
) -> Resolved:
    """Resolve ``cands`` in order; ``missed`` name runs become unresolved mentions."""
    text = scan.text
    mentions: list[Mention] = []
    ambiguous: list[Mention] = []
    weak: list[Mention] = []
    words: list[tuple[int, int]] = []  # each mention's first and last word
    seen: set[int] = set()  # entities resolved earlier in this document
    # Entities named in full anywhere in it: news may write the surname first
    # ("Hamas-Führer Hanija ... Ismail Hanija"), and a reader still knows whose it is.
    named = {c.entities[0] for c in cands if len(c.entities) == 1 and not c.short}
    starts, ends = scan.starts, scan.ends
    for c in cands:
        start, end = starts[c.first], ends[c.last]
        surface = text[start:end]
        if c.fields is not None:
            # The common case, one entity by key: all but the offsets is cached.
            seen.add(c.entities[0])
            mentions.append(Mention(start, end, surface, RESOLVED, *c.fields))
            words.append((c.first, c.last))
            continue
        m = resolve_candidate(ix, c, start, end, surface, seen, form, named)
        if m.status == RESOLVED:
            seen.add(ix.entity_index(m.entity_id))  # type: ignore[arg-type]
            mentions.append(m)
            words.append((c.first, c.last))
        elif m.status == AMBIGUOUS:
            ambiguous.append(m)
        else:
            weak.append(m)
    adjectives = ta_adjectives(ix, mentions)
    if any(adjectives):
        kept = [k for k, adjective in enumerate(adjectives) if not adjective]
        mentions, words = [mentions[k] for k in kept], [words[k] for k in kept]
    busy = {w for m in ambiguous for w in _words_of(scan, m)}
    busy.update(w for a, b in words for w in range(a, b + 1))
    later = local_surnames(scan, mentions, words, busy, form, ix)
    later += arabic_references(ix, scan, mentions, words, busy | {w for _, w in later})
    if later:
        taken = {w for m, w in later}
        weak = [m for m in weak if not taken.intersection(_words_of(scan, m))]
        missed = [(a, b) for a, b in missed if not taken.intersection(range(a, b + 1))]
        both = sorted(
            [*zip(mentions, words, strict=True), *((m, (w, w)) for m, w in later)], key=_by_start
        )
        mentions, words = [m for m, _ in both], [w for _, w in both]
    read_divisions(ix, text, mentions)
    unresolved = [
        Mention(
            scan.starts[a],
            scan.ends[b],
            scan.span_text(a, b),
            status=UNRESOLVED,
        )
        for a, b in missed
    ]
    unresolved = sorted([*unresolved, *weak], key=lambda m: m.start)
    return Resolved(mentions, words, ambiguous, unresolved)


def resolve_candidate(
    ix: Index,
    c: Candidate,
    start: int,
    end: int,
    surface: str,
    seen: set[int],
    form: Form,
    named: Set[int] = frozenset(),
) -> Mention:
    """One candidate's mention, given the entities ``seen`` earlier in the document and
    those ``named`` in full anywhere in it (which settle a surname alone)."""
    ents = c.entities
    context = False
    if len(ents) > 1:
        known = [e for e in ents if e in seen] or [e for e in ents if e in named]
        if not known and not c.short:
            known = in_document(ix, ents, seen)  # the one its country or a place near it
        if len(known) != 1:
            return Mention(
                start,
                end,
                surface,
                status=AMBIGUOUS,
                candidates=tuple(Match(ix.entity(e), 1.0, "key", ix.entity(e).name) for e in ents),
            )
        ents, context = (known[0],), True
    ei = ents[0]
    entity = ix.entity(ei)
    if c.short:
        if (ei in seen or ei in named) and not (
            is_arabic_script(surface) and is_common(surface, "ar")
        ):
            # An Arabic surname read by key may be a common word (السلام, 'peace',
            # for عبدالسلام): it links only as written, below.
            context = True
        elif not _exact_surname(ix, ei, surface):
            # A surname spelled another way, with no full name before it, is too
            # weak to link: "Premier" is not Paul Bremer.
            return Mention(start, end, surface, status=UNRESOLVED)
    if c.match is not None:
        canonical = form(ei, surface, c.short)[0]
        method, score = c.match.method, c.match.score
    else:
        canonical, method, score = form(ei, surface, c.short)
    return Mention(
        start,
        end,
        surface,
        entity_id=entity.id,
        canonical=canonical,
        type=entity.type,
        method=method,
        score=score,
        context=context,
    )


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


_MEMO_SIZE = 50_000
_memo = LastIndex(lambda ix: _IndexMemo(Memo(_MEMO_SIZE), Memo(_MEMO_SIZE)))


def _by_start(pair: tuple[Mention, tuple[int, int]]) -> int:
    return pair[0].start


def _words_of(scan: Scan, m: Mention) -> range:
    """The words a mention spans."""
    return range(bisect_left(scan.starts, m.start), bisect_left(scan.starts, m.end))


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
    alone = _alone()
    memo = _memo(ix)
    surnames: dict[str, tuple[int, int]] = {}  # folded surname -> (entity, last word of the name)
    clash: set[str] = set()
    derived: set[str] = set()  # surnames taken from listed forms, not from the text
    organizations: set[str] = set()  # words that name a group known from the text
    for m, (a, b) in zip(mentions, words, strict=True):
        if m.type != "person" or b <= a or m.entity_id is None:
            continue
        ei = ix.entity_index(m.entity_id)
        # As written here, and as the entity's listed names end: what a first pass
        # rewrote the full name to still names the same surname when read again.
        written = surface_norm(scan.words[b])
        listed = memo.lasts.get(ei)
        if listed is None:
            listed = memo.lasts.put(ei, _last_words(ix.entity(ei).known_forms))
        derived.update(listed - {written})
        lasts = {written, *listed}
        for last in lasts:
            if len(last) < _MIN_SURNAME or last in alone:
                continue  # الله ends نصر الله but names no one alone
            if last in surnames and surnames[last][0] != ei:
                clash.add(last)
            surnames.setdefault(last, (ei, b))
    stop, titles, _ = word_lists()
    lang: list[str] = []
    for m, (a, b) in zip(mentions, words, strict=True):
        if m.type != "organization" or b <= a or m.entity_id is None:
            continue
        ei = ix.entity_index(m.entity_id)
        for w in range(a, b + 1):
            # The one distinctive word of a group's longer name ("mouvement Amal"),
            # written with a capital, no common word of the text's language, and not
            # after a function word inside it ("Université islamique de Gaza": Gaza is
            # where the group is, not what it is called).
            word = scan.words[w]
            if not scan.infos[w][UPPER] or len(word) < 4 or word.isupper():
                continue
            if w > a and (
                plain_lower(scan.words[w - 1]) in stop or scan.gaps[w][-1:] in _APOSTROPHES
            ):
                continue
            low = plain_lower(word)
            if low in stop or low in titles:
                continue
            if not lang:
                lang.append(detect_language(scan.text).lang)
            other = memo.other.get((word, lang[0]))
            if other is None:
                other = memo.other.put(
                    (word, lang[0]),
                    bool(
                        is_common(word, lang[0])
                        or low in _generic_words()
                        or ix.exact(surface_norm(word))
                        or ix.has_key(name_key(word))
                    ),
                )
            if other:
                continue  # a word of the language, a type of group, or another name
            norm = surface_norm(word)
            if norm in surnames and surnames[norm][0] != ei:
                clash.add(norm)
            surnames.setdefault(norm, (ei, b))
            organizations.add(norm)
    for s in clash:
        del surnames[s]
    if not surnames:
        return []
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


def _exact_surname(ix: Index, ei: int, surface: str) -> bool:
    """Whether a surname is written exactly as the gazetteer or the name has it."""
    norm = surface_norm(surface)
    if any(ix.owner(a) == ei for a in ix.exact(norm)):
        return True
    return norm in {surface_norm(f) for f in short_forms(ix.entity(ei).name)}
