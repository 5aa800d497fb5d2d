"""``MappedIndex``: a compiled index directory opened in place, answering as ``Index`` does.

Reach for this module when an index must open fast and be shared: the tries and
integer arrays of ``canonym.gazetteer.compiled`` are memory-mapped (the pages are
the operating system's, shared by every process that maps the same files, and by
workers forked after the open), entity records are read from SQLite when asked
for. Opening checks the manifest, every file's size and the SHA-256 of the small
ones; nothing from the directory is executed.
"""

from __future__ import annotations

import mmap
import os
import sqlite3
import threading
from array import array
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from canonym.gazetteer.arrays import Columns, gather, numpy_module, rows_with_bytes
from canonym.gazetteer.columns import SCRIPTS
from canonym.gazetteer.compiled import (
    POSTING_TABLES,
    SETS,
    TYPES,
    CompiledIndexError,
    entity_from_record,
    read_manifest,
)
from canonym.gazetteer.entity import Entity, Problem
from canonym.gazetteer.index import KIND_ALIAS, KIND_BARE, KIND_SHORT
from canonym.gazetteer.views import Entities, Steps

# The first bytes in UTF-8 of every letter of ``text.scripts.ARABIC_LETTERS``:
# U+0600-06FF (D8-DB), U+0750-077F (DD), U+08A0-08FF (E0), U+FB50-FEFF (EF).
ARABIC_LEAD_BYTES = (0xD8, 0xD9, 0xDA, 0xDB, 0xDD, 0xE0, 0xEF)

__all__ = ["MappedIndex", "open_compiled"]

ENTITY_CACHE = 65_536  # entity records kept decoded, per index
# From this many aliases, their strings are gathered by numpy rather than one by one.
_GATHERED = 48
# From this many aliases, their owners, kinds, ranks and scripts are read by numpy.
_NUMPY_ROWS = 128


def _fail(where: Path, what: str) -> CompiledIndexError:
    return CompiledIndexError(f"{where}: {what}", where)


