"""Short names several places share, read in running text.

The bundled data gives a bare name to one entity and the others a qualified form:
``Gaza`` is the Strip (the city is ``Gaza City``), ``Washington`` the US capital,
which also stands for the government (the state is ``Washington State``), and
``Tripoli`` the Libyan capital (the Lebanese city is named with its country or by
its own forms, ``Trablous``, ``طرابلس الشام``).
"""

import pytest

from canonym import Gazetteer, Normalizer

CASES = [
    # (text, surface, entity id)
    ("Israeli strikes across Gaza killed dozens overnight.", "Gaza", "gaza-strip"),
    ("Residents of Gaza City fled south.", "Gaza City", "gaza-city"),
    ("Gaza's health ministry gave a new toll.", "Gaza", "gaza-strip"),
    ("Des frappes ont visé Gaza dans la nuit.", "Gaza", "gaza-strip"),
    ("Les habitants de la ville de Gaza ont fui.", "ville de Gaza", "gaza-city"),
    ("Neue Angriffe auf Gaza und den Süden.", "Gaza", "gaza-strip"),
    ("Die Bewohner von Gaza-Stadt flohen.", "Gaza-Stadt", "gaza-city"),
    ("غارات على غزة الليلة", "غزة", "gaza-strip"),
    ("نزوح من مدينة غزة", "مدينة غزة", "gaza-city"),
    ("Evacuation orders covered North Gaza on Monday.", "North Gaza", "north-gaza-governorate"),
    ("Washington said on Monday it would send envoys.", "Washington", "washington"),
    ("Washington State sued the federal government.", "Washington State", "washington-state"),
    ("Clashes broke out in Tripoli between rival militias.", "Tripoli", "tripoli"),
    ("Fighting spread through Trablous on Sunday.", "Trablous", "tripoli-lebanon"),
    ("اشتباكات في طرابلس الشام أمس", "طرابلس الشام", "tripoli-lebanon"),
]


@pytest.mark.parametrize("text, surface, entity_id", CASES)
def test_short_name_in_context(bundled: Gazetteer, text: str, surface: str, entity_id: str) -> None:
    out = Normalizer(bundled, forms="en").normalize(text)
    found = {m.surface: m.entity_id for m in out.mentions}
    assert found.get(surface) == entity_id, found
    assert out.ambiguous == []


@pytest.mark.parametrize(
    "name, entity_id",
    [
        ("Gaza", "gaza-strip"),
        ("Gaza City", "gaza-city"),
        ("Washington", "washington"),
        ("Tripoli", "tripoli"),
        ("Tripoli, Lebanon", "tripoli-lebanon"),
    ],
)
def test_short_name_alone(bundled: Gazetteer, name: str, entity_id: str) -> None:
    m = bundled.link(name)
    assert m is not None and m.entity.id == entity_id
