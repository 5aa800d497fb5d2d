"""Document context: which entity each candidate names, given the rest of the text.

Reach for this module for the second stage of normalizing. Candidates are read
in document order; an entity resolved earlier settles a later ambiguous key or a
surname alone ("Sudani" after "Mohammed Shia al-Sudani"), and a surname with no
full name before it links only when written exactly as listed.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Set
from typing import NamedTuple

from canonym.gazetteer.index import Index, short_forms
from canonym.match.context import in_document
from canonym.match.resolve import Match
from canonym.normalize.candidates import Candidate, Form
from canonym.normalize.divisions import read_divisions
from canonym.normalize.mention import AMBIGUOUS, RESOLVED, UNRESOLVED, Mention
from canonym.normalize.references import arabic_references, ta_adjectives
from canonym.normalize.scan import Scan
from canonym.normalize.surnames import local_surnames
from canonym.text.lexicon import is_common
from canonym.text.normalize import surface_norm
from canonym.text.scripts import is_arabic_script

__all__ = ["Resolved", "resolve_mentions", "resolve_candidate", "local_surnames"]


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
    for a, b in words:
        busy.update(range(a, b + 1))
    later = local_surnames(scan, mentions, words, busy, form, ix)
    later += arabic_references(ix, scan, mentions, words, busy | {w for _, w in later})
    if later:
        later = _absorbed(scan, mentions, words, later)
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


def _absorbed(
    scan: Scan,
    mentions: list[Mention],
    words: list[tuple[int, int]],
    later: list[tuple[Mention, int]],
) -> list[tuple[Mention, int]]:
    """``later`` without the surnames read in the word right after a mention of their
    own entity, which that mention takes in: "Ali Bgheri Kani", found as "Ali Bgheri"
    by fuzzy search, is one name, and its full form written for the first two words
    would otherwise be followed by the surname again."""
    ends = {b: k for k, (_, b) in enumerate(words)}
    kept = []
    for m, w in later:
        k = ends.get(w - 1)
        if k is not None and mentions[k].entity_id == m.entity_id and scan.joinable(w - 1):
            before = mentions[k]
            if before.method != m.method:  # a surname after a surname stays apart
                before.end = m.end
                before.surface = scan.text[before.start : m.end]
                words[k] = (words[k][0], w)
                del ends[w - 1]
                ends[w] = k
                continue
        kept.append((m, w))
    return kept


def _by_start(pair: tuple[Mention, tuple[int, int]]) -> int:
    return pair[0].start


def _words_of(scan: Scan, m: Mention) -> range:
    """The words a mention spans."""
    return range(bisect_left(scan.starts, m.start), bisect_left(scan.starts, m.end))


def _exact_surname(ix: Index, ei: int, surface: str) -> bool:
    """Whether a surname is written exactly as the gazetteer or the name has it."""
    norm = surface_norm(surface)
    if any(ix.owner(a) == ei for a in ix.exact(norm)):
        return True
    return norm in {surface_norm(f) for f in short_forms(ix.entity(ei).name)}
