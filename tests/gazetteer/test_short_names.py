"""Short names several places share, read in running text.

The bundled data gives a bare name to one entity and the others a qualified form:
``Washington`` is the US capital, which also stands for the government (the state
is ``Washington State``), and ``Tripoli`` the Libyan capital (the Lebanese city is
named with its country or by its own forms, ``Trablous``, ``طرابلس الشام``). Arabic
``غزة`` alone is the Gaza Strip; Latin-script ``Gaza`` alone links to nothing, since
an English paragraph would then write ``Gaza`` for ``bande de Gaza``.
"""

import pytest

from canonym import Gazetteer, Normalizer

CASES = [
    # (text, surface, entity id)
    ("Israeli strikes across Gaza killed dozens overnight.", "Gaza", None),
    ("Residents of Gaza City fled south.", "Gaza City", "gaza-city"),
    ("Fighting went on across the Gaza Strip.", "Gaza Strip", "gaza-strip"),
    ("Des frappes ont visé la bande de Gaza dans la nuit.", "bande de Gaza", "gaza-strip"),
    ("Les habitants de la ville de Gaza ont fui.", "ville de Gaza", "gaza-city"),
    ("Neue Angriffe auf den Gazastreifen.", "Gazastreifen", "gaza-strip"),
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
def test_short_name_in_context(
    bundled: Gazetteer, text: str, surface: str, entity_id: str | None
) -> None:
    out = Normalizer(bundled).normalize(text)
    found = {m.surface: m.entity_id for m in out.mentions}
    assert found.get(surface) == entity_id, found
    assert out.ambiguous == []
    if entity_id is None:
        assert text in out.text  # left as written


@pytest.mark.parametrize(
    "name, entity_id",
    [
        ("غزة", "gaza-strip"),
        ("Gaza City", "gaza-city"),
        ("Washington", "washington"),
        ("Tripoli", "tripoli"),
        ("Tripoli, Lebanon", "tripoli-lebanon"),
    ],
)
def test_short_name_alone(bundled: Gazetteer, name: str, entity_id: str) -> None:
    m = bundled.link(name)
    assert m is not None and m.entity.id == entity_id
