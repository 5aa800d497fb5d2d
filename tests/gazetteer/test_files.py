"""Reading gazetteer files: every problem reported with file, line and entity."""

from pathlib import Path

import pytest

from canonym import Gazetteer, GazetteerError
from canonym.gazetteer.core import check_files


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def problems_of(*files: Path) -> list[str]:
    _, problems = check_files(list(files))
    return [str(p) for p in problems]


def test_missing_field_bad_type_and_unknown_field(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "g.yaml",
        "entities:\n"
        "  - id: a\n    name: A\n"  # no type, line 2
        "  - id: b\n    name: B\n    type: city\n"  # bad type, line 6
        "  - id: c\n    name: C\n    type: place\n    colour: red\n",  # unknown field, line 10
    )
    found = problems_of(f)
    assert any(":2: error [a]: missing required field 'type'" in p for p in found)
    assert any(":6: error [b]: type 'city' is not one of" in p for p in found)
    assert any(":10: error [c]: unknown field 'colour'" in p for p in found)


def test_duplicate_id_across_files_names_both_places(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", "entities:\n  - {id: x, name: X, type: place}\n")
    b = write(
        tmp_path,
        "b.yaml",
        "entities:\n  - {id: y, name: Y, type: place}\n  - {id: x, name: X2, type: place}\n",
    )
    found = problems_of(a, b)
    assert len(found) == 1
    assert f"{b}:3: error [x]: duplicate id (first defined at {a}:2)" == found[0]


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    f = write(tmp_path, "bad.yaml", "entities:\n  - id: a\n    name: [unclosed\n    type: place\n")
    found = problems_of(f)
    assert len(found) == 1 and "YAML syntax" in found[0] and f"{f}:" in found[0]


def test_aliases_must_be_a_list(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "g.yaml",
        "entities:\n  - id: a\n    name: A\n    type: place\n    aliases: Alpha\n",
    )
    assert any(":5: error [a]: 'aliases' must be a list of names" in p for p in problems_of(f))


def test_load_raises_with_every_problem(tmp_path: Path) -> None:
    f = write(tmp_path, "g.yaml", "entities:\n  - id: a\n  - id: b\n    name: B\n")
    with pytest.raises(GazetteerError) as err:
        Gazetteer.load(f, use_cache=False)
    assert len(err.value.problems) == 3  # a lacks name and type, b lacks type
    assert "and 2 more problems" in str(err.value)


def test_ambiguous_alias_is_kept_for_both_and_reported(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "g.yaml",
        "entities:\n"
        "  - {id: tripoli-ly, name: Tripoli, type: place}\n"
        "  - {id: tripoli-lb, name: Tripoli, type: place}\n",
    )
    gz = Gazetteer.load(f, use_cache=False)
    assert [w.severity for w in gz.warnings] == ["warning"]
    assert "ambiguous" in gz.warnings[0].message
    assert {m.entity.id for m in gz.resolve("Tripoli")} == {"tripoli-ly", "tripoli-lb"}
    assert gz.link("Tripoli") is None


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="no such gazetteer"):
        Gazetteer.load(tmp_path / "nope.yaml")


def test_directory_of_files_is_merged(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "entities:\n  - {id: a, name: Alpha, type: place}\n")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "b.yml", "entities:\n  - {id: b, name: Beta, type: person}\n")
    write(tmp_path, "notes.txt", "not a gazetteer")
    gz = Gazetteer.load(tmp_path, use_cache=False)
    assert sorted(e.id for e in gz) == ["a", "b"]


def test_env_search_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "extra.yaml", "entities:\n  - {id: zz-town, name: Zzyzx, type: place}\n")
    monkeypatch.setenv("CANONYM_GAZETTEERS", str(tmp_path))
    gz = Gazetteer.default(use_cache=False)
    assert "zz-town" in gz


def test_files_of_one_directory_rank_alike(tmp_path: Path) -> None:
    """A key shared across two files of one gazetteer is settled by the exact spelling."""
    d = tmp_path / "gz"
    d.mkdir()
    write(d, "a.yaml", "entities:\n  - {id: agency, name: Syrian Arab News Agency, "
          "type: organization, names: [SANA], aliases: [سانا]}\n")  # fmt: skip
    write(d, "b.yaml", "entities:\n  - {id: sanaa, name: Sanaa, type: place, aliases: [Sana'a]}\n")
    from canonym import Normalizer

    r = Normalizer(Gazetteer.load(d, use_cache=False)).normalize("Sanaa and Sana'a, said SANA.")
    assert [m.entity_id for m in r.mentions] == ["sanaa", "sanaa", "agency"]


