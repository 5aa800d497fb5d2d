"""Countries as gazetteer entities, from the ISO 3166-1 data shipped with ``pycountry``.

Reach for this module for a complete, offline list of country names: the ISO
short name ("Iraq"), the official name ("Republic of Iraq") and their
translations in the languages canonym's sources are written in ("Irak",
"العراق"). It needs no download and takes well under a second.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable, Iterator, Sequence

from canonym.gazetteer.entity import Entity
from canonym.gazetteer.importers import ImportLog, distinct, require

__all__ = ["countries_from_pycountry"]

_DOMAIN = "iso3166-1"


def countries_from_pycountry(
    *,
    languages: Sequence[str] = ("en", "fr", "de", "es", "ar"),
    log: ImportLog | None = None,
) -> Iterator[Entity]:
    """Every current country in ISO 3166-1, with id ``iso3166:<alpha_2>``.

    The name is the common name where ISO gives one ("Taiwan" rather than
    "Taiwan, Province of China"); aliases are the translations of every form in
    ``languages``. A language without a pycountry catalog is skipped.
    """
    pycountry = require("pycountry", "countries")
    log = log if log is not None else ImportLog()
    catalogs = _catalogs(pycountry.LOCALES_DIR, languages)
    for country in pycountry.countries:
        log.records += 1
        iso_name: str = country.name
        official: str | None = getattr(country, "official_name", None)
        common: str | None = getattr(country, "common_name", None)
        forms = [f for f in (common, official, iso_name) if f]
        name = _clean(common or iso_name)
        names = distinct((official or "", iso_name), exclude=(name,))
        translated = (catalog.gettext(f) for catalog in catalogs for f in forms)
        yield Entity(
            id=f"iso3166:{country.alpha_2}",
            name=name,
            type="place",
            names=names,
            aliases=distinct(translated, exclude=(name, *names)),
            country=country.alpha_2,
        )


def _catalogs(locales: str, languages: Iterable[str]) -> list[gettext.NullTranslations]:
    out: list[gettext.NullTranslations] = []
    for lang in languages:
        try:
            out.append(gettext.translation(_DOMAIN, locales, languages=[lang]))
        except FileNotFoundError:
            continue  # pycountry has no catalog for every language; English needs none
    return out


def _clean(text: str) -> str:
    return " ".join(text.split())
