"""Compiling in bounded memory: tables spilled to sorted runs and merged are the tables
``build_index`` makes, problems are those loading finds, and nothing is written on error."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym import Gazetteer
from canonym.cli.app import app
from canonym.gazetteer import runs
from canonym.gazetteer.build import compile_layers
from canonym.gazetteer.entity import GazetteerError
from canonym.gazetteer.files import search_layers
from canonym.gazetteer.mapped import MappedIndex

DATA = Path(__file__).resolve().parents[1] / "data"
runner = CliRunner()
SYLLABLES = "ka ra ba di mu sha al el qa zu ni ho te fa ja ou ch".split()


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _sources(tmp: Path) -> list[Path]:
    """Generated places and people as JSON lines, with shared names (homonyms, one across
    files), per-language forms, lower-case forms, and overlays in a YAML file after it."""
    rng = random.Random(3)
    lines = []
    for i in range(120):
        kind = "person" if i % 4 == 0 else "place"
        name = f"{_name(rng)} al-{_name(rng)}" if kind == "person" else _name(rng)
        e: dict[str, object] = {"id": f"g{i}", "name": name, "type": kind}
        e["aliases"] = [_name(rng) for _ in range(rng.randint(0, 3))]
        if i % 7 == 0:
            e["aliases"] = [*e["aliases"], "Shared Town"]  # type: ignore[list-item]
        if i % 11 == 0:
            e["forms"] = {"de": [f"{name}er See"], "fr": [f"lac {name}"]}
        lines.append(json.dumps(e, ensure_ascii=False))
    big = tmp / "big.jsonl"
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    patch = tmp / "patch.yaml"
    patch.write_text(
        "entities:\n"
        "  - extend: g5\n    aliases: [Newly Added]\n"
        "  - extend: g9\n    disabled: true\n"
        "  - extend: g13\n    name: Renamed Place\n"
        "  - id: own-1\n    name: Shared Town\n    type: place\n",
        encoding="utf-8",
    )
    return [DATA / "mini.yaml", big, patch]


def _compile(paths: list[Path], out: Path, run_aliases: int) -> Gazetteer:
    compile_layers(search_layers(paths, with_defaults=False), out, run_aliases=run_aliases)
    return Gazetteer.open(out)


def test_spilled_runs_make_the_tables_of_the_in_memory_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _sources(tmp_path)
    held: list[int] = []
    spill = runs.SpillTable.spill

    def counted(self: runs.SpillTable) -> None:
        held.append(self.entries)
        spill(self)

    monkeypatch.setattr(runs.SpillTable, "spill", counted)
    mapped = _compile(paths, tmp_path / "index", run_aliases=25)
    memory = Gazetteer.load(*paths, use_cache=False, with_defaults=False)
    assert len(held) > 40  # every table spilled many runs, merged back below
    assert max(held) < 25 * 12  # a run holds about run_aliases forms' entries, never all

    ix, mx = memory.index, mapped.index
    assert isinstance(mx, MappedIndex)
    assert list(mapped) == list(memory) and "g9" not in mapped
    assert mapped.get("g5").aliases[-1] == "Newly Added"
    # The same warnings in the same order (ambiguous and shadowed names), as loading gives.
    assert mapped.warnings == memory.warnings
    assert len({w.message for w in memory.warnings}) > 3
    assert mx.max_pieces == ix.max_pieces and dict(mx.key_steps) == ix.key_steps
    for ai in range(len(ix.alias_text)):
        got = (mx.text(ai), mx.key(ai), mx.skeleton(ai), mx.fold(ai), mx.owner(ai))
        assert got == (ix.text(ai), ix.key(ai), ix.skeleton(ai), ix.fold(ai), ix.owner(ai))
        assert mx.skeleton_length(ai) == ix.skeleton_length(ai)
        assert mx.is_short(ai) == ix.is_short(ai) and mx.is_alias(ai) == ix.is_alias(ai)
    for k, ais in ix.surface_table.items():
        assert list(mx.exact(k)) == ais
    for k, ais in ix.key_table.items():
        assert mx.by_key(k) == ais
    assert all(list(mx.block(k) or ()) == ais for k, ais in ix.block_table.items())
    for name in ("lower_forms", "lower_keys", "lower_lead"):
        assert set(getattr(mx, name)) == getattr(ix, name), name
    assert [mx.rank(ei) for ei in range(len(memory))] == ix.entity_rank
    # One run or many: the same files.
    again = _compile(paths, tmp_path / "one-run", run_aliases=10**6)
    for f in sorted((tmp_path / "index").iterdir()):
        if f.name != "manifest.json":
            assert f.read_bytes() == (tmp_path / "one-run" / f.name).read_bytes(), f.name
    assert len(again) == len(mapped)


def test_forms_keyed_by_workers_make_the_same_files(tmp_path: Path) -> None:
    # Chunks of a few forms over two workers, answers taken in order: the files of
    # the compile keyed in its own process, byte for byte.
    paths = _sources(tmp_path)
    layers = search_layers(paths, with_defaults=False)
    one, two = tmp_path / "one", tmp_path / "two"
    compile_layers(layers, one, run_aliases=40, jobs=1)
    compile_layers(layers, two, run_aliases=40, jobs=2, lines=3)
    for f in sorted(one.iterdir()):
        if f.name != "manifest.json":
            assert f.read_bytes() == (two / f.name).read_bytes(), f.name
    assert len(Gazetteer.open(two)) == len(Gazetteer.open(one)) > 100


def test_problems_read_by_workers_come_in_line_order(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    rows = [f'{{"id": "p{i}", "name": "Place {i}", "type": "place"}}' for i in range(30)]
    rows[4] = '{"id": "p4", "name": "Four", "type": "planet"}'
    rows[9] = '{"id": "p1", "name": "Again", "type": "place"}'  # an id read in a batch before
    rows[17] = "{id: p17, name: [Seventeen], type: place}"  # YAML, not JSON: YAML reads it
    rows[25] = '{"id": "p25", "name": "Twenty-five", "type": "place", "colour": "red"}'
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    got = {}
    for jobs in (1, 2):
        with pytest.raises(GazetteerError) as e:
            compile_layers(
                search_layers([src], with_defaults=False), tmp_path / "ix", jobs=jobs, lines=2
            )
        got[jobs] = e.value.problems
    assert got[2] == got[1]
    assert [p.line for p in got[1]] == [5, 10, 18, 26]


def test_a_long_block_is_kept_in_order_of_skeleton_length(tmp_path: Path) -> None:
    # Past SORTED_BLOCK entries a block is ordered by length, across runs too.
    src = tmp_path / "many.jsonl"
    names = [f"Bar{'a' * (i % 9)}d{i % 5}" for i in range(400)]
    src.write_text(
        "".join(json.dumps({"id": f"b{i}", "name": n, "type": "place"}) + "\n"
                for i, n in enumerate(names)),
        encoding="utf-8",
    )  # fmt: skip
    mapped = _compile([src], tmp_path / "index", run_aliases=30).index
    memory = Gazetteer.load(src, use_cache=False, with_defaults=False).index
    long_blocks = [k for k, v in memory.block_table.items() if len(v) > 128]
    assert long_blocks
    for k in long_blocks:
        got = list(mapped.block(k) or ())
        assert got == memory.block_table[k]
        assert [mapped.skeleton_length(a) for a in got] == sorted(
            mapped.skeleton_length(a) for a in got
        )


def test_errors_stop_the_compile_and_write_nothing(tmp_path: Path) -> None:
    src = tmp_path / "dup.jsonl"
    src.write_text(
        '{"id": "a", "name": "Alpha", "type": "place"}\n'
        '{"id": "b", "name": "Beta", "type": "planet"}\n'
        '{"id": "a", "name": "Gamma", "type": "place"}\n'
        '{"extend": "nowhere", "aliases": ["Delta"]}\n',
        encoding="utf-8",
    )
    out = tmp_path / "index"
    with pytest.raises(GazetteerError) as e:
        compile_layers(search_layers([src], with_defaults=False), out, run_aliases=1)
    where = sorted((p.line, p.message.split(" (")[0]) for p in e.value.problems)
    assert [w[0] for w in where] == [2, 3, 4]
    assert "duplicate id" in where[1][1] and "nowhere" in where[2][1]
    assert not out.exists() and list(tmp_path.iterdir()) == [src]
    # Loading the same file finds the same problems.
    with pytest.raises(GazetteerError) as loaded:
        Gazetteer.load(src, use_cache=False, with_defaults=False)
    assert loaded.value.problems == e.value.problems


@pytest.mark.parametrize("content", ["", "\n\n", "entities: []\n"])
def test_an_empty_source_is_an_error_not_an_empty_index(tmp_path: Path, content: str) -> None:
    src = tmp_path / ("empty.yaml" if "entities" in content else "empty.jsonl")
    src.write_text(content, encoding="utf-8")
    out = tmp_path / "index"
    r = runner.invoke(app, ["gazetteer", "compile", "--no-bundled", str(src), "-o", str(out)])
    assert r.exit_code == 2, r.output
    assert f"{src}" in r.stderr and "no entities" in r.stderr and "nothing written" in r.stderr
    assert not out.exists()
    # Beside other data too: the given file is the mistake.
    with pytest.raises(GazetteerError, match="holds no entities"):
        Gazetteer.compile(src, out=out)
    assert not out.exists()


def test_a_file_given_twice_or_inside_a_given_folder_compiles_as_once(tmp_path: Path) -> None:
    """-g reads such a file once; compile does too, and its second mention is no empty source."""
    folder = tmp_path / "names"
    folder.mkdir()
    src = folder / "mini.yaml"
    src.write_bytes((DATA / "mini.yaml").read_bytes())
    want = len(Gazetteer.load(src, with_defaults=False, use_cache=False))
    for paths in ([src, src], [folder, src]):
        out = Gazetteer.compile(*paths, out=tmp_path / "index", with_defaults=False)
        assert len(Gazetteer.open(out)) == want
    # An empty folder given beside them is still a mistake.
    (tmp_path / "none").mkdir()
    with pytest.raises(GazetteerError, match="none: error: holds no entities"):
        Gazetteer.compile(src, tmp_path / "none", out=tmp_path / "index", with_defaults=False)


def test_progress_reports_each_step(tmp_path: Path) -> None:
    seen: list[str] = []
    Gazetteer.compile(DATA / "mini.yaml", out=tmp_path / "ix", with_defaults=False,
                      progress=seen.append)  # fmt: skip
    for step in ("reading gazetteers", "surface table", "block table", "entities"):
        assert step in seen


def test_jobs_option_sets_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from canonym.gazetteer import keying

    made: list[int] = []
    init = keying.Keyer.__init__

    def counted(self: keying.Keyer, jobs: int = 1, lines: int = keying.LINES) -> None:
        made.append(jobs)
        init(self, jobs, lines)

    monkeypatch.setattr(keying.Keyer, "__init__", counted)
    src = _sources(tmp_path)[1]
    for jobs in ("1", "3"):
        out = tmp_path / f"ix{jobs}"
        args = ["gazetteer", "compile", str(src), "-o", str(out), "--no-bundled", "--jobs", jobs]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    assert made == [1, 3]
    assert (tmp_path / "ix1" / "key.marisa").read_bytes() == (
        tmp_path / "ix3" / "key.marisa"
    ).read_bytes()
    assert runner.invoke(app, ["gazetteer", "compile", str(src), "--jobs", "0"]).exit_code == 2
