"""The compiled index directory: an ``Index`` written as files a process maps, not loads.

Reach for this module to ship one index to every worker: ``write_compiled`` turns
a built ``Index`` into a directory; ``canonym.gazetteer.mapped`` opens it. The
directory holds data only, so opening it runs no code from it:

* ``*.marisa``: marisa-trie tries of the surface, key, skeleton-block and scanner
  step tables, and of the lower-case sets. A trie gives each key a dense id: the
  row of its postings in the integer arrays beside it.
* ``*.u32`` / ``*.u64`` / ``*.u8``: integer arrays in the machine's byte order
  (postings and their offsets, each alias's entity, kind and skeleton length, each
  entity's rank, the offsets of the alias strings), memory-mapped on open.
* ``aliases.txt``: every alias's text, key, skeleton and folded letters, UTF-8
  back to back, cut by ``alias_strings.u64``.
* ``entities.sqlite``: the entity records and the load's warnings, read on demand.
* ``entity_type.u8`` / ``alias_script.u8``: each entity's type and each alias's
  script, derived from the above once written (``canonym.gazetteer.columns``), so
  that a candidate is scored without reading its record.
* ``manifest.json``: format version, the key rules' digest, the sources, counts,
  and every file's size and SHA-256 (checked on open for the small ones).

The directory is written beside its target and renamed into place, so a reader
sees a whole index or none.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from array import array
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from canonym._version import __version__
from canonym.gazetteer.columns import COLUMN_FILES, derive_columns, valid_types
from canonym.gazetteer.index import Index
from canonym.gazetteer.records import entity_from_record, entity_record

__all__ = [
    "FORMAT",
    "MANIFEST",
    "CompiledIndexError",
    "is_compiled",
    "rules_digest",
    "read_manifest",
    "write_compiled",
    "write_directory",
    "entity_record",
    "entity_from_record",
    "sampled_sha256",
    "SCHEMA",
]

FORMAT = 2  # of the directory; any change to what it stores bumps it (2: the columns)
MANIFEST = "manifest.json"
KIND = "canonym-index"
# (suffix, array typecode): every integer array is one of these.
TYPES = {"u8": "B", "u32": "I", "u64": "Q"}
POSTING_TABLES = ("surface", "key", "block")  # trie + offsets + postings each
SETS = ("lower_forms", "lower_keys", "lower_lead")
# Files up to this size are hashed on open (the manifest, the sets, the small
# tables); past it, so that opening stays a fraction of a second at millions of
# forms, its size and SAMPLES stretches of SAMPLE bytes spread over it from the
# first byte to the last: a copy cut short and padded, a zeroed or overwritten
# stretch of some size is refused, a flipped byte is not. ``verify=True`` hashes
# every file. A stretch is a page: opening reads 64 KiB a file, whatever its size
# (the manifest says the stretch each file was hashed by; 64 KiB when it does not).
HASHED_ON_OPEN = 2**20
SAMPLES, SAMPLE, OLD_SAMPLE = 16, 2**12, 2**16
# entities.sqlite: the records, the ids the index answers for (a repeated id is
# skipped by the build: the first is kept), and the load's warnings.
SCHEMA = """
CREATE TABLE entities (ei INTEGER PRIMARY KEY, id TEXT NOT NULL, record TEXT);
CREATE TABLE problems (file TEXT, line INTEGER, message TEXT, entity TEXT, severity TEXT);
CREATE TABLE ids (id TEXT PRIMARY KEY, ei INTEGER NOT NULL) WITHOUT ROWID;
"""


class CompiledIndexError(ValueError):
    """A directory that is not a whole, consistent compiled index of this format.

    ``path`` is the index directory; ``hint`` what to do about it.
    """

    hint = "compile it again (canonym gazetteer compile)"

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


def is_compiled(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a compiled index directory (it holds a manifest)."""
    p = Path(path)
    return p.is_dir() and (p / MANIFEST).is_file()


def rules_digest() -> str:
    """What decides the keys besides the sources: canonym's version and key rules.

    An index compiled under other rules would answer with keys the running code
    no longer makes: it is refused on open, not half used.
    """
    from canonym.gazetteer.cache import fingerprint

    return fingerprint([])


def _trie(path: Path, keys: Iterable[str]) -> list[str]:
    """Write a trie of ``keys``; returns the keys in the order of their ids."""
    import marisa_trie

    trie = marisa_trie.Trie(keys)
    trie.save(str(path))
    order: list[str] = [""] * len(trie)
    for key, i in trie.iteritems():
        order[i] = key
    return order


