"""Gazetteers as JSON lines: read a line at a time, with the checks and places of YAML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from canonym import Gazetteer, GazetteerError
from canonym.gazetteer.core import check_files
from canonym.gazetteer.write import write_gazetteer

DATA = Path(__file__).resolve().parents[1] / "data"


def _as_json_lines(tmp_path: Path) -> Path:
    doc = yaml.safe_load((DATA / "mini.yaml").read_text(encoding="utf-8"))
    out = tmp_path / "mini.jsonl"
    lines = [json.dumps(e, ensure_ascii=False) for e in doc["entities"]]
    out.write_text("\n".join(lines[:3]) + "\n\n" + "\n".join(lines[3:]) + "\n", encoding="utf-8")
    return out


def test_loads_as_the_yaml_it_was_made_from(tmp_path: Path) -> None:
    lines = _as_json_lines(tmp_path)
    want = Gazetteer.load(DATA / "mini.yaml", use_cache=False)
    got = Gazetteer.load(lines, use_cache=False)
    strip = lambda e: e.to_dict()  # noqa: E731 - source and line differ by design
    assert [strip(e) for e in got] == [strip(e) for e in want]
    # Each entity's place is its line, past the blank one.
    assert [e.line for e in got][:5] == [1, 2, 3, 5, 6]
    assert all(e.source == str(lines) for e in got)
    assert got.link("Mohamed Chia al-Soudani").entity.id == "mohammed-shia-al-sudani"  # type: ignore[union-attr]


def test_a_directory_reads_json_lines_beside_yaml(tmp_path: Path) -> None:
    _as_json_lines(tmp_path)
    (tmp_path / "more.yaml").write_text(
        "entities:\n  - extend: hezbollah\n    aliases: [Hezbullah Party]\n", encoding="utf-8"
    )
    gz = Gazetteer.load(tmp_path, use_cache=False)
    assert gz.link("Hezbullah Party").entity.id == "hezbollah"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "b", "name": "B", "type": "planet"}', "type"),
        ('{"id": "c", "name": "C", "type": "place", "aliases": "C2"}', "aliases"),
        ('{"id": "d", "name": "D", "type": "place"', "JSON lines"),
        ('["e"]', "mapping"),
    ],
)
def test_problems_name_their_line(tmp_path: Path, line: str, message: str) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text('{"id": "a", "name": "A", "type": "place"}\n\n' + line + "\n", encoding="utf-8")
    _, problems = check_files([f])
    errors = [p for p in problems if p.severity == "error"]
    assert errors and all(p.line == 3 and p.file == str(f) for p in errors), errors
    assert message in errors[0].message
    with pytest.raises(GazetteerError, match=f"{f}:3"):
        Gazetteer.load(f, use_cache=False)


def test_not_utf8_is_a_problem_with_its_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_bytes(b'{"id": "a", "name": "A", "type": "place"}\n{"id": "b", "name": "\xff"}\n')
    _, problems = check_files([f])
    assert [p.line for p in problems] == [2] and "UTF-8" in problems[0].message


def test_written_as_json_lines_when_the_name_says_so(tmp_path: Path) -> None:
    want = list(Gazetteer.load(DATA / "mini.yaml", use_cache=False))
    out = tmp_path / "out.jsonl"
    assert write_gazetteer(want, out, header="not written: JSON has no comments") == len(want)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(want) and json.loads(lines[0])["id"] == want[0].id
    assert [e.to_dict() for e in Gazetteer.load(out, use_cache=False)] == [
        e.to_dict() for e in want
    ]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b"])
def test_a_control_character_is_one_line_naming_it(tmp_path: Path, char: str) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text('{"id": "a", "name": "A", "type": "place"}\n', encoding="utf-8")
    with f.open("a", encoding="utf-8") as fh:
        fh.write('{"id": "b", "name": "B' + char + '", "type": "place"}\n')
    _, problems = check_files([f])
    assert [p.line for p in problems] == [2]
    message = problems[0].message
    assert "\n" not in message and "<unicode string>" not in message, message
    assert f"U+{ord(char):04X} at column 23" in message  # after 22 characters
