"""An entity as the record a compiled index stores of it, and back.

Reach for this module to write or read ``entities.sqlite``: ``entity_record`` gives
the JSON list of an entity's constructor arguments, ``entity_from_record`` the
entity again, equal to the one written.
"""

from __future__ import annotations

import json

from canonym.gazetteer.entity import Entity, Forms

__all__ = ["entity_from_record", "entity_record"]


def entity_record(e: Entity) -> str:
    """An entity as the JSON list of its constructor's arguments (``Entity(*record)``)."""
    return json.dumps(
        [
            e.id, e.name, e.type, list(e.names), list(e.aliases), e.wikidata, e.geonames,
            e.country, e.description, e.kind, e.source, e.line,
            [[lang, list(texts)] for lang, texts in e.forms.items()],
            None if e.coordinates is None else list(e.coordinates),
            e.prior,
        ],
        ensure_ascii=False,
    )  # fmt: skip


def entity_from_record(record: str) -> Entity:
    """The entity ``entity_record`` wrote."""
    (eid, name, etype, names, aliases, wikidata, geonames, country, description, kind, source,
     line, forms, coords, prior) = json.loads(record)  # fmt: skip
    return Entity(
        eid, name, etype, tuple(names), tuple(aliases), wikidata, geonames, country,
        description, kind, source, line,
        Forms((lang, tuple(ts)) for lang, ts in forms),
        None if coords is None else (float(coords[0]), float(coords[1])),
        None if prior is None else float(prior),
    )  # fmt: skip
