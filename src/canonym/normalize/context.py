"""Document context: which entity each candidate names, given the rest of the text.

Reach for this module for the second stage of normalizing. Candidates are read
in document order; an entity resolved earlier settles a later ambiguous key or a
surname alone ("Sudani" after "Mohammed Shia al-Sudani"), and a surname with no
full name before it links only when written exactly as listed.
"""

from __future__ import annotations

from typing import NamedTuple

from canonym.gazetteer.index import Index, short_forms
from canonym.match.resolve import Match
from canonym.normalize.candidates import Candidate, Form
from canonym.normalize.mention import AMBIGUOUS, RESOLVED, UNRESOLVED, Mention
from canonym.normalize.scan import Scan
from canonym.text.normalize import surface_norm

__all__ = ["Resolved", "resolve_mentions", "resolve_candidate"]


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
        m = resolve_candidate(ix, c, start, end, surface, seen, form)
        if m.status == RESOLVED:
            seen.add(ix.entity_index(m.entity_id))  # type: ignore[arg-type]
            mentions.append(m)
            words.append((c.first, c.last))
        elif m.status == AMBIGUOUS:
            ambiguous.append(m)
        else:
            weak.append(m)
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
    ix: Index, c: Candidate, start: int, end: int, surface: str, seen: set[int], form: Form
) -> Mention:
    """One candidate's mention, given the entities ``seen`` earlier in the document."""
    ents = c.entities
    context = False
    if len(ents) > 1:
        known = [e for e in ents if e in seen]
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
        if ei in seen:
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


def _exact_surname(ix: Index, ei: int, surface: str) -> bool:
    """Whether a surname is written exactly as the gazetteer or the name has it."""
    norm = surface_norm(surface)
    if any(ix.owner(a) == ei for a in ix.exact(norm)):
        return True
    return norm in {surface_norm(f) for f in short_forms(ix.entity(ei).name)}
