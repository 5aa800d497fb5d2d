"""Wikidata dumps: labels and aliases by language, kinds from P31, malformed lines."""

import json
from pathlib import Path

import pytest

from canonym import Gazetteer
from canonym.gazetteer.importers import ImportFailed, ImportLog
from canonym.gazetteer.importers.wikidata import INSTANCE_KINDS, read_wikidata
from canonym.gazetteer.write import write_gazetteer

from .compress import compressed

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "importers" / "wikidata_sample.json"


def test_people_places_and_organizations() -> None:
    by_id = {e.id: e for e in read_wikidata(SAMPLE)}
    assert list(by_id) == [
        "wikidata:Q1316",
        "wikidata:Q1530",
        "wikidata:Q1065",
        "wikidata:Q380",
        "wikidata:Q4807011",
    ]
    saddam = by_id["wikidata:Q1316"]
    assert (saddam.name, saddam.type, saddam.wikidata) == ("Saddam Hussein", "person", "Q1316")
    assert saddam.aliases == (
        "Sadam Husein",
        "صدام حسين",
        "Saddam Hussein Abd al-Majid al-Tikriti",
        "Saddam Hussein al-Tikriti",
    )
    assert saddam.description == "President of Iraq from 1979 to 2003"
    baghdad = by_id["wikidata:Q1530"]
    assert (baghdad.type, baghdad.aliases) == (
        "place",
        ("Bagdad", "بغداد", "Baghdād", "مدينة السلام"),
    )
    assert by_id["wikidata:Q1065"].type == "organization"
    assert "Vereinte Nationen" in by_id["wikidata:Q1065"].aliases


def test_name_falls_back_to_the_neutral_label_then_the_languages_in_order() -> None:
    by_id = {e.id: e for e in read_wikidata(SAMPLE)}
    sadr = by_id["wikidata:Q380"]
    assert sadr.name == "Muqtada al-Sadr"  # the "mul" label, shared by all languages
    assert sadr.aliases == ("Moqtada al-Sadr", "مقتدى الصدر", "Muqtada Sadr", "Moqtada Sadr")
    aah = by_id["wikidata:Q4807011"]
    assert (aah.name, aah.type) == ("Asaïb Ahl al-Haq", "organization")
    assert aah.aliases == ("عصائب أهل الحق", "Ligue des vertueux")
    assert aah.description is None


def test_languages_filter_labels_and_aliases() -> None:
    by_id = {e.id: e for e in read_wikidata(SAMPLE, languages=("fr",))}
    assert by_id["wikidata:Q1530"].name == "Baghdad"  # English stays the name
    assert by_id["wikidata:Q1530"].aliases == ("Bagdad",)
    assert by_id["wikidata:Q4807011"].aliases == ("Ligue des vertueux",)
    arabic = {e.id: e for e in read_wikidata(SAMPLE, languages=("ar",))}
    assert arabic["wikidata:Q4807011"].name == "عصائب أهل الحق"
    # no English, neutral or German label: nothing to call it by
    german = {e.id for e in read_wikidata(SAMPLE, languages=("de",))}
    assert "wikidata:Q4807011" not in german and "wikidata:Q1530" in german


def test_types_filter_ignores_deprecated_statements() -> None:
    places = [e.id for e in read_wikidata(SAMPLE, types=("place",))]
    assert places == ["wikidata:Q1530"]  # Q1316 has a deprecated P31 "city"
    people = [e.id for e in read_wikidata(SAMPLE, types=["person"])]
    assert people == ["wikidata:Q1316", "wikidata:Q380"]


def test_extra_classes() -> None:
    classes = {**INSTANCE_KINDS, "Q7725634": "other"}
    kinds = {e.id: e.type for e in read_wikidata(SAMPLE, types=("other",), classes=classes)}
    assert kinds == {"wikidata:Q8258": "other"}


def test_malformed_lines_are_reported_and_skipped() -> None:
    log = ImportLog()
    assert len(list(read_wikidata(SAMPLE, log=log))) == 5
    assert [(p.file, p.line) for p in log.problems] == [(str(SAMPLE), 5), (str(SAMPLE), 9)]
    assert log.problems[0].message.startswith("invalid JSON: Unterminated string")
    assert log.problems[1].message == "expected a JSON object with an 'id'"
    assert log.records == 9


