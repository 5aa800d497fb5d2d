"""FollowTheMoney JSON lines: schemata, names and aliases, countries, malformed lines."""

import json
from pathlib import Path

import pytest

from canonym import Gazetteer
from canonym.gazetteer.importers import ImportFailed, ImportLog
from canonym.gazetteer.importers.ftm import read_ftm
from canonym.gazetteer.write import write_gazetteer

from .compress import compressed

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "importers" / "ftm_sample.jsonl"
SADDAM = "ftm:NK-5aQ9dXh2vF7kR3mLpT8wYc"
AAH = "ftm:NK-3bWkY8cQzH2nP6rJtV4sMd"
RAFIDAIN = "ftm:NK-7dRt5YwK2mQx9LcV3hNp8f"
CBI = "ftm:NK-8mQx3TwR6pLn2VcZ9kHs4j"


def test_people_and_organizations_only() -> None:
    by_id = {e.id: e for e in read_ftm(SAMPLE)}
    assert list(by_id) == [SADDAM, AAH, RAFIDAIN, CBI]  # the vessel and the sanction skipped
    assert [e.type for e in by_id.values()] == ["person", *["organization"] * 3]


def test_names_aliases_country_and_wikidata() -> None:
    by_id = {e.id: e for e in read_ftm(SAMPLE)}
    saddam = by_id[SADDAM]
    assert (saddam.name, saddam.names) == ("Saddam Hussein", ("صدام حسين",))
    assert saddam.aliases == ("Saddam Hussein Al-Tikriti", "Abu Ali")
    assert (saddam.country, saddam.wikidata) == ("IQ", "Q1316")  # country from nationality
    rafidain = by_id[RAFIDAIN]
    assert rafidain.aliases == ("Al-Rafidain Bank",)
    assert (rafidain.country, rafidain.wikidata) == ("IQ", None)  # "zz" is not a country
    assert by_id[CBI].country == "IQ"  # "suhh" is not an ISO code


def test_weak_aliases_on_request() -> None:
    by_id = {e.id: e for e in read_ftm(SAMPLE, weak_aliases=True)}
    assert by_id[SADDAM].aliases[-1] == "Abu Udai"
    assert "Khazali Special Groups" in by_id[AAH].aliases


def test_malformed_lines_are_reported_and_skipped() -> None:
    log = ImportLog()
    assert len(list(read_ftm(SAMPLE, log=log))) == 4
    found = [(p.file, p.line, p.message) for p in log.problems]
    assert [line for _, line, _ in found] == [4, 6, 7]
    assert {file for file, _, _ in found} == {str(SAMPLE)}
    assert found[0][2].startswith("invalid JSON")
    assert found[1][2] == "Person without a name"
    assert found[2][2] == "missing 'schema'"
    assert log.records == 9


def test_wrong_shapes_are_malformed(tmp_path: Path) -> None:
    f = tmp_path / "odd.jsonl"
    f.write_text(
        "[1, 2]\n"
        '{"schema": "Person", "properties": {"name": ["A"]}}\n'
        '{"id": "a", "schema": "Person"}\n'
        '{"id": "b", "schema": "Person", "properties": {"name": "Not A List"}}\n',
        encoding="utf-8",
    )
    log = ImportLog()
    assert list(read_ftm(f, log=log)) == []
    assert [p.message for p in log.problems] == [
        "expected a JSON object",
        "missing 'id'",
        "missing 'properties'",
        "property 'name' is not a list of strings",
    ]


def test_strict_mode_stops_at_the_first_malformed_line() -> None:
    with pytest.raises(ImportFailed, match=f"{SAMPLE}:4: error: invalid JSON"):
        list(read_ftm(SAMPLE, log=ImportLog(strict=True)))


@pytest.mark.parametrize("suffix", [".gz", ".bz2"])
def test_compressed_file_reads_the_same_and_reports_progress(tmp_path: Path, suffix: str) -> None:
    packed = compressed(SAMPLE, tmp_path, suffix)
    seen: list[int] = []
    assert list(read_ftm(packed, progress=seen.append)) == list(read_ftm(SAMPLE))
    assert seen and seen == sorted(seen) and seen[-1] == packed.stat().st_size


def test_written_gazetteer_loads_and_links(tmp_path: Path) -> None:
    out = tmp_path / "sanctions.yaml"
    assert write_gazetteer(read_ftm(SAMPLE), out) == 4
    gaz = Gazetteer.load(out, use_cache=False)
    for name, expected in [("League of the Righteous", AAH), ("صدام حسين", SADDAM)]:
        match = gaz.link(name)
        assert match is not None and match.entity.id == expected, name


def _person(eid: str, name: str, **props: list[str]) -> bytes:
    """One line; ``json.dumps`` escapes a lone surrogate as ``\\ud800``, as JSON may."""
    record = {"id": eid, "schema": "Person", "properties": {"name": [name], **props}}
    return json.dumps(record).encode() + b"\n"


def test_lone_surrogate_and_invalid_utf8_records_are_skipped_and_listed(tmp_path: Path) -> None:
    f = tmp_path / "odd.ftm.json"
    f.write_bytes(
        _person("a", "Good One")
        + _person("b", "Bad \ud800 One")  # half a UTF-16 pair
        + _person("c", "Bad X").replace(b"X", b"\xff")
        + _person("d", "\U0001f600 Paired")  # a whole pair is one character: fine
        + _person("e", "E", alias=["\udc00"])
    )  # fmt: skip
    log = ImportLog()
    entities = list(read_ftm(f, log=log))
    assert [e.id for e in entities] == ["ftm:a", "ftm:d"]
    assert entities[1].name == "\U0001f600 Paired"
    assert [(p.line, p.message.split(" (")[0]) for p in log.problems] == [
        (2, "'name' holds a lone surrogate U+D800"),
        (3, "not valid UTF-8"),
        (5, "'aliases' holds a lone surrogate U+DC00"),
    ]
    assert "byte 0xFF" in log.problems[1].message
    out = tmp_path / "x.yaml"
    assert write_gazetteer(read_ftm(f), out) == 2
    with pytest.raises(ImportFailed, match=":2: error: 'name' holds a lone surrogate"):
        list(read_ftm(f, log=ImportLog(strict=True)))


def test_cli_import_skips_a_lone_surrogate_record(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from canonym.cli.app import app

    f = tmp_path / "one.ftm.json"
    f.write_bytes(_person("a", "Good One") + _person("b", "Bad \ud800 One"))
    out = tmp_path / "x.yaml"
    r = CliRunner().invoke(app, ["gazetteer", "import", "ftm", str(f), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert f"{f}:2: skipped: 'name' holds a lone surrogate U+D800" in r.stderr
    assert Gazetteer.load(out, use_cache=False).get("ftm:a").name == "Good One"


def test_bidi_controls_leave_names_so_the_gazetteer_loads(tmp_path: Path) -> None:
    f = tmp_path / "bidi.ftm.json"
    f.write_bytes(_person("a", "\u202bصدام\u202c حسين", alias=["Abu\u200f Ali\t"]))
    out = tmp_path / "x.yaml"
    assert write_gazetteer(read_ftm(f), out) == 1
    e = Gazetteer.load(out, use_cache=False).get("ftm:a")
    assert (e.name, e.aliases) == ("صدام حسين", ("Abu Ali",))