def _array(path: Path, typecode: str, values: Iterable[int]) -> None:
    a = array(typecode, values)  # OverflowError: a number the type cannot hold
    with path.open("wb") as fh:
        a.tofile(fh)


def _postings(d: Path, name: str, table: dict[str, list[int]]) -> None:
    order = _trie(d / f"{name}.marisa", table)
    offsets, post = array("Q", [0]), array("I")
    for key in order:
        post.extend(table[key])
        offsets.append(len(post))
    _array(d / f"{name}_offsets.u64", "Q", offsets)
    _array(d / f"{name}_postings.u32", "I", post)


def _entities(path: Path, ix: Index) -> None:
    db = sqlite3.connect(path)
    try:
        db.executescript(SCHEMA)
        db.executemany(
            "INSERT INTO entities VALUES (?, ?, ?)",
            ((ei, e.id, entity_record(e)) for ei, e in enumerate(ix.entities)),
        )
        db.executemany("INSERT INTO ids VALUES (?, ?)", ix.by_id.items())
        db.executemany(
            "INSERT INTO problems VALUES (?, ?, ?, ?, ?)",
            ((p.file, p.line, p.message, p.entity, p.severity) for p in ix.warnings),
        )
        db.commit()
    finally:
        db.close()


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def sampled_sha256(path: Path, size: int, sample: object = SAMPLE) -> str:
    """The SHA-256 of SAMPLES stretches of ``sample`` bytes of a file, the last its end."""
    if not isinstance(sample, int) or sample <= 0:
        return ""
    h = hashlib.sha256()
    step = max(1, (size - sample) // (SAMPLES - 1))
    with path.open("rb") as fh:
        for i in range(SAMPLES):
            fh.seek(min(i * step, max(0, size - sample)))
            h.update(fh.read(sample))
    return h.hexdigest()


def file_entry(path: Path) -> dict[str, Any]:
    """A file's line in the manifest: its size, SHA-256 and, when large, sampled SHA-256."""
    size = path.stat().st_size
    entry: dict[str, Any] = {"bytes": size, "sha256": _sha256(path)}
    if size > HASHED_ON_OPEN:
        entry["sampled_sha256"] = sampled_sha256(path, size, SAMPLE)
        entry["sample_bytes"] = SAMPLE
    return entry


def _write_files(d: Path, ix: Index, step: Callable[[str], None]) -> dict[str, int]:
    n_alias = len(ix.alias_text)
    for name in POSTING_TABLES:
        step(f"{name} table")
        _postings(d, name, getattr(ix, f"{name}_table"))
    step("scanner steps")
    order = _trie(d / "steps.marisa", ix.key_steps)
    _array(d / "steps.u8", "B", (ix.key_steps[k] for k in order))
    for name in SETS:
        _trie(d / f"{name}.marisa", getattr(ix, name))
    step("alias columns")
    _array(d / "alias_entity.u32", "I", ix.alias_entity)
    _array(d / "alias_kind.u8", "B", ix.alias_kind)
    _array(d / "alias_skel_len.u8", "B", (min(len(s), 255) for s in ix.alias_skel))
    _array(d / "entity_rank.u32", "I", ix.entity_rank)
    offsets = array("Q", [0])
    with (d / "aliases.txt").open("wb") as fh:
        for i in range(n_alias):
            for col in (ix.alias_text, ix.alias_key, ix.alias_skel, ix.alias_fold):
                b = col[i].encode("utf-8", "surrogatepass")
                fh.write(b)
                offsets.append(offsets[-1] + len(b))
    _array(d / "alias_strings.u64", "Q", offsets)
    step("entities")
    _entities(d / "entities.sqlite", ix)
    return {"entities": len(ix.entities), "aliases": n_alias, "max_pieces": ix.max_pieces}


def write_compiled(
    ix: Index,
    out: str | os.PathLike[str],
    *,
    sources: Sequence[str] = (),
    fingerprint: str = "",
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write ``ix`` as a compiled index directory at ``out``; returns its path.

    An existing compiled index at ``out`` is replaced whole; anything else there is
    left alone (``FileExistsError``). On any failure nothing is left at ``out`` that
    was not there before.
    """
    step = progress or (lambda what: None)
    return write_directory(
        out, lambda d: _write_files(d, ix, step), sources=sources, fingerprint=fingerprint
    )


def write_directory(
    out: str | os.PathLike[str],
    fill: Callable[[Path], dict[str, int]],
    *,
    sources: Sequence[str] = (),
    fingerprint: str = "",
) -> Path:
    """Make a compiled index directory at ``out`` from what ``fill`` writes into an empty
    folder (returning the counts of entities, aliases and max_pieces), with its manifest.

    The folder is beside ``out`` and renamed into place: a failure in ``fill`` leaves
    ``out`` as it was; ``FileExistsError`` when ``out`` is something else than an index.
    """
    target = Path(out)
    if target.is_symlink():
        # The index the link names is the one replaced, as -o does for a file: renaming
        # over the link would leave a directory in its place and the old index behind.
        try:
            target = target.resolve()
        except (OSError, RuntimeError):  # a loop of links
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(target)) from None
    if target.exists() and not is_compiled(target):
        raise FileExistsError(f"{target} exists and is not a compiled index")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        counts = fill(tmp)
        types = derive_columns(tmp)
        files = {}
        for f in sorted(tmp.iterdir()):
            files[f.name] = file_entry(f)
        manifest: dict[str, Any] = {
            "kind": KIND,
            "format": FORMAT,
            "canonym": __version__,
            "rules": rules_digest(),
            "byteorder": sys.byteorder,
            "fingerprint": fingerprint,
            "sources": list(sources),
            "counts": counts,
            "entity_types": types,
            "files": files,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it 0o700: as any directory made
        _swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _swap_in(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` to ``target``; an older index there is moved aside first, then removed."""
    if not target.exists():
        os.rename(tmp, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rename(target, old / "index")
    try:
        os.rename(tmp, target)
    except BaseException:
        os.rename(old / "index", target)  # the index that was there stays
        raise
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(old)


def _fail(where: Path, what: str) -> CompiledIndexError:
    return CompiledIndexError(f"{where}: {what}", where)


def read_manifest(path: Path, *, verify: bool = False) -> dict[str, Any]:
    """The manifest of ``path``, checked against the files beside it (sizes, and the
    checksums of the small files or, with ``verify``, of all); ``CompiledIndexError``."""
    try:
        raw = (path / MANIFEST).read_bytes()
    except FileNotFoundError:
        raise _fail(path, f"not a compiled index (no {MANIFEST})") from None
    except OSError as e:
        raise _fail(path, f"cannot read {MANIFEST} ({e.strerror})") from None
    try:
        m = json.loads(raw)
        files = m["files"]
        counts = m["counts"]
        ok = (
            isinstance(m, dict)
            and isinstance(files, dict)
            and all(isinstance(info, dict) for info in files.values())
            and isinstance(m.get("fingerprint", ""), str)
            and all(isinstance(counts[k], int) for k in ("entities", "aliases", "max_pieces"))
            and (m.get("format") != FORMAT or valid_types(m.get("entity_types")))
        )
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise _fail(path, f"{MANIFEST} is damaged (recompile the index)")
    if m.get("kind") != KIND or m.get("format") != FORMAT:
        raise _fail(path, f"index format {m.get('format')}, not {FORMAT}: recompile it")
    if m.get("byteorder") != sys.byteorder:
        raise _fail(path, f"compiled on a {m.get('byteorder')}-endian machine: recompile it")
    if m.get("rules") != rules_digest():
        raise _fail(
            path, f"compiled by canonym {m.get('canonym')} under other key rules: recompile it"
        )
    expected = {
        *(f"{t}{s}" for t in POSTING_TABLES for s in (".marisa", "_offsets.u64", "_postings.u32")),
        *(f"{n}.marisa" for n in (*SETS, "steps")),
        "steps.u8", "alias_entity.u32", "alias_kind.u8", "alias_skel_len.u8",
        "entity_rank.u32", "alias_strings.u64", "aliases.txt", "entities.sqlite",
        *COLUMN_FILES,
    }  # fmt: skip
    missing = expected - set(files)
    if missing:
        raise _fail(path, f"{MANIFEST} does not list {', '.join(sorted(missing))}")
    for name, info in files.items():
        if "/" in name or "\\" in name or name.startswith("."):
            raise _fail(path, f"{MANIFEST} names a file outside the index: {name!r}")
        f = path / name
        try:
            size = f.stat().st_size
        except OSError:
            raise _fail(path, f"{name} is missing") from None
        if size != info.get("bytes"):
            want = info.get("bytes")
            raise _fail(path, f"{name} is {size} bytes, not {want}: truncated or changed")
        if verify or size <= HASHED_ON_OPEN:
            with f.open("rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
            if digest != info.get("sha256"):
                raise _fail(path, f"{name} does not match its checksum: damaged or changed")
        elif sampled_sha256(f, size, info.get("sample_bytes", OLD_SAMPLE)) != info.get(
            "sampled_sha256"
        ):
            raise _fail(path, f"{name} does not match its checksum: damaged or changed")
    return m  # type: ignore[no-any-return]
