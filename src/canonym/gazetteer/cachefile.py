"""The index cache file format: an ``Index`` as plain data and back.

``dump_index`` turns an index into bytes, ``load_index`` checks and rebuilds
them; nothing but constructors runs on load, so a planted or damaged file can at
worst be a ``CacheError``. Where the files live and when they are used is
``canonym.gazetteer.cache``.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from operator import itemgetter
from typing import Any

from canonym.gazetteer.entity import (
    EMPTY_FORMS,
    ENTITY_TYPES,
    OPTIONAL_TEXT,
    Entity,
    Forms,
    Problem,
)
from canonym.gazetteer.index import KIND_BARE, Index
from canonym.names.keys import KEY_FULL, KEY_PREFIX

__all__ = ["CACHE_FORMAT", "CacheError", "dump_index", "load_index"]

CACHE_FORMAT = 18  # of the cache file; any change to what it stores bumps it

# -- the cache file -------------------------------------------------------------
#
# Plain data only: one table of strings and columns of integers, rebuilt into an
# ``Index`` by constructors, so a planted or damaged file can at worst be a miss.
# The file is a header (magic, format version, the machine's integer layout, the
# payload's length and SHA-256) and the payload: a directory of (byte length,
# item count) per part, the string table (the UTF-8 of every distinct string,
# joined by NUL), then the integer columns of ``_COLUMNS`` as array('I'). A text
# column holds positions in the string table (one past its end for None): each
# distinct string is decoded and hashed once however many tables hold it. Every
# stored number is a count or a position, so unsigned: only upper bounds need
# checking, which positions into a list do for free.

_MAGIC = b"CNYMIDX\n"
_HEADER = struct.Struct("<8sIIQ32s")
_INT = "I"
_LAYOUT = array(_INT).itemsize | (0x100 if sys.byteorder == "big" else 0)
_SEP = "\0"

_OPTIONAL = OPTIONAL_TEXT  # entities' optional text
_LISTS = ("surface_table", "key_table", "block_table")  # the dict[str, list[int]] tables
_SETS = ("lower_forms", "lower_keys", "lower_lead")
# (name, is text): text columns hold string-table positions.
_COLUMNS: tuple[tuple[str, bool], ...] = (
    ("scalars", False),  # max_pieces
    *((f"ent_{k}", True) for k in ("id", "name", "type", "names", "aliases", *_OPTIONAL)),
    ("ent_names_n", False),
    ("ent_aliases_n", False),
    ("ent_source", True),
    ("ent_line", False),
    # Per-language forms, coordinates and prior, rare and nested: one JSON text per entity
    # that has either (None for the others).
    ("ent_extra", True),
    ("entity_rank", False),
    ("alias_entity", False),
    ("alias_kind", False),
    *((f"alias_{k}", True) for k in ("text", "key", "skel", "fold")),
    *(c for k in _LISTS for c in ((f"{k}_keys", True), (f"{k}_n", False), (f"{k}_ids", False))),
    ("key_steps_keys", True),
    ("key_steps_vals", False),
    *((k, True) for k in _SETS),
    ("by_id_keys", True),
    ("by_id_vals", False),
    ("warn_file", True),
    ("warn_line", False),
    ("warn_message", True),
    ("warn_entity", True),
    ("warn_severity", True),
)


class CacheError(ValueError):
    """A cache file that is not a whole, consistent index of this format."""


def _flat(lists: Iterable[Sequence[Any]]) -> tuple[list[Any], list[int]]:
    flat: list[Any] = []
    sizes: list[int] = []
    for items in lists:
        flat.extend(items)
        sizes.append(len(items))
    return flat, sizes


def dump_index(ix: Index) -> bytes:
    """The cache file's bytes for ``ix``; ValueError or OverflowError when it cannot be stored."""
    ents = ix.entities
    cols: dict[str, Sequence[Any]] = {"scalars": [ix.max_pieces]}
    for k in ("id", "name", "type", "source", "line", *_OPTIONAL):
        cols[f"ent_{k}"] = [getattr(e, k) for e in ents]
    cols["ent_names"], cols["ent_names_n"] = _flat(e.names for e in ents)
    cols["ent_aliases"], cols["ent_aliases_n"] = _flat(e.aliases for e in ents)
    cols["ent_extra"] = [_extra_json(e) for e in ents]
    for k in ("entity_rank", "alias_entity", "alias_kind"):
        cols[k] = getattr(ix, k)
    for k in ("text", "key", "skel", "fold"):
        cols[f"alias_{k}"] = getattr(ix, f"alias_{k}")
    for k in _LISTS:
        table: dict[str, list[int]] = getattr(ix, k)
        cols[f"{k}_keys"] = list(table)
        cols[f"{k}_ids"], cols[f"{k}_n"] = _flat(table.values())
    cols["key_steps_keys"], cols["key_steps_vals"] = list(ix.key_steps), list(ix.key_steps.values())
    for k in _SETS:
        cols[k] = sorted(getattr(ix, k))
    cols["by_id_keys"], cols["by_id_vals"] = list(ix.by_id), list(ix.by_id.values())
    for k in ("file", "line", "message", "entity", "severity"):
        cols[f"warn_{k}"] = [getattr(p, k) for p in ix.warnings]

    strings: dict[str, int] = {}
    for name, text in _COLUMNS:
        if text:
            for s in cols[name]:
                if s is not None:
                    strings.setdefault(s, len(strings))
    where: dict[str | None, int] = {None: len(strings)}
    where.update(strings)
    columns: list[bytes] = []
    directory = array("q")
    for name, text in _COLUMNS:
        values = cols[name]
        if text:
            values = [where[s] for s in values]
        chunk = array(_INT, values).tobytes()  # OverflowError: a negative or huge number
        directory.extend((len(chunk), len(values)))
        columns.append(chunk)
    order = list(strings)  # in order of position
    joined = _SEP.join(order)
    if joined.count(_SEP) != max(len(order) - 1, 0):
        raise ValueError("a name holds a NUL character")
    blob = joined.encode("utf-8", "surrogatepass")
    head = array("q", (len(blob), len(order), *directory))
    payload = head.tobytes() + blob + b"".join(columns)
    digest = hashlib.sha256(payload).digest()
    return _HEADER.pack(_MAGIC, CACHE_FORMAT, _LAYOUT, len(payload), digest) + payload


