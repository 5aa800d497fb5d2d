"""Merging a patch's per-language forms: into an entity the target defines, into an
``extend:`` entry it already has, and into a new one."""

from __future__ import annotations

from pathlib import Path

import pytest

from canonym.gazetteer.core import Gazetteer
from canonym.gazetteer.files import Layer, search_layers
from canonym.gazetteer.merge import merge_patch

DATA = Path(__file__).resolve().parents[1] / "data"
PATCH = "entities:\n  - extend: hezbollah\n    forms: {de: [Hisbollah]}\n    aliases: [Hizbolla]\n"


@pytest.fixture()
def layers() -> list[Layer]:
    return search_layers([DATA / "mini.yaml"], with_defaults=False)


@pytest.mark.parametrize(
    "target_text",
    [
        "",  # a new file: the forms go into a new extend: entry
        "# mine\nentities:\n  - extend: hezbollah\n    forms: {fr: [Hezbollah]}\n",
        "entities:\n  - extend: hezbollah\n    aliases: [Hisbollah]\n",  # an alias becomes a form
    ],
)
def test_forms_are_merged_in_their_language(
    tmp_path: Path, layers: list[Layer], target_text: str
) -> None:
    patch = tmp_path / "patch.yaml"
    patch.write_text(PATCH, encoding="utf-8")
    target = tmp_path / "mine.yaml"
    if target_text:
        target.write_text(target_text, encoding="utf-8")
    report = merge_patch(patch, target, layers=layers)
    assert "Hisbollah" in report.added["hezbollah"]
    merged = Gazetteer.load(DATA / "mini.yaml", target, use_cache=False).get("hezbollah")
    assert merged.forms_for("de")[0] == "Hisbollah"
    assert "Hizbolla" in merged.aliases
    if "fr" in target_text:
        assert merged.forms_for("fr")[0] == "Hezbollah"
        assert target.read_text(encoding="utf-8").startswith("# mine\n")


def test_a_form_already_there_is_not_added_twice(tmp_path: Path, layers: list[Layer]) -> None:
    patch = tmp_path / "patch.yaml"
    patch.write_text(PATCH, encoding="utf-8")
    target = tmp_path / "mine.yaml"
    merge_patch(patch, target, layers=layers)
    again = merge_patch(patch, target, layers=layers)
    assert not again.changed and again.unchanged == ["hezbollah"]
    assert target.read_text(encoding="utf-8").count("Hisbollah") == 1
