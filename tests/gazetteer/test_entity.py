"""Per-language forms, place kinds and coordinates: read, validated, cached, recognized."""

from pathlib import Path

import pytest

from canonym import Gazetteer
from canonym.gazetteer.cache import dump_index, load_index
from canonym.gazetteer.core import check_files
from canonym.gazetteer.write import render_patch

US = """entities:
  - id: united-states
    name: United States
    type: place
    kind: country
    names: [US]
    aliases: [United States of America]
    forms:
      fr: [États-Unis]
      de: [USA, Vereinigte Staaten]
      ar: الولايات المتحدة
    coordinates: [39.8, -98.6]
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "g.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_forms_kind_and_coordinates_are_read(tmp_path: Path) -> None:
    gz = Gazetteer.load(write(tmp_path, US))
    e = gz.get("united-states")
    assert e.kind == "country" and e.coordinates == (39.8, -98.6)
    assert e.forms_for("de") == ("USA", "Vereinigte Staaten")
    assert e.forms_for("ar") == ("الولايات المتحدة",)
    assert e.forms_for("en") == ("United States", "US")
    assert e.forms_for("es") == ()


@pytest.mark.parametrize("form", ["États-Unis", "Vereinigte Staaten", "الولايات المتحدة"])
def test_a_form_in_another_language_is_recognized(tmp_path: Path, form: str) -> None:
    gz = Gazetteer.load(write(tmp_path, US))
    m = gz.link(form)
    assert m is not None and m.entity.id == "united-states"


def test_the_cache_keeps_forms_and_coordinates(tmp_path: Path) -> None:
    gz = Gazetteer.load(write(tmp_path, US))
    again = load_index(dump_index(gz.index)).entities
    assert again == gz.index.entities
    assert again[0].forms and again[0].coordinates == (39.8, -98.6)


def test_written_entities_read_back_the_same(tmp_path: Path) -> None:
    gz = Gazetteer.load(write(tmp_path, US))
    out = tmp_path / "out.yaml"
    out.write_text(render_patch(gz), encoding="utf-8")
    (back,) = Gazetteer.load(out)
    assert back.to_dict() == gz.get("united-states").to_dict()
    assert back.forms == gz.get("united-states").forms


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("kind: capital", "kind 'capital' of a place is not one of"),
        ("forms: [États-Unis]", "'forms' must map language codes"),
        ("forms: {French: [États-Unis]}", "'French' is not a lowercase ISO 639"),
        ("forms: {fr: [États-Unis], fr: [Amérique]}", "language 'fr' listed twice"),
        ("forms: {fr: ['États\\u202eUnis']}", "'forms.fr' holds U+202E"),
        ("coordinates: [95, 10]", "out of range"),
        ("coordinates: [33.3]", "'coordinates' must be [latitude, longitude]"),
        ("coordinates: [north, east]", "'coordinates' must be [latitude, longitude]"),
    ],
)
def test_bad_new_fields_are_reported_at_their_line(
    tmp_path: Path, field: str, message: str
) -> None:
    text = f"entities:\n  - id: x\n    name: X\n    type: place\n    {field}\n"
    f = write(tmp_path, text.replace("\\u202e", "\u202e"))
    _, problems = check_files([f])
    found = [str(p) for p in problems]
    assert any(message in p and f"{f}:5:" in p for p in found), found
