"""Imported entities beside the gazetteers already loaded: extend, never shadow.

Reach for this module between an importer and the file it writes: an imported
entity that is one the bundled data (or ``CANONYM_GAZETTEERS``) already holds
becomes an ``extend:`` overlay adding only the names that entity lacks, and a
name another loaded entity owns is left out with a warning, so the written file
validates clean together with what commands load.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from canonym.gazetteer.entity import Entity, Forms, Overlay, Problem
from canonym.gazetteer.importers import ImportLog
from canonym.text.normalize import surface_norm

__all__ = ["beside_known"]


def _same(a: Entity, b: Entity) -> bool:
    """Whether two entries are one entity: a shared public id, or same type and country."""
    for key in ("wikidata", "geonames"):
        x, y = getattr(a, key), getattr(b, key)
        if x is not None and y is not None:
            return bool(x == y)
    return a.type == b.type and (a.country is None or b.country is None or a.country == b.country)


def beside_known(
    entities: Iterable[Entity], known: Iterable[Entity], log: ImportLog, *, source: str = ""
) -> Iterator[Entity | Overlay]:
    """``entities`` as they may be written beside ``known``.

    An entity whose id, public id or name is a known entity's (and which is not
    another thing by type or country) is an overlay of it; a name a known entity
    owns is dropped from the others, and an entity left without its own name is
    skipped. Each is listed in ``log`` as a warning.
    """
    known = list(known)
    by_id = {e.id: e for e in known}
    by_public = {(k, getattr(e, k)): e for e in known for k in ("wikidata", "geonames")
                 if getattr(e, k) is not None}  # fmt: skip
    owner: dict[str, Entity] = {}
    for e in known:
        for text in e.known_forms:
            owner.setdefault(surface_norm(text), e)
    for e in entities:
        base = by_id.get(e.id) or next(
            (by_public[(k, getattr(e, k))] for k in ("wikidata", "geonames")
             if (k, getattr(e, k)) in by_public), None,
        )  # fmt: skip
        named = owner.get(surface_norm(e.name))
        if base is None and named is not None and _same(e, named):
            base = named
        if base is not None and not _same(e, base) and base.id != e.id:
            base = None
        mine = base.id if base is not None else None
        kept: list[str] = []
        for text in dict.fromkeys((e.name, *e.names, *e.aliases, *e.form_texts)):
            holder = owner.get(surface_norm(text))
            if holder is None:
                kept.append(text)
            elif holder.id != mine:
                where = f"{holder.source}:{holder.line}"
                msg = f"{e.id}: name '{text}' left out: it belongs to {holder.id} ({where})"
                log.problems.append(_warn(source, e, msg))
        if base is not None:
            if kept or e.prior is not None:
                # The import's population ranks the bundled place among its homonyms too.
                yield Overlay(target=base.id, aliases=tuple(kept), prior=e.prior)
            continue
        if e.name not in kept:
            log.problems.append(_warn(source, e, f"{e.id}: its name '{e.name}' belongs to "
                                      "another entity"))  # fmt: skip
            continue
        names = tuple(n for n in e.names if n in kept)
        aliases = tuple(a for a in e.aliases if a in kept)
        forms = ((lang, tuple(t for t in texts if t in kept)) for lang, texts in e.forms.items())
        yield _replace(e, names, aliases, Forms((lang, t) for lang, t in forms if t))


def _replace(
    e: Entity,
    names: tuple[str, ...],
    aliases: tuple[str, ...],
    forms: Forms,
) -> Entity:
    return dataclasses.replace(e, names=names, aliases=aliases, forms=forms)


def _warn(source: str, e: Entity, message: str) -> Problem:
    return Problem(source, 0, message, e.id, severity="warning")
