"""The compiled index directory: the same answers as the in-memory index, refused whole
when damaged, written all or nothing, and used from the command line."""

from __future__ import annotations

import inspect
import json
import multiprocessing
import pickle
import random
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym import Gazetteer, Normalizer
from canonym.cli.app import app
from canonym.gazetteer import compiled
from canonym.gazetteer.compiled import MANIFEST, write_compiled
from canonym.gazetteer.entity import GazetteerError
from canonym.gazetteer.index import Index
from canonym.gazetteer.mapped import MappedIndex

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
runner = CliRunner()


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Gazetteer, Gazetteer]:
    """The bundled gazetteers in memory, and compiled then opened."""
    out = tmp_path_factory.mktemp("compiled") / "index"
    Gazetteer.compile(out=out)
    return Gazetteer.default(use_cache=False), Gazetteer.open(out)


def _queries(gz: Gazetteer, n: int = 700) -> list[str]:
    """Forms the gazetteer lists, the same in lower case, and with one letter changed."""
    rng = random.Random(17)
    forms = sorted({f for e in gz for f in e.known_forms})
    picked = rng.sample(forms, min(n, len(forms)))
    out = [*picked, *(f.lower() for f in picked[:150])]
    for f in picked[:400]:
        if len(f) >= 5:
            i = rng.randrange(1, len(f) - 1)
            out.append(f[:i] + rng.choice("aeiourstkl") + f[i + 1 :])
    return out


def _answers(gz: Gazetteer, name: str) -> tuple[object, ...]:
    def rows(ms: list) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
        return [(m.entity, round(m.score, 9), m.method, m.matched, m.read_as) for m in ms]

    linked = gz.link(name)
    return (
        rows(gz.resolve(name)),
        rows(gz.resolve(name, similar=True)),
        None if linked is None else linked.entity.id,
    )


def test_resolves_as_the_in_memory_index(both: tuple[Gazetteer, Gazetteer]) -> None:
    memory, mapped = both
    assert isinstance(mapped.index, MappedIndex)
    queries = _queries(memory)
    assert len(queries) > 1000
    differ = [q for q in queries if _answers(memory, q) != _answers(mapped, q)]
    assert differ == []


def test_normalizes_as_the_in_memory_index(both: tuple[Gazetteer, Gazetteer]) -> None:
    memory, mapped = both
    articles = sorted((ROOT / "fixtures" / "articles").glob("*.txt"))
    assert articles
    for path in articles:
        text = path.read_text(encoding="utf-8")
        want = Normalizer(memory).normalize(text)
        assert want.mentions, path.name
        assert Normalizer(mapped).normalize(text) == want, path.name


def test_same_entities_warnings_and_tables(both: tuple[Gazetteer, Gazetteer]) -> None:
    memory, mapped = both
    assert list(mapped) == list(memory) and len(mapped) == len(memory)
    assert mapped.warnings == memory.warnings
    ix, mx = memory.index, mapped.index
    assert mx.max_pieces == ix.max_pieces
    assert dict(mx.key_steps) == ix.key_steps
    for ai in range(len(ix.alias_text)):
        got = (mx.text(ai), mx.key(ai), mx.skeleton(ai), mx.fold(ai), mx.owner(ai), mx.is_bare(ai))
        assert got == (
            ix.text(ai),
            ix.key(ai),
            ix.skeleton(ai),
            ix.fold(ai),
            ix.owner(ai),
            ix.is_bare(ai),
        )
    every = range(len(ix.alias_text))
    assert mx.scripts(every) == ix.scripts(every)
    assert {"latin", "arabic", "hebrew"} <= set(ix.scripts(every))  # each code is met
    types = [mx.entity_type(ei) for ei in range(len(ix.entities))]
    assert (
        types == [e.type for e in ix.entities] == [ix.entity_type(ei) for ei in range(len(types))]
    )
    for table, query in (("surface_table", mx.exact), ("key_table", mx.by_key)):
        for k, ais in getattr(ix, table).items():
            assert list(query(k)) == ais
    assert all(list(mx.block(k) or ()) == ais for k, ais in ix.block_table.items())
    assert mx.block("zzzzqqq") is None and mx.by_key("zzzzqqq") == [] and not mx.exact("zz q")
    assert mx.has_key_prefix("par") and not mx.has_key_prefix("zzzzqqq")
    e = next(iter(memory))
    assert mapped.get(e.id) == e and e.id in mapped and "no-such-id" not in mapped