class MappedIndex:
    """A compiled index directory, memory-mapped; the queries are ``Index``'s."""

    def __init__(self, path: str | os.PathLike[str], *, verify: bool = False) -> None:
        import marisa_trie

        self.path = Path(path)
        manifest = read_manifest(self.path, verify=verify)
        self.manifest = manifest
        counts = manifest["counts"]
        self.max_pieces: int = counts["max_pieces"]
        self._n_ent: int = counts["entities"]
        self._n_alias: int = counts["aliases"]
        self._maps: list[mmap.mmap] = []

        def trie(name: str) -> Any:
            return marisa_trie.Trie().mmap(str(self.path / f"{name}.marisa"))

        self._tables = {}
        for name in POSTING_TABLES:
            t = trie(name)
            off = self._ints(f"{name}_offsets.u64", len(t) + 1)
            post = self._ints(f"{name}_postings.u32")
            if off[-1] != len(post):
                raise _fail(self.path, f"{name} postings do not match their offsets")
            self._tables[name] = (t, off, post)
        steps = trie("steps")
        self.key_steps: Mapping[str, int] = Steps(steps, self._ints("steps.u8", len(steps)))
        self.lower_forms, self.lower_keys, self.lower_lead = (trie(n) for n in SETS)
        self._alias_entity = self._ints("alias_entity.u32", self._n_alias)
        self._alias_kind = self._ints("alias_kind.u8", self._n_alias)
        self._skel_len = self._ints("alias_skel_len.u8", self._n_alias)
        self._rank = self._ints("entity_rank.u32", self._n_ent)
        self._type = self._ints("entity_type.u8", self._n_ent)
        self._types: tuple[str, ...] = tuple(manifest["entity_types"])
        self._script = self._ints("alias_script.u8", self._n_alias)
        self._str_off = self._ints("alias_strings.u64", 4 * self._n_alias + 1)
        self._strings = self._map("aliases.txt")
        if self._str_off[-1] != len(self._strings):
            raise _fail(self.path, "aliases.txt does not match its offsets")
        self.entities: Sequence[Entity] = Entities(self, self._n_ent)
        self._db_pid = -1
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self.entity = lru_cache(maxsize=ENTITY_CACHE)(self._read_entity)  # type: ignore[method-assign]
        self.entity_index = lru_cache(maxsize=ENTITY_CACHE)(self._read_entity_index)  # type: ignore[method-assign]
        self._warnings: list[Problem] | None = None
        self._np: tuple[Any, Any] | None = None
        self._cols: Columns | None = None
        self._skel_len_np: Any = None

    # -- opening -----------------------------------------------------------------

    def _map(self, name: str) -> mmap.mmap | bytes:
        with (self.path / name).open("rb") as fh:
            if os.fstat(fh.fileno()).st_size == 0:
                return b""  # an empty file cannot be mapped
            m = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        self._maps.append(m)
        return m

    def _ints(self, name: str, count: int | None = None) -> memoryview:
        code = TYPES[name.rsplit(".", 1)[1]]
        raw = self._map(name)
        view = memoryview(raw).cast(code) if raw else memoryview(array(code))  # type: ignore[call-overload]
        if count is not None and len(view) != count:
            raise _fail(self.path, f"{name} holds {len(view)} entries, not {count}")
        return view

    def __reduce__(self) -> tuple[Any, ...]:
        # A worker opens the same files: the mapping is shared, not copied.
        return (MappedIndex, (str(self.path),))

    def _conn(self) -> sqlite3.Connection:
        # One connection per process: a SQLite handle must not cross a fork.
        pid = os.getpid()
        if self._db is None or self._db_pid != pid:
            uri = f"{(self.path / 'entities.sqlite').resolve().as_uri()}?mode=ro&immutable=1"
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._db_pid = pid
        return self._db

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        try:
            with self._lock:
                return self._conn().execute(sql, args).fetchall()
        except sqlite3.DatabaseError as e:
            raise _fail(self.path, f"entities.sqlite: {e}") from None

    def _read_entity(self, ei: int) -> Entity:
        if not 0 <= ei < self._n_ent:
            raise IndexError(ei)
        rows = self._rows("SELECT record FROM entities WHERE ei = ?", (ei,))
        if not rows:
            raise _fail(self.path, f"entity {ei} is missing")
        return self._decode(ei, rows[0][0])

    def _decode(self, ei: int, record: str) -> Entity:
        try:
            return entity_from_record(record)
        except (ValueError, TypeError, IndexError):
            raise self._damaged(f"entities.sqlite (the record of entity {ei})") from None

    def _read_entity_index(self, entity_id: str) -> int:
        rows = self._rows("SELECT ei FROM ids WHERE id = ?", (entity_id,))
        if not rows:
            raise KeyError(entity_id)
        return int(rows[0][0])

    # -- the queries of ``Index`` ------------------------------------------------

    def entity(self, ei: int) -> Entity:  # replaced by a cached reader per index
        return self._read_entity(ei)

    def entity_index(self, entity_id: str) -> int:
        """The position of the entity with this id; KeyError when there is none."""
        return self._read_entity_index(entity_id)

    def has_entity(self, entity_id: object) -> bool:
        if not isinstance(entity_id, str):
            return False
        try:
            self.entity_index(entity_id)
        except KeyError:
            return False
        return True

    @property
    def warnings(self) -> list[Problem]:
        if self._warnings is None:
            rows = self._rows("SELECT file, line, message, entity, severity FROM problems")
            self._warnings = [Problem(*r) for r in rows]
        return self._warnings

    def owner(self, ai: int) -> int:
        return self._alias_entity[ai]

    def owners(self, ais: Iterable[int]) -> tuple[int, ...]:
        if (cols := self._columns(ais)) is not None:
            return tuple(dict.fromkeys(cols.owner[cols.at(ais)].tolist()))
        owner = self._alias_entity
        return tuple(dict.fromkeys(owner[a] for a in ais))

    def _string(self, ai: int, col: int) -> str:
        off = self._str_off
        i = 4 * ai + col
        try:
            return self._strings[off[i] : off[i + 1]].decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            raise self._damaged("aliases.txt") from None

    def _damaged(self, name: str) -> CompiledIndexError:
        return _fail(self.path, f"{name} is damaged (not what was compiled)")

    def text(self, ai: int) -> str:
        return self._string(ai, 0)

    def key(self, ai: int) -> str:
        return self._string(ai, 1)

    def skeleton(self, ai: int) -> str:
        return self._string(ai, 2)

    def fold(self, ai: int) -> str:
        return self._string(ai, 3)

    def _strings_of(self, ais: Iterable[int], col: int) -> list[str]:
        ais = ais if isinstance(ais, list) else list(ais)
        try:
            if len(ais) >= _GATHERED and numpy_module() is not None:
                return gather(*self._arrays(), ais, col)
            off, blob = self._str_off, self._strings
            out = []
            for a in ais:
                i = 4 * a + col
                out.append(blob[off[i] : off[i + 1]].decode("utf-8", "surrogatepass"))
            return out
        except UnicodeDecodeError:
            raise self._damaged("aliases.txt") from None

    def _arrays(self) -> tuple[Any, Any]:
        # numpy views of the string offsets and bytes, made on first use.
        if self._np is None:
            import numpy as np

            self._np = (np.asarray(self._str_off), np.frombuffer(self._strings, dtype=np.uint8))
        return self._np

    def skeleton_length_array(self) -> Any:
        """Every alias's skeleton length (up to 255): a numpy view of the mapping, for
        blocking to rank candidates in numpy (``match.blocking``); None without numpy."""
        np = numpy_module()
        if self._skel_len_np is None and np is not None:
            self._skel_len_np = np.asarray(self._skel_len)
        return self._skel_len_np

    def keys_of(self, ais: Iterable[int]) -> list[str]:
        return self._strings_of(ais, 1)

    def texts(self, ais: Iterable[int]) -> list[str]:
        return self._strings_of(ais, 0)

    def maybe_arabic(self) -> Sequence[int]:
        """Aliases whose text may be in Arabic script, in order: every one that is, and
        a few others (each to be checked). Found with numpy from the bytes that open
        Arabic letters in UTF-8, without reading each alias."""
        if numpy_module() is None or not self._n_alias:
            return range(self._n_alias)
        return rows_with_bytes(*self._arrays(), ARABIC_LEAD_BYTES, 0)

    def skeletons(self, ais: Iterable[int]) -> list[str]:
        return self._strings_of(ais, 2)

    def folds(self, ais: Iterable[int]) -> list[str]:
        return self._strings_of(ais, 3)

    def skeleton_length(self, ai: int) -> int:
        return self._skel_len[ai]

    def skeleton_lengths(self, ais: Sequence[int]) -> tuple[int, ...]:
        if len(ais) < 2:
            return tuple(self._skel_len[a] for a in ais)
        return itemgetter(*ais)(self._skel_len)  # type: ignore[no-any-return]

    def rank(self, ei: int) -> int:
        return self._rank[ei]

    def entity_type(self, ei: int) -> str:
        code = self._type[ei]
        try:
            return self._types[code]
        except IndexError:  # a code the manifest does not name
            raise self._damaged("entity_type.u8") from None

    def scripts(self, ais: Iterable[int]) -> list[str]:
        script, names = self._script, SCRIPTS
        if (cols := self._columns(ais)) is not None:
            script = cols.script[cols.at(ais)].tolist()
            ais = range(len(script))
        try:
            return [names[script[a]] for a in ais]
        except IndexError:
            raise self._damaged("alias_script.u8") from None

    def _lookup(self, table: str, key: str) -> list[int] | None:
        trie, off, post = self._tables[table]
        i = trie.get(key)
        if i is None:
            return None
        got = post[off[i] : off[i + 1]].tolist()
        if got and max(got) >= self._n_alias:  # a few entries: checked as read
            raise self._damaged(f"{table}_postings.u32")
        return got

    def exact(self, norm: str) -> Sequence[int]:
        return self._lookup("surface", norm) or ()

    def by_key(self, key: str) -> list[int]:
        return self._lookup("key", key) or []

    def has_key(self, key: str) -> bool:
        return key in self._tables["key"][0]

    def has_key_prefix(self, prefix: str) -> bool:
        """Whether some alias's key starts with ``prefix``: one walk of the key trie."""
        trie = self._tables["key"][0]
        return next(iter(trie.iterkeys(prefix)), None) is not None

    def block(self, skeleton_key: str) -> Sequence[int] | None:
        # A view of the mapped postings, not a list: of a long block blocking reads
        # only the few entries nearest the query in length.
        trie, off, post = self._tables["block"]
        i = trie.get(skeleton_key)
        if i is None:
            return None
        return post[off[i] : off[i + 1]]

    def is_alias(self, ai: int) -> bool:
        return self._alias_kind[ai] == KIND_ALIAS

    def is_short(self, ai: int) -> bool:
        return self._alias_kind[ai] == KIND_SHORT

    def is_bare(self, ai: int) -> bool:
        return self._alias_kind[ai] == KIND_BARE

    def full(self, ais: Iterable[int]) -> list[int]:
        if (cols := self._columns(ais)) is not None:
            a = cols.at(ais)
            return a[cols.kind[a] != KIND_SHORT].tolist()  # type: ignore[no-any-return]
        kind = self._alias_kind
        return [a for a in ais if kind[a] != KIND_SHORT]

    def best(self, ais: Sequence[int]) -> list[int]:
        if not ais:
            return []
        if (cols := self._columns(ais)) is not None:
            a = cols.at(ais)
            ranks = cols.rank[cols.owner[a]]
            return a[ranks == ranks.min()].tolist()  # type: ignore[no-any-return]
        rank, owner = self._rank, self._alias_entity
        top = min(rank[owner[a]] for a in ais)
        return [a for a in ais if rank[owner[a]] == top]

    def _columns(self, ais: Iterable[int]) -> Columns | None:
        """The columns in numpy, for a list of aliases long enough to pay for them (the
        key of a common surname files thousands); None for a short one or no numpy."""
        if not isinstance(ais, list) or len(ais) < _NUMPY_ROWS:
            return None
        if self._cols is None:
            np = numpy_module()
            if np is None:
                return None
            self._cols = Columns(np, self._alias_entity, self._alias_kind, self._rank, self._script)
        return self._cols

    def lower_form(self, key: str, norm: str) -> bool:
        return key in self.lower_keys and norm in self.lower_forms

    @property
    def alias_count(self) -> int:
        return self._n_alias


def open_compiled(path: str | os.PathLike[str], *, verify: bool = False) -> MappedIndex:
    """Open the compiled index directory ``path``; ``CompiledIndexError`` when it is not one."""
    return MappedIndex(path, verify=verify)
