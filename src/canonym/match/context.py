"""Choosing among homonyms: what a document is about, and how prominent each entity is.

Reach for this module when two entities are equally good readings of a name (two
cities called Tabuk, the same spelling of two people). Similarity cannot choose
between them, so something else must: the countries and places a document has
already named (``Context``), or, failing that, an entity far more prominent than
the others (``Entity.prior``, a place's population). When neither favours one
entity, the name stays ambiguous: a guess among homonyms is a wrong link half
the time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from canonym.gazetteer.entity import Entity
from canonym.gazetteer.index import Index

__all__ = ["Context", "NO_CONTEXT", "by_context", "favour", "in_document", "prefer", "prominence"]

# A place this close to one the document names is "near it" (about a day's drive:
# a town and the province or city it lies by).
NEAR_KM = 300.0
# An explicit prior (population) decides only when it dwarfs every rival's: a
# city of 300,000 against one of 20,000 is still a fair reading of either in
# regional news (Münster and Monastir share a spelling in Arabic script). On the
# GeoNames dev set with populations attached (``bench/quality.py --priors``),
# ratios of 25 and below chose wrong about as often as right; above 30, only right.
PRIOR_RATIO = 30.0
# Without explicit priors, prominence is how widely an entity is named (forms,
# languages); it decides only by this ratio, and only between entities that
# both lack a prior.
PROMINENCE_RATIO = 3.0


@dataclass(frozen=True, slots=True)
class Context:
    """What a document has already named: entity ids, their countries, where its places are.

    Build it with ``Gazetteer.context(text)`` (the text's confident mentions) or
    ``Context.of(entities)``.
    """

    entities: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()  # ISO 3166-1 alpha-2
    points: tuple[tuple[float, float], ...] = ()  # latitude, longitude of the places named

    @classmethod
    def of(cls, entities: Iterable[Entity]) -> Context:
        """The context a document naming these entities gives."""
        ents = list(entities)
        points = tuple(
            dict.fromkeys(
                e.coordinates
                for e in ents
                # A country's centroid says nothing about which of its towns is near.
                if e.coordinates is not None and e.type == "place" and e.kind != "country"
            )
        )
        return cls(
            entities=frozenset(e.id for e in ents),
            countries=frozenset(e.country.upper() for e in ents if e.country),
            points=points,
        )

    def __bool__(self) -> bool:
        return bool(self.entities or self.countries or self.points)

    def to_dict(self) -> dict[str, list[str]]:
        return {"entities": sorted(self.entities), "countries": sorted(self.countries)}


NO_CONTEXT = Context()


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def favour(e: Entity, context: Context) -> list[str]:
    """What in ``context`` speaks for ``e``: named already, same country, near a place named."""
    why: list[str] = []
    if e.id in context.entities:
        why.append("named in the context")
    if e.country and e.country.upper() in context.countries:
        why.append(f"in {e.country.upper()}, a country of the context")
    if e.coordinates is not None and any(
        _km(e.coordinates, p) <= NEAR_KM for p in context.points if p != e.coordinates
    ):
        why.append("near a place of the context")
    return why


def by_context(rivals: Sequence[Entity], context: Context) -> tuple[int, str] | None:
    """The one of ``rivals`` that ``context`` speaks for most, and why; None for a tie."""
    if not context:
        return None
    votes = [favour(e, context) for e in rivals]
    most = max(map(len, votes))
    if not most or sum(1 for v in votes if len(v) == most) > 1:
        return None
    i = next(i for i, v in enumerate(votes) if len(v) == most)
    return i, "context: " + "; ".join(votes[i])


def in_document(ix: Index, rivals: Sequence[int], seen: Iterable[int]) -> list[int]:
    """Of ``rivals`` (entity positions), the one the entities ``seen`` in a document favour.

    For running text: a name whose key several entities share, read after the
    document has named their country or a place near one of them. Priors play no
    part here; a text's own names are the evidence. Empty when nothing favours one.
    """
    context = Context.of(ix.entity(e) for e in seen)
    chosen = by_context([ix.entity(e) for e in rivals], context)
    return [] if chosen is None else [rivals[chosen[0]]]


def prominence(e: Entity) -> float:
    """How widely an entity is named when it has no prior: its forms and their languages."""
    return 1.0 + len(e.names) + len(e.aliases) + len(e.forms)


def prefer(rivals: Sequence[Entity], context: Context = NO_CONTEXT) -> tuple[int, str] | None:
    """Which of ``rivals`` (equally good readings of one name) to link, and why; None if none.

    The context comes first: the one entity it speaks for most. Then the prior:
    one entity far more prominent than every other. Anything else is a tie.
    """
    if len(rivals) < 2:
        return None
    chosen = by_context(rivals, context)
    if chosen is not None:
        return chosen
    priors = [e.prior for e in rivals]
    if all(p is not None for p in priors):
        return _dominant([float(p) for p in priors if p is not None], PRIOR_RATIO, "prior")
    if all(p is None for p in priors):
        return _dominant([prominence(e) for e in rivals], PROMINENCE_RATIO, "prominence")
    return None  # a prior on one side only: the scales differ, nothing to compare


def _dominant(values: list[float], ratio: float, what: str) -> tuple[int, str] | None:
    order = sorted(range(len(values)), key=lambda i: -values[i])
    top, second = values[order[0]], values[order[1]]
    if top >= ratio * second:
        return order[0], f"{what} {_number(top)} against {_number(second)}"
    return None


def _number(v: float) -> str:
    return f"{v:,.0f}" if v >= 1 else f"{v:g}"