def test_strict_mode_stops_at_the_first_malformed_line() -> None:
    with pytest.raises(ImportFailed, match=f"{SAMPLE}:5: error: invalid JSON"):
        list(read_wikidata(SAMPLE, log=ImportLog(strict=True)))


def test_json_lines_and_objects_without_id(tmp_path: Path) -> None:
    lines = [line.rstrip(",\n") for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    entities = [line for line in lines if line.startswith('{"type":"item"') and line.endswith("}")]
    f = tmp_path / "entities.ndjson"
    f.write_text("\n".join([*entities, "", '{"labels": {}}']) + "\n", encoding="utf-8")
    log = ImportLog()
    assert len(list(read_wikidata(f, log=log))) == 5
    assert [str(p) for p in log.problems] == [
        f"{f}:{len(entities) + 2}: error: expected a JSON object with an 'id'"
    ]


@pytest.mark.parametrize("suffix", [".gz", ".bz2"])
def test_compressed_dump_reads_the_same_and_reports_progress(tmp_path: Path, suffix: str) -> None:
    packed = compressed(SAMPLE, tmp_path, suffix)
    seen: list[int] = []
    log = ImportLog()
    assert list(read_wikidata(packed, log=log, progress=seen.append)) == list(read_wikidata(SAMPLE))
    assert [p.line for p in log.problems] == [5, 9]
    assert seen and seen == sorted(seen) and seen[-1] == packed.stat().st_size


def test_written_gazetteer_loads_and_links(tmp_path: Path) -> None:
    out = tmp_path / "wikidata.yaml"
    assert write_gazetteer(read_wikidata(SAMPLE), out) == 5
    gaz = Gazetteer.load(out, use_cache=False)
    for name, expected in [
        ("Bagdad", "wikidata:Q1530"),
        ("Vereinte Nationen", "wikidata:Q1065"),
        ("Moqtada al-Sadr", "wikidata:Q380"),
    ]:
        match = gaz.link(name)
        assert match is not None and match.entity.id == expected, name


def _item(qid: str, label: str) -> bytes:
    """A dump line for a human; ``json.dumps`` escapes a lone surrogate as ``\\udfff``."""
    record = {
        "id": qid,
        "labels": {"en": {"language": "en", "value": label}},
        "claims": {"P31": [{"mainsnak": {"datavalue": {"value": {"id": "Q5"}}}}]},
    }
    return json.dumps(record).encode() + b",\n"


def test_lone_surrogate_and_invalid_utf8_lines_are_skipped_and_listed(tmp_path: Path) -> None:
    f = tmp_path / "dump.json"
    f.write_bytes(
        b"[\n" + _item("Q1", "Good") + _item("Q2", "Bad \udfff")
        + _item("Q3", "Bad").replace(b"Bad", b"B\xe9d") + _item("Q4", "Also good") + b"]\n"
    )  # fmt: skip
    log = ImportLog()
    assert [e.id for e in read_wikidata(f, log=log)] == ["wikidata:Q1", "wikidata:Q4"]
    assert [(p.line, p.message.split(" (")[0]) for p in log.problems] == [
        (3, "'name' holds a lone surrogate U+DFFF"),
        (4, "not valid UTF-8"),
    ]
    assert write_gazetteer(read_wikidata(f), tmp_path / "x.yaml") == 2


def test_direction_marks_and_controls_leave_names_so_the_gazetteer_loads(tmp_path: Path) -> None:
    f = tmp_path / "dump.json"
    f.write_bytes(_item("Q1", "\u200fبغداد\u200e") + _item("Q2", "Nine\u2028veh\x00 City"))
    out = tmp_path / "x.yaml"
    assert write_gazetteer(read_wikidata(f), out) == 2
    gaz = Gazetteer.load(out, use_cache=False)
    assert [e.name for e in gaz] == ["بغداد", "Nine veh City"]