@pytest.mark.parametrize("quote", ['"', "'"])
def test_unterminated_quote_is_reported_where_it_opens(tmp_path: Path, quote: str) -> None:
    f = write(
        tmp_path,
        "g.yaml",
        "entities:\n  - id: a\n    name: A\n    type: place\n"
        f"  - id: b\n    name: {quote}Basra\n    type: place\n  - id: c\n    name: C\n"
        "    type: place\n",
    )
    found = problems_of(f)
    assert len(found) == 1
    assert found[0].startswith(f"{f}:6: error: YAML syntax: unterminated quote"), found[0]


def test_quote_closed_by_a_later_entry_is_reported_where_it_opens(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "g.yaml",
        'entities:\n  - id: a\n    name: "Alpha\n    type: place\n'
        '  - id: b\n    name: "Beta"\n    type: place\n',
    )
    found = problems_of(f)
    assert len(found) == 1 and found[0].startswith(f"{f}:3: error: YAML syntax: the quote")


def test_character_yaml_forbids_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    f = write(tmp_path, "g.yaml", "entities:\n  - id: a\n    name: A\x00B\n    type: place\n")
    assert problems_of(f) == [
        f"{f}:3: error: YAML syntax: character U+0000 is not allowed; remove it"
    ]


def test_duplicate_keys_name_both_lines(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "g.yaml",
        "entities:\n  - id: a\n    name: Alpha\n    type: place\n    name: Alfa\n"
        "  - {id: b, name: B, type: place, type: person}\n",
    )
    found = problems_of(f)
    assert f"{f}:5: error [a]: duplicate key 'name' (first at line 3); keep one of the two" in found
    assert any(p.startswith(f"{f}:6: error [b]: duplicate key 'type'") for p in found)
    assert len(found) == 2
    root = write(tmp_path, "r.yaml", "entities:\n  - {id: a, name: A, type: place}\nentities: []\n")
    assert problems_of(root) == [
        f"{root}:3: error: duplicate key 'entities' (first at line 1); keep one of the two"
    ]


def test_wikidata_list_is_an_error_that_says_what_to_do(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "g.yaml",
        "entities:\n  - id: a\n    name: A\n    type: place\n    wikidata: [Q1, Q2]\n"
        "  - id: b\n    name: [B, Bee]\n    type: place\n",
    )
    found = problems_of(f)
    assert len(found) == 2
    assert found[0].startswith(f"{f}:5: error [a]: 'wikidata' must be one id such as Q1316")
    assert found[1].startswith(f"{f}:7: error [b]: 'name' must be one name, not a list")
    with pytest.raises(GazetteerError):
        Gazetteer.load(f, use_cache=False)


@pytest.mark.parametrize(
    ("escaped", "code"),
    [("\\0", "U+0000"), ("\\n", "U+000A"), ("\\t", "U+0009"), ("\\x85", "U+0085"),
     ("\\u202e", "U+202E"), ("\\u2066", "U+2066"), ("\\u200f", "U+200F"), ("\\u2028", "U+2028")],
)  # fmt: skip
def test_control_and_bidi_characters_in_names_are_errors(
    tmp_path: Path, escaped: str, code: str
) -> None:
    f = write(
        tmp_path,
        "g.yaml",
        "entities:\n  - id: a\n    name: A\n    type: person\n"
        f'    aliases:\n      - Alpha\n      - "Al{escaped}pha"\n'
        f'  - id: b\n    name: "B{escaped}ee"\n    type: person\n',
    )
    found = problems_of(f)
    assert len(found) == 2, found
    assert found[0].startswith(f"{f}:7: error [a]: 'aliases' holds {code}")
    assert found[1].startswith(f"{f}:9: error [b]: 'name' holds {code}")
    assert "remove it" in found[0]


def test_zero_width_joiners_stay_allowed_in_persian_names(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "g.yaml",
        'entities:\n  - {id: a, name: "Mohammad", type: person, '
        'names: ["\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0646\u200d"]}\n',
    )
    assert problems_of(f) == []
