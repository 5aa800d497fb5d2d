"""Designator words around a place name: read off when the name matches nothing."""

import pytest

from canonym import Entity, Gazetteer
from canonym.names.designators import undesignated


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