def _extra_json(e: Entity) -> str | None:
    if not e.forms and e.coordinates is None and e.prior is None:
        return None
    forms = [[lang, list(texts)] for lang, texts in e.forms.items()]
    return json.dumps([forms, e.coordinates, e.prior])


def _extras(
    column: list[str | None],
) -> tuple[list[Forms], list[tuple[float, float] | None], list[float | None]]:
    """The ``forms``, ``coordinates`` and ``prior`` of each entity from its ``ent_extra`` text."""
    forms: list[Forms] = []
    coords: list[tuple[float, float] | None] = []
    priors: list[float | None] = []
    for text in column:
        if text is None:
            forms.append(EMPTY_FORMS)
            coords.append(None)
            priors.append(None)
            continue
        try:
            raw_forms, raw_coords, raw_prior = json.loads(text)
            forms.append(Forms((str(lang), tuple(map(str, ts))) for lang, ts in raw_forms))
            coords.append(
                None if raw_coords is None else (float(raw_coords[0]), float(raw_coords[1]))
            )
            priors.append(None if raw_prior is None else float(raw_prior))
        except (ValueError, TypeError, IndexError):
            raise CacheError("bad entity extra") from None
    return forms, coords, priors


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise CacheError(what)


def _pick(table: list[Any], positions: array[int]) -> list[Any]:
    """``[table[i] for i in positions]``, faster: itemgetter looks them all up in one C loop."""
    if len(positions) > 1:
        return list(itemgetter(*positions)(table))
    return [table[i] for i in positions]  # itemgetter of one position returns no tuple


def _below(values: list[int], bound: int, what: str) -> None:
    """Every (unsigned) value under ``bound``; on lists, where max() runs faster than on arrays."""
    _check(not values or max(values) < bound, f"{what} out of range")


