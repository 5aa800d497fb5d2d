"""Overlays: a user's file changes an entity another layer defines, never silently."""

from pathlib import Path

import pytest

from canonym import Gazetteer, GazetteerError, Normalizer
from canonym.gazetteer.core import check_files


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def load(*paths: Path) -> Gazetteer:
    return Gazetteer.default(*paths, use_cache=False)


def test_overlay_adds_aliases_and_forms_to_a_bundled_entity(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "my.yaml",
        "entities:\n"
        "  - extend: kataib-hezbollah\n"
        "    aliases: [Kataib Hezboulla]\n"
        "    forms: {it: [Kataib Hezbollah]}\n"
        "    description: House description.\n",
    )
    gz = load(f)
    e = gz.get("kataib-hezbollah")
    assert "Kataib Hezboulla" in e.aliases and "Kata'ib Hezbollah" in e.aliases
    assert e.forms_for("it") == ("Kataib Hezbollah",)
    assert e.description == "House description."
    assert e.source.endswith("organizations.yaml")  # still the bundled definition
    m = gz.link("Kataib Hezboulla")
    assert m is not None and m.entity.id == "kataib-hezbollah" and m.method == "alias"


def test_overlay_sets_a_house_style_name_and_the_old_one_is_rewritten(tmp_path: Path) -> None:
    f = write(tmp_path, "my.yaml", "entities:\n  - extend: hezbollah\n    name: Hizbullah\n")
    gz = load(f)
    e = gz.get("hezbollah")
    assert e.name == "Hizbullah" and "Hezbollah" in e.aliases and "Hizbullah" not in e.aliases
    assert Normalizer(gz).normalize("Hezbollah said.").text == "Hizbullah said."


def test_disabled_entity_is_gone_and_its_names_resolve_no_more(tmp_path: Path) -> None:
    f = write(tmp_path, "my.yaml", "entities:\n  - extend: kataib-hezbollah\n    disabled: true\n")
    gz = load(f)
    assert "kataib-hezbollah" not in gz
    m = gz.link("Kata'ib Hezbollah")
    assert m is None or m.entity.id != "kataib-hezbollah"


def test_overlay_of_an_unknown_id_is_an_error_at_its_line(tmp_path: Path) -> None:
    f = write(tmp_path, "my.yaml", "entities:\n  - extend: kataib-hezbolah\n    aliases: [KH]\n")
    with pytest.raises(GazetteerError) as e:
        load(f)
    assert f"{f}:2: error [kataib-hezbolah]: 'extend: kataib-hezbolah': no loaded" in str(e.value)


def test_overlay_may_not_change_id_or_type(tmp_path: Path) -> None:
    f = write(
        tmp_path, "my.yaml", "entities:\n  - extend: hezbollah\n    type: person\n    colour: x\n"
    )
    _, problems = check_files([f])
    found = [str(p) for p in problems]
    assert any(f"{f}:3:" in p and "cannot change 'type'" in p for p in found), found
    assert any(f"{f}:4:" in p and "unknown field 'colour'" in p for p in found), found


def test_redefining_a_bundled_id_suggests_extend(tmp_path: Path) -> None:
    f = write(tmp_path, "my.yaml", "entities:\n  - {id: hezbollah, name: Hezbollah, type: other}\n")
    with pytest.raises(GazetteerError) as e:
        load(f)
    assert "write 'extend: hezbollah' instead of 'id:'" in str(e.value)
    assert "organizations.yaml:" in str(e.value)


def test_a_shadowed_alias_is_a_warning_naming_both_places(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "my.yaml",
        "entities:\n  - {id: hisb, name: Hisb, type: other, aliases: [Hisbollah]}\n",
    )
    gz = load(f)
    (w,) = [w for w in gz.warnings if "Hisbollah" in w.message]
    assert w.severity == "warning" and (w.file, w.line) == (str(f), 2)
    assert "resolves to hezbollah" in w.message and "organizations.yaml:" in w.message
    m = gz.link("Hisbollah")
    assert m is not None and m.entity.id == "hezbollah"


def test_overlay_alias_that_another_entity_owns_names_the_overlay(tmp_path: Path) -> None:
    f = write(
        tmp_path, "my.yaml", "entities:\n  - extend: kataib-hezbollah\n    aliases: [Hisbollah]\n"
    )
    gz = load(f)
    (w,) = [w for w in gz.warnings if "Hisbollah" in w.message]
    assert "ambiguous" in w.message and f"{f}:2" in w.message and "organizations.yaml:" in w.message


def test_overlay_name_owned_by_another_entity_is_an_error_with_both_places(
    tmp_path: Path,
) -> None:
    f = write(tmp_path, "my.yaml", "entities:\n  - extend: kataib-hezbollah\n    name: Hezbollah\n")
    with pytest.raises(GazetteerError) as e:
        load(f)
    msg = str(e.value)
    assert f"{f}:2: error [kataib-hezbollah]: overlay sets the name 'Hezbollah'" in msg
    assert "belongs to hezbollah (" in msg and "organizations.yaml:" in msg


def test_cache_key_changes_with_the_layers_not_only_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANONYM_CACHE_DIR", str(tmp_path / "cache"))
    a = write(tmp_path, "a.yaml", "entities:\n  - {id: x, name: Tripolis, type: place}\n")
    b = write(tmp_path, "b.yaml", "entities:\n  - {id: y, name: Tripolis, type: place}\n")
    one = Gazetteer.load(tmp_path)  # one layer: the name is ambiguous
    two = Gazetteer.load(a, b)  # two layers: y's name is shadowed
    assert one.fingerprint != two.fingerprint
    assert ["ambiguous" in w.message for w in one.warnings] == [True]
    assert ["shadowed" in w.message for w in two.warnings] == [True]
