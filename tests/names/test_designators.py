"""Designator words around a place name: read off when the name matches nothing."""

import pytest

from canonym import Entity, Gazetteer
from canonym.gazetteer.index import KIND_BARE, KIND_NAME
from canonym.names.designators import listed_bare, undesignated


@pytest.mark.parametrize(
    ("name", "bare"),
    [
        ("Dalvand Province", "Dalvand"),
        ("Shahrestan-e Dalvand", "Dalvand"),
        ("Shahrestān-e Dalvand", "Dalvand"),  # any spelling of the designator
        ("Provincia di Dalvand", "Dalvand"),
        ("Madinat al-Varsel", "al-Varsel"),  # the article stays: keys drop it
        ("Varsel-Stadt", "Varsel"),
        ("Varsel (Commune Rurale)", "Varsel"),
        ("Varsel, Upper Province", "Varsel"),  # the region after a comma
        ("محافظة دلوند", "دلوند"),
        ("دلوند، ایران", "دلوند"),
        ("La Varsel", "Varsel"),  # a French article where Arabic has al-
    ],
)
def test_designator_words_and_glosses_are_read_off(name: str, bare: str) -> None:
    assert undesignated(name) == bare


@pytest.mark.parametrize("name", ["Dalvand", "Province", "Shahr-e", "Bandar Varsel", "Varsel Wadi"])
def test_a_name_without_designators_or_only_one_is_left_alone(name: str) -> None:
    # Bandar and Wadi are often part of the name itself: not designators.
    assert undesignated(name) is None


def test_a_designated_name_links_to_the_bare_place_below_a_listed_spelling() -> None:
    gz = Gazetteer.from_entities(
        [Entity("dalvand", "Dalvand", "place"), Entity("varsel", "Varsel", "place")]
    )
    m = gz.resolve("Dalvand District")[0]
    assert (m.entity.id, m.read_as) == ("dalvand", "Dalvand")
    assert m.score < 1.0
    assert gz.link("Shahrestan-e Dalvand") is not None
    assert gz.link("Shahrestan-e Dalvand").entity.id == "dalvand"  # type: ignore[union-attr]
    assert gz.link("محافظة دلوند").entity.id == "dalvand"  # type: ignore[union-attr]
    # A name that is listed as written is not read without its words.
    listed = Gazetteer.from_entities([*gz, Entity("varsel-city", "Varsel City", "place")])
    assert listed.link("Varsel City").entity.id == "varsel-city"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("form", "bare"),
    [
        ("Varsel City", "Varsel"),
        ("Bandar-e Varsel", "Varsel"),  # a listed form may drop Bandar, a name looked up not
        ("بندر دلوند", "دلوند"),
        ("La Varsel", None),  # a listed form keeps its article
        ("Varsel", None),
    ],
)
def test_a_listed_form_is_read_without_its_designators(form: str, bare: str | None) -> None:
    assert listed_bare(form) == bare


def test_a_form_written_with_its_designator_is_met_by_the_name_without_it() -> None:
    gz = Gazetteer.from_entities(
        [Entity("varsel", "Varsel City", "place"), Entity("dalvand", "Bandar-e Dalvand", "place")]
    )
    bare = gz.resolve("Varsel")[0]
    assert (bare.entity.id, bare.matched) == ("varsel", "Varsel")
    # Met by fuzzy search below a listed spelling: neither exact nor a key of its own.
    assert bare.method != "exact" and bare.score < 1.0
    assert not gz.index.has_key(bare.matched.lower())
    assert gz.link("Dalvand").entity.id == "dalvand"  # type: ignore[union-attr]
    # Written as listed, the full form still comes first.
    assert gz.resolve("Varsel City")[0].matched == "Varsel City"


def test_only_places_are_filed_without_designator_words() -> None:
    gz = Gazetteer.from_entities(
        [Entity("p", "Madinat Varsel", "person"), Entity("c", "Madinat Varsel", "place")]
    )
    ix = gz.index
    bare = [(ix.entity(ix.owner(a)).id, ix.text(a)) for a in range(ix.alias_count) if ix.is_bare(a)]
    assert bare == [("c", "Varsel")]


def test_a_form_without_its_designator_gives_way_to_a_place_listed_so() -> None:
    # The province of Varsel read as Varsel does not rival the city of Varsel.
    gz = Gazetteer.from_entities(
        [Entity("city", "Varsel", "place"), Entity("province", "Varsel Province", "place")]
    )
    assert [m.entity.id for m in gz.resolve("Varsell")] == ["city"]
    alone = Gazetteer.from_entities([Entity("province", "Varsel Province", "place")])
    assert [m.entity.id for m in alone.resolve("Varsell")] == ["province"]


def test_a_region_is_not_filed_without_its_designator_words() -> None:
    # A governorate without "Governorate" names its seat as often as itself: a
    # gazetteer listing the governorate alone must not take the town's mentions.
    region = Entity("gov", "Varsel Governorate", "place", kind="division")
    town = Entity("town", "Dalvand City", "place", kind="city")
    ix = Gazetteer.from_entities([region, town]).index
    filed = [(ix.text(a), ix.alias_kind[a]) for a in range(ix.alias_count)]
    assert filed == [
        ("Varsel Governorate", KIND_NAME),
        ("Dalvand City", KIND_NAME),
        ("Dalvand", KIND_BARE),
    ]
    assert Gazetteer.from_entities([region]).link("Varsel") is None
