"""Mentions of places say where they are, so that extracted events can be mapped."""

from __future__ import annotations

from canonym import Gazetteer, Normalizer


def test_places_carry_kind_country_and_coordinates(bundled: Gazetteer) -> None:
    text = "Strikes hit Mosul and the Red Sea on Monday, officials in Baghdad said."
    found = {m.surface: m.to_dict() for m in Normalizer(bundled).normalize(text).mentions}
    mosul = bundled.get("mosul")
    assert found["Mosul"]["kind"] == mosul.kind == "city"
    assert found["Mosul"]["country"] == "IQ"
    assert found["Mosul"]["coordinates"] == list(mosul.coordinates or ())
    assert found["Red Sea"]["kind"] == "sea"
    assert "coordinates" not in found["Red Sea"] or found["Red Sea"]["coordinates"]


def test_unresolved_mentions_carry_no_place_facts(bundled: Gazetteer) -> None:
    result = Normalizer(bundled).normalize("Zorblax Quuxington spoke in Mosul.")
    for m in result.unresolved:
        assert "coordinates" not in m.to_dict() and "kind" not in m.to_dict()
