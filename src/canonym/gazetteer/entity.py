"""The entity model: what a gazetteer entry is, and what can be wrong with one.

Reach for this module for ``Entity`` (a person, organization or place with its
names), ``Overlay`` (a change a user's file makes to an entity another file
defines), ``Problem`` and ``GazetteerError``, and the field constants every
reader and importer shares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

__all__ = [
    "ENTITY_TYPES",
    "PLACE_FACTS",
    "FORBIDDEN_IN_NAMES",
    "OPTIONAL_TEXT",
    "OVERLAY_FIELDS",
    "PLACE_KINDS",
    "Entity",
    "Overlay",
    "Problem",
    "GazetteerError",
]

ENTITY_TYPES = ("person", "organization", "place", "other")
OPTIONAL_TEXT = ("wikidata", "geonames", "country", "description", "kind")
# (governorate, province, emirate) goes in the description.
PLACE_KINDS = (
    "country", "territory", "division", "district", "city", "town", "village",
    "neighbourhood", "port", "crossing", "base", "airport", "sea", "gulf", "strait",
    "river", "lake", "mountain", "region", "facility",
)  # fmt: skip
# Places that hold other places, each named after one of them as often as not.
REGION_KINDS = frozenset({"country", "territory", "division", "district", "region"})
# What ``Entity.place_facts`` gives, in the order the flat tables end with them.
PLACE_FACTS = ("country", "kind", "lat", "lon")
# Keys of ``forms``: ISO 639-1 (or 639-3 where there is no two-letter code).
# Characters no name holds: C0 and C1 controls (NUL, tab, line breaks), the line and
# paragraph separators, the bidirectional embeddings, overrides and isolates that
# reorder text on screen (a Trojan Source name), and the invisible direction marks
# and byte-order mark. ZWNJ and ZWJ (U+200C, U+200D) are letters' business in
# Persian and Indic scripts and stay allowed.
FORBIDDEN_IN_NAMES = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]"
)
# What an ``extend:`` entry may change: names are added (a new ``name`` is the house
# style, the old one stays recognized), descriptive fields replaced. An entity's id
# and type are what others refer to, so they stay.
OVERLAY_FIELDS = (
    "name", "names", "aliases", "forms", "description", "kind", "country", "coordinates",
    "prior", "disabled",
)  # fmt: skip


class Forms(dict[str, tuple[str, ...]]):
    """Canonical forms per language code, preferred first; read-only and hashable.

    A dict, so that ``entity.forms["fr"]`` and ``json.dumps`` work as for any
    mapping, and hashable, so that an ``Entity`` stays a value.
    """

    __slots__ = ()

    def __init__(
        self,
        items: Mapping[str, Iterable[str]] | Iterable[tuple[str, Iterable[str]]] = (),
    ) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        super().__init__((str(lang), tuple(texts)) for lang, texts in pairs)

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))

    def _read_only(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("an entity's forms are read-only: build a new Forms")

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = _read_only
    __ior__ = _read_only

    def __reduce__(self) -> tuple[Any, ...]:
        return (Forms, (tuple(self.items()),))

    def __repr__(self) -> str:
        return f"Forms({dict(self)!r})"


EMPTY_FORMS = Forms()


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organization or place with its canonical name and known variants."""

    id: str
    name: str
    type: str
    names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    geonames: str | None = None
    country: str | None = None
    description: str | None = None
    kind: str | None = None
    source: str = ""
    line: int = 0
    # Canonical forms in other languages, preferred first: {"fr": ("États-Unis",), ...}.
    forms: Forms = EMPTY_FORMS
    coordinates: tuple[float, float] | None = None  # latitude, longitude
    # How prominent the entity is among those sharing its names (a place's
    # population): it ranks homonyms and breaks ties, nothing more.
    prior: float | None = None

    @property
    def canonical_forms(self) -> tuple[str, ...]:
        """The preferred name first, then the other accepted forms."""
        return (self.name, *self.names)

    @property
    def form_texts(self) -> tuple[str, ...]:
        """Every per-language canonical form, in file order, once each."""
        return tuple(dict.fromkeys(t for texts in self.forms.values() for t in texts))

    @property
    def known_forms(self) -> tuple[str, ...]:
        """Every form the entity is recognized by: canonical, aliases, per-language."""
        return (*self.canonical_forms, *self.aliases, *self.form_texts)

    def forms_for(self, lang: str) -> tuple[str, ...]:
        """The canonical forms for a paragraph in ``lang``, preferred first."""
        if lang == "en":
            return self.canonical_forms
        return self.forms.get(lang, ())

    def __reduce__(self) -> tuple[Any, ...]:
        # Through the constructor: by default a frozen, slotted dataclass is unpickled
        # by setting each field by name in a Python loop, which made up a third of
        # loading a compiled index of 35,000 entities.
        fields = (self.id, self.name, self.type, self.names, self.aliases, self.wikidata)
        more = (self.geonames, self.country, self.description, self.kind, self.source)
        return (Entity, (*fields, *more, self.line, self.forms, self.coordinates, self.prior))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "name": self.name, "type": self.type}
        if self.names:
            d["names"] = list(self.names)
        if self.aliases:
            d["aliases"] = list(self.aliases)
        for key in OPTIONAL_TEXT:
            value = getattr(self, key)
            if value is not None:
                d[key] = value
        if self.forms:
            d["forms"] = {lang: list(texts) for lang, texts in self.forms.items()}
        if self.coordinates is not None:
            d["coordinates"] = list(self.coordinates)
        if self.prior is not None:
            d["prior"] = _number(self.prior)
        return d

    def place_facts(self) -> dict[str, Any]:
        """``country``, ``kind``, ``lat``, ``lon``, None where unknown: the closing columns
        of the flat tables (alias tables, findings), so what a corpus names can be mapped."""
        lat, lon = self.coordinates if self.coordinates is not None else (None, None)
        return {"country": self.country, "kind": self.kind, "lat": lat, "lon": lon}


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a gazetteer file, with where it is."""

    file: str
    line: int
    message: str
    entity: str | None = None
    severity: str = "error"  # error | warning

    def __reduce__(self) -> tuple[Any, ...]:
        return (Problem, (self.file, self.line, self.message, self.entity, self.severity))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        who = f" [{self.entity}]" if self.entity else ""
        return f"{where}: {self.severity}{who}: {self.message}"


@dataclass
class GazetteerError(Exception):
    """A gazetteer could not be loaded; ``problems`` lists every reason."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        head = str(self.problems[0]) if self.problems else "invalid gazetteer"
        more = len(self.problems) - 1
        return head + (f" (and {more} more problem{'s' * (more > 1)})" if more > 0 else "")