def test_answers_every_query_of_index() -> None:
    """Readers of ``Index`` call its methods: the compiled index has each, alike."""
    for name, member in inspect.getmembers(Index, inspect.isfunction):
        if name.startswith("_"):
            continue
        mine = getattr(MappedIndex, name, None)
        assert mine is not None, name
        want = list(inspect.signature(member).parameters)
        assert list(inspect.signature(mine).parameters) == want, name


def test_pickles_as_its_path(both: tuple[Gazetteer, Gazetteer]) -> None:
    mx = both[1].index
    assert isinstance(mx, MappedIndex)
    again = pickle.loads(pickle.dumps(mx))
    assert again.path == mx.path and again.entity(0) == mx.entity(0)


def test_iterates_past_a_page_and_reads_after_a_fork(
    both: tuple[Gazetteer, Gazetteer], monkeypatch: pytest.MonkeyPatch
) -> None:
    memory, mapped = both
    monkeypatch.setattr("canonym.gazetteer.views.ITER_PAGE", 7)
    assert [e.id for e in mapped] == [e.id for e in memory]
    # A forked worker shares the mapping but must not share the parent's SQLite
    # handle: it opens its own.
    ids = [e.id for e in list(memory)[::97]]
    monkeypatch.setattr(sys.modules[__name__], "_FORKED", mapped)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:  # the workers inherit _FORKED, connection and all
        got = pool.map(_name_in_worker, ids)
    assert got == [memory.get(i).name for i in ids]


_FORKED: Gazetteer | None = None


def _name_in_worker(entity_id: str) -> str:
    assert _FORKED is not None
    return _FORKED.get(entity_id).name


# -- damaged indexes ------------------------------------------------------------


@pytest.fixture
def small_index(tmp_path: Path) -> Path:
    out = tmp_path / "index"
    Gazetteer.compile(DATA / "mini.yaml", out=out, with_defaults=False)
    return out


def _open_error(path: Path) -> str:
    with pytest.raises(GazetteerError) as e:
        Gazetteer.open(path)
    return str(e.value)


def test_a_changed_byte_is_refused(small_index: Path) -> None:
    f = small_index / "key_postings.u32"
    data = bytearray(f.read_bytes())
    data[0] ^= 1
    f.write_bytes(bytes(data))
    assert "key_postings.u32 does not match its checksum" in _open_error(small_index)


def test_a_truncated_file_is_refused(small_index: Path) -> None:
    f = small_index / "aliases.txt"
    f.write_bytes(f.read_bytes()[:-3])
    assert "aliases.txt is" in _open_error(small_index)
    assert "truncated" in _open_error(small_index)


def test_a_missing_file_or_a_damaged_manifest_is_refused(small_index: Path) -> None:
    (small_index / "surface.marisa").unlink()
    assert "surface.marisa is missing" in _open_error(small_index)
    (small_index / MANIFEST).write_text("{", encoding="utf-8")
    assert "manifest.json is damaged" in _open_error(small_index)
    (small_index / MANIFEST).unlink()
    assert "not a compiled index" in _open_error(small_index)


def test_other_key_rules_or_format_are_refused(small_index: Path) -> None:
    path = small_index / MANIFEST
    m = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**m, "rules": "0" * 32}), encoding="utf-8")
    assert "under other key rules: recompile it" in _open_error(small_index)
    path.write_text(json.dumps({**m, "format": 0}), encoding="utf-8")
    assert "index format 0" in _open_error(small_index)
    path.write_text(json.dumps({**m, "files": {**m["files"], "../x": m["files"]["steps.u8"]}}))
    assert "outside the index" in _open_error(small_index)