def load_index(data: bytes) -> Index:
    """The ``Index`` stored in ``data`` by ``dump_index``; ``CacheError`` if it is not one.

    The checksum is verified before anything is parsed, then every column's length
    and every stored position, so that what loads is what was dumped or nothing.
    """
    _check(len(data) >= _HEADER.size, "truncated header")
    magic, version, layout, size, digest = _HEADER.unpack_from(data)
    _check(magic == _MAGIC, "not a canonym index cache")
    _check(version == CACHE_FORMAT and layout == _LAYOUT, f"format {version}, not {CACHE_FORMAT}")
    payload = memoryview(data)[_HEADER.size :]
    _check(len(payload) == size, "truncated or extended")
    _check(hashlib.sha256(payload).digest() == digest, "checksum mismatch")

    head = array("q")
    head_size = (2 + 2 * len(_COLUMNS)) * head.itemsize
    _check(len(payload) >= head_size, "truncated directory")
    head.frombytes(payload[:head_size])
    blob_size, n_strings = head[0], head[1]
    _check(0 <= blob_size <= len(payload) - head_size, "bad string table extent")
    pos = head_size + blob_size
    if n_strings:
        strings = bytes(payload[head_size:pos]).decode("utf-8", "surrogatepass").split(_SEP)
    else:
        _check(blob_size == 0, "bad string table")
        strings = []
    _check(len(strings) == n_strings, "bad string table")
    # Past the end of ``strings`` is an IndexError; of ``nullable_strings``, None.
    nullable_strings = [*strings, None]
    ints: dict[str, list[int]] = {}
    texts: dict[str, list[str]] = {}
    optional: dict[str, list[str | None]] = {}
    keys: dict[str, array[int]] = {}  # of dict tables: looked up as the table is built
    nullable = {f"ent_{k}" for k in _OPTIONAL} | {"warn_entity", "ent_extra"}
    keyed = {f"{k}_keys" for k in (*_LISTS, "key_steps", "by_id")}
    for i, (name, is_text) in enumerate(_COLUMNS):
        nbytes, count = head[2 + 2 * i], head[3 + 2 * i]
        col = array(_INT)
        _check(0 <= nbytes == count * col.itemsize <= len(payload) - pos, f"bad extent of {name}")
        col.frombytes(payload[pos : pos + nbytes])
        pos += nbytes
        try:
            if not is_text:
                ints[name] = col.tolist()
            elif name in keyed:
                keys[name] = col
            elif name in nullable:
                optional[name] = _pick(nullable_strings, col)
            else:
                texts[name] = _pick(strings, col)
        except IndexError:
            raise CacheError(f"{name} out of range") from None
    _check(pos == len(payload), "trailing bytes")

    def same(size: int, *names: str) -> None:
        for name in names:
            col = texts.get(name, optional.get(name, ints.get(name, keys.get(name))))
            _check(col is not None and len(col) == size, f"bad length of {name}")

    def grouped(flat: Sequence[Any], sizes: list[int], what: str) -> Iterator[Any]:
        _check(sum(sizes) == len(flat), f"bad sizes in {what}")
        ends = list(accumulate(sizes))
        parts = map(slice, [0, *ends], ends)
        if len(ends) > 1:
            return iter(itemgetter(*parts)(flat))
        return map(flat.__getitem__, parts)

    def table(name: str, values: Iterable[Any]) -> dict[str, Any]:
        """A dict from a key column and its values, built in one pass."""
        try:
            out = dict(zip(_pick(strings, keys[name]), values, strict=True))
        except (IndexError, ValueError):  # a position past the table; lengths that differ
            raise CacheError(f"{name} out of range or of the wrong length") from None
        _check(len(out) == len(keys[name]), f"repeated key in {name}")
        return out

    n_ent, n_alias = len(texts["ent_id"]), len(texts["alias_text"])
    same(1, "scalars")
    same(n_ent, "ent_name", "ent_type", "ent_names_n", "ent_aliases_n", "ent_source", "ent_line")
    same(n_ent, "entity_rank", "ent_extra", *(f"ent_{k}" for k in _OPTIONAL))
    forms, coordinates, priors = _extras(optional["ent_extra"])
    same(n_alias, "alias_entity", "alias_kind", "alias_key", "alias_skel", "alias_fold")
    _below(ints["alias_entity"], n_ent, "alias_entity")
    _below(ints["alias_kind"], KIND_BARE + 1, "alias_kind")
    _below(ints["by_id_vals"], n_ent, "by_id")
    _check(set(texts["ent_type"]) <= set(ENTITY_TYPES), "unknown entity type")

    entities = list(
        map(
            Entity,
            texts["ent_id"],
            texts["ent_name"],
            texts["ent_type"],
            grouped(tuple(texts["ent_names"]), ints["ent_names_n"], "names"),
            grouped(tuple(texts["ent_aliases"]), ints["ent_aliases_n"], "aliases"),
            *(optional[f"ent_{k}"] for k in _OPTIONAL),
            texts["ent_source"],
            ints["ent_line"],
            forms,
            coordinates,
            priors,
        )
    )
    ix = Index(entities=entities, entity_rank=ints["entity_rank"])
    ix.alias_entity, ix.alias_kind = ints["alias_entity"], ints["alias_kind"]
    ix.alias_text, ix.alias_key = texts["alias_text"], texts["alias_key"]
    ix.alias_skel, ix.alias_fold = texts["alias_skel"], texts["alias_fold"]
    for k in _LISTS:
        ids = ints[f"{k}_ids"]
        _below(ids, n_alias, k)
        setattr(ix, k, table(f"{k}_keys", grouped(ids, ints[f"{k}_n"], k)))
    steps = ints["key_steps_vals"]
    _check(not steps or min(steps) >= KEY_FULL, "bad key_steps")
    _below(steps, (KEY_FULL | KEY_PREFIX) + 1, "key_steps")
    ix.key_steps = table("key_steps_keys", steps)
    ix.lower_forms, ix.lower_keys, ix.lower_lead = (set(texts[k]) for k in _SETS)
    ix.max_pieces = ints["scalars"][0]
    ix.by_id = table("by_id_keys", ints["by_id_vals"])
    same(len(texts["warn_file"]), "warn_line", "warn_message", "warn_entity", "warn_severity")
    _check(set(texts["warn_severity"]) <= {"error", "warning"}, "unknown severity")
    ix.warnings = list(
        map(
            Problem,
            texts["warn_file"],
            ints["warn_line"],
            texts["warn_message"],
            optional["warn_entity"],
            texts["warn_severity"],
        )
    )
    return ix