@dataclass(frozen=True, slots=True)
class Overlay:
    """An ``extend: <id>`` entry: a change to an entity defined in another file or layer."""

    target: str
    source: str = ""
    line: int = 0
    name: str | None = None
    names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    forms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    description: str | None = None
    kind: str | None = None
    country: str | None = None
    coordinates: tuple[float, float] | None = None
    disabled: bool = False
    prior: float | None = None

    @property
    def added_forms(self) -> tuple[str, ...]:
        """Every form the overlay gives the entity: name, names, aliases, per-language."""
        texts = (t for _, group in self.forms for t in group)
        return tuple(dict.fromkeys((*([self.name] if self.name else []), *self.names,
                                    *self.aliases, *texts)))  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"extend": self.target}
        if self.disabled:
            d["disabled"] = True
        for key in ("name", "description", "kind", "country"):
            if getattr(self, key) is not None:
                d[key] = getattr(self, key)
        if self.names:
            d["names"] = list(self.names)
        if self.aliases:
            d["aliases"] = list(self.aliases)
        if self.forms:
            d["forms"] = {lang: list(texts) for lang, texts in self.forms}
        if self.coordinates is not None:
            d["coordinates"] = list(self.coordinates)
        if self.prior is not None:
            d["prior"] = _number(self.prior)
        return d


def _number(v: float) -> float | int:
    return int(v) if v.is_integer() else v
