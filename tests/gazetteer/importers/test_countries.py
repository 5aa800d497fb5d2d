"""Countries from pycountry: names, official names and their translations."""

from pathlib import Path

from canonym import Gazetteer
from canonym.gazetteer.importers import ImportLog
from canonym.gazetteer.importers.countries import countries_from_pycountry
from canonym.gazetteer.write import write_gazetteer


def test_iraq_with_official_name_and_translations() -> None:
    by_id = {e.id: e for e in countries_from_pycountry()}
    iraq = by_id["iso3166:IQ"]
    assert (iraq.name, iraq.type, iraq.country) == ("Iraq", "place", "IQ")
    assert iraq.names == ("Republic of Iraq",)
    assert "Irak" in iraq.aliases  # French, German and Spanish, listed once
    assert iraq.aliases.count("Irak") == 1
    assert "العراق" in iraq.aliases
    assert "Iraq" not in iraq.aliases and "Republic of Iraq" not in iraq.aliases


def test_common_name_is_preferred_over_the_iso_name() -> None:
    taiwan = next(e for e in countries_from_pycountry() if e.id == "iso3166:TW")
    assert taiwan.name == "Taiwan"
    assert taiwan.names == ("Taiwan, Province of China",)


def test_every_country_once_and_records_counted() -> None:
    log = ImportLog()
    entities = list(countries_from_pycountry(log=log))
    ids = [e.id for e in entities]
    assert len(ids) == len(set(ids)) == log.records > 240
    assert all(e.name and e.name.strip() == e.name for e in entities)
    assert all(e.name not in e.aliases for e in entities)


def test_languages_choose_the_aliases_and_unknown_ones_are_skipped() -> None:
    iraq = next(
        e for e in countries_from_pycountry(languages=("fr", "xx-none")) if e.country == "IQ"
    )
    assert "Irak" in iraq.aliases and "République d'Iraq" in iraq.aliases
    assert "العراق" not in iraq.aliases
    bare = next(e for e in countries_from_pycountry(languages=()) if e.country == "IQ")
    assert bare.aliases == ()


def test_written_gazetteer_loads_and_links(tmp_path: Path) -> None:
    out = tmp_path / "countries.yaml"
    write_gazetteer(countries_from_pycountry(), out)
    gaz = Gazetteer.load(out, use_cache=False)
    for name in ("Irak", "العراق", "Republic of Iraq"):
        match = gaz.link(name)
        assert match is not None and match.entity.id == "iso3166:IQ", name