def test_a_manifest_with_fields_of_the_wrong_shape_is_refused(small_index: Path) -> None:
    """A hand-edited manifest is one clear error on open, not an internal one."""
    path = small_index / MANIFEST
    m = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**m, "files": {**m["files"], "aliases.txt": 5}}))
    assert "manifest.json is damaged" in _open_error(small_index)
    path.write_text(json.dumps({**m, "fingerprint": 5}))
    assert "manifest.json is damaged" in _open_error(small_index)
    for types in (None, ["place", 3], ["place", "place"]):
        path.write_text(json.dumps({**m, "entity_types": types}))
        assert "manifest.json is damaged" in _open_error(small_index)


def test_an_index_of_the_first_format_is_refused_with_what_to_do(small_index: Path) -> None:
    """Format 1 had no type and script columns: it is compiled again, not half read."""
    path = small_index / MANIFEST
    m = json.loads(path.read_text(encoding="utf-8"))
    del m["entity_types"]
    for name in ("entity_type.u8", "alias_script.u8"):
        (small_index / name).unlink()
        del m["files"][name]
    path.write_text(json.dumps({**m, "format": 1}))
    assert "index format 1, not 2: recompile it" in _open_error(small_index)


def test_a_manifest_without_a_fingerprint_opens(small_index: Path) -> None:
    path = small_index / MANIFEST
    m = json.loads(path.read_text(encoding="utf-8"))
    del m["fingerprint"]
    path.write_text(json.dumps(m))
    gz = Gazetteer.open(small_index)
    assert gz.fingerprint == m["files"]["entities.sqlite"]["sha256"][:32]


def test_a_link_to_an_index_is_kept_and_its_index_replaced(tmp_path: Path) -> None:
    """-o through a symbolic link writes where it points, as -o does for files."""
    real, link = tmp_path / "index-1", tmp_path / "current"
    Gazetteer.compile(DATA / "mini.yaml", out=real, with_defaults=False)
    link.symlink_to(real)
    more = tmp_path / "more.yaml"
    more.write_text(
        "entities:\n  - {id: t-velmora, type: place, name: Velmora}\n", encoding="utf-8"
    )
    assert Gazetteer.compile(DATA / "mini.yaml", more, out=link, with_defaults=False) == real
    assert link.is_symlink() and link.resolve() == real
    assert Gazetteer.open(real).link("Velmora") is not None
    # A dangling link makes its index; a loop of links is an error naming the link.
    (tmp_path / "new").symlink_to(tmp_path / "made")
    Gazetteer.compile(more, out=tmp_path / "new", with_defaults=False)
    assert Gazetteer.open(tmp_path / "made").link("Velmora") is not None
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    r = runner.invoke(
        app, ["gazetteer", "compile", "--no-bundled", str(more), "-o", str(tmp_path / "a")]
    )
    assert r.exit_code == 2 and "symbolic links; nothing written" in r.stderr, r.output


@pytest.fixture
def sampled_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An index whose files all count as large: checked on open by samples of 8 bytes."""
    monkeypatch.setattr("canonym.gazetteer.compiled.HASHED_ON_OPEN", 0)
    monkeypatch.setattr("canonym.gazetteer.compiled.SAMPLE", 8)
    out = tmp_path / "index"
    Gazetteer.compile(DATA / "mini.yaml", out=out, with_defaults=False)
    return out


def test_the_checksums_of_large_files_are_checked_on_request(sampled_index: Path) -> None:
    f = sampled_index / "aliases.txt"
    data = bytearray(f.read_bytes())
    assert len(data) > 16 * 8 * 2
    data[16 * 8 + 3] ^= 1  # between two samples
    f.write_bytes(bytes(data))
    Gazetteer.open(sampled_index)  # sizes and samples only: opens
    with pytest.raises(GazetteerError, match="aliases.txt does not match its checksum"):
        Gazetteer.open(sampled_index, verify=True)


@pytest.mark.parametrize("name", ["aliases.txt", "block_postings.u32", "entities.sqlite"])
def test_a_large_file_cut_short_and_padded_is_refused_on_open(
    sampled_index: Path, name: str
) -> None:
    # A copy that stopped half way, then filled to the size: the end is zeros.
    f = sampled_index / name
    data = f.read_bytes()
    f.write_bytes(data[: len(data) // 2] + bytes(len(data) - len(data) // 2))
    assert f"{name} does not match its checksum" in _open_error(sampled_index)


def test_the_stretch_a_large_file_was_hashed_by_is_the_manifests(sampled_index: Path) -> None:
    m = json.loads((sampled_index / MANIFEST).read_text(encoding="utf-8"))
    info = m["files"]["aliases.txt"]
    assert info["sample_bytes"] == 8
    # An index written before the manifest said so was hashed by 64 KiB stretches.
    del info["sample_bytes"]
    f = sampled_index / "aliases.txt"
    info["sampled_sha256"] = compiled.sampled_sha256(f, info["bytes"], 2**16)
    (sampled_index / MANIFEST).write_text(json.dumps(m), encoding="utf-8")
    assert len(Gazetteer.open(sampled_index)) > 0
    info["sample_bytes"] = "eight"  # a damaged manifest: refused, not a crash
    (sampled_index / MANIFEST).write_text(json.dumps(m), encoding="utf-8")
    assert "aliases.txt does not match its checksum" in _open_error(sampled_index)


def _rehash(index: Path) -> None:
    """The manifest made to agree with the files: a change no check on open can see."""
    m = json.loads((index / MANIFEST).read_text(encoding="utf-8"))
    m["files"] = {f.name: compiled.file_entry(f) for f in index.iterdir() if f.name != MANIFEST}
    (index / MANIFEST).write_text(json.dumps(m), encoding="utf-8")


def test_damage_found_while_reading_is_a_clear_error(small_index: Path) -> None:
    import sqlite3

    db = sqlite3.connect(small_index / "entities.sqlite")
    db.execute("UPDATE entities SET record = '[1, 2' WHERE ei = 0")
    db.commit()
    db.close()
    f = small_index / "aliases.txt"
    f.write_bytes(b"\xff" * f.stat().st_size)
    _rehash(small_index)
    gz = Gazetteer.open(small_index)
    with pytest.raises(compiled.CompiledIndexError, match="entity 0.*damaged"):
        gz.index.entity(0)
    with pytest.raises(compiled.CompiledIndexError, match="aliases.txt is damaged"):
        gz.index.text(0)
    (small_index / "entity_type.u8").write_bytes(b"\xff" * len(gz))
    (small_index / "alias_script.u8").write_bytes(b"\xff" * gz.index.alias_count)
    _rehash(small_index)
    gz = Gazetteer.open(small_index)
    with pytest.raises(compiled.CompiledIndexError, match="entity_type.u8 is damaged"):
        gz.index.entity_type(0)
    with pytest.raises(compiled.CompiledIndexError, match="alias_script.u8 is damaged"):
        gz.index.scripts([0])
    # From the command line: one line naming the index and what to do, exit 2.
    r = runner.invoke(app, ["resolve", gz.index.entity(1).name, "-g", str(small_index)])
    assert r.exit_code == 2, r.output
    assert str(small_index) in r.stderr and "damaged" in r.stderr and "compile" in r.stderr


# -- writing ----------------------------------------------------------------------


def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ix = Gazetteer.load(DATA / "mini.yaml", use_cache=False).index

    def broken(path: Path, ix: Index) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(compiled, "_entities", broken)
    with pytest.raises(OSError, match="No space"):
        write_compiled(ix, tmp_path / "index")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_rewrite_keeps_the_old_index(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {f.name: f.read_bytes() for f in small_index.iterdir()}
    ix = Gazetteer.default(use_cache=False).index
    monkeypatch.setattr(compiled, "_entities", lambda *a: (_ for _ in ()).throw(OSError("x")))
    with pytest.raises(OSError):
        write_compiled(ix, small_index)
    assert {f.name: f.read_bytes() for f in small_index.iterdir()} == before
    assert [p.name for p in small_index.parent.iterdir()] == ["index"]
    assert len(Gazetteer.open(small_index)) == 21


def test_a_rewrite_replaces_the_index_and_other_data_is_never_replaced(
    small_index: Path,
) -> None:
    Gazetteer.compile(out=small_index)
    assert len(Gazetteer.open(small_index)) > 21
    assert [p.name for p in small_index.parent.iterdir()] == ["index"]
    other = small_index.parent / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        Gazetteer.compile(out=other)
    assert (other / "keep.txt").read_text(encoding="utf-8") == "mine"


# -- command line and loading -------------------------------------------------------


def test_cli_compile_then_use_with_g(tmp_path: Path) -> None:
    out = tmp_path / "index"
    r = runner.invoke(
        app, ["gazetteer", "compile", "--no-bundled", str(DATA / "mini.yaml"), "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert "compiled 21 entities" in r.stderr
    names = [e.name for e in Gazetteer.load(DATA / "mini.yaml", use_cache=False)]
    text = " and ".join(names[:4]) + " met."
    doc = tmp_path / "doc.txt"
    doc.write_text(text, encoding="utf-8")
    args = ["normalize", str(doc), "-f", "json", "--translate", "never"]
    want = runner.invoke(app, [*args, "--no-bundled", "-g", str(DATA / "mini.yaml")])
    got = runner.invoke(app, [*args, "-g", str(out)])
    assert got.exit_code == want.exit_code == 0, got.output
    assert json.loads(got.stdout) == json.loads(want.stdout)
    assert json.loads(got.stdout)["mentions"]


def test_cli_compile_bad_input_says_where_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities:\n  - id: a\n    name: A\n    type: planet\n", encoding="utf-8")
    out = tmp_path / "index"
    r = runner.invoke(app, ["gazetteer", "compile", "--no-bundled", str(bad), "-o", str(out)])
    assert r.exit_code == 2
    assert f"{bad}:" in r.stderr and "nothing written" in r.stderr
    assert not out.exists()


def test_a_compiled_index_is_used_alone(small_index: Path) -> None:
    with pytest.raises(GazetteerError, match="used alone"):
        Gazetteer.load(small_index, DATA / "mini.yaml")
    assert len(Gazetteer.load(small_index)) == 21


def test_commands_that_read_sources_refuse_an_index(small_index: Path) -> None:
    r = runner.invoke(app, ["gazetteer", "validate", str(small_index)])
    assert r.exit_code == 2 and "a compiled index, not gazetteer files" in r.stderr
    r = runner.invoke(app, ["gazetteer", "stats", "-g", str(small_index), "-f", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["entities"] == 21
    r = runner.invoke(app, ["gazetteer", "compile", str(small_index), "-o", str(small_index)])
    assert r.exit_code == 2 and "a compiled index" in r.stderr
    assert len(Gazetteer.open(small_index)) == 21


def test_canonym_index_environment(small_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANONYM_INDEX", str(small_index))
    assert isinstance(Gazetteer.default().index, MappedIndex)
    assert len(Gazetteer.default()) == 21
    # Explicit paths still decide.
    assert not isinstance(Gazetteer.load(DATA / "mini.yaml").index, MappedIndex)


def test_every_field_of_an_entity_survives_compiling(tmp_path: Path) -> None:
    src = tmp_path / "places.yaml"
    src.write_text(
        "entities:\n"
        "  - id: tabuk-sa\n    name: Tabuk\n    type: place\n    kind: city\n    country: SA\n"
        "    coordinates: [28.38, 36.57]\n    prior: 667000\n"
        "    forms:\n      ar: [تبوك]\n",
        encoding="utf-8",
    )
    memory = Gazetteer.load(src, use_cache=False, with_defaults=False)
    mapped = Gazetteer.open(Gazetteer.compile(src, out=tmp_path / "ix", with_defaults=False))
    assert mapped.get("tabuk-sa") == memory.get("tabuk-sa")
    assert mapped.get("tabuk-sa").prior == 667000


def test_the_columns_are_the_same_without_numpy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The script of each alias is read from every string when numpy is missing."""
    with_np = tmp_path / "with"
    Gazetteer.compile(out=with_np)
    monkeypatch.setattr("canonym.gazetteer.columns.numpy_module", lambda: None)
    without = tmp_path / "without"
    Gazetteer.compile(out=without)
    for name in ("entity_type.u8", "alias_script.u8"):
        assert (without / name).read_bytes() == (with_np / name).read_bytes(), name
    assert len(set((without / "alias_script.u8").read_bytes())) == 3
