"""Small columns of a compiled index, derived from its records once when it is written.

Reach for this module to answer, without reading an entity record or an alias
string, what scoring and the scanner ask of every candidate: each entity's type
(``entity_type.u8``, a code into the manifest's ``entity_types``) and each alias's
coarse script (``alias_script.u8``, a code into ``SCRIPTS``). Both are read from
what the directory already holds (the records in ``entities.sqlite``, the strings
in ``aliases.txt``), so that every way of filling a directory gets them alike.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import sqlite3
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from canonym.gazetteer.arrays import numpy_module, rows_with_bytes
from canonym.text.scripts import script_of

__all__ = ["COLUMN_FILES", "SCRIPTS", "derive_columns", "valid_types"]

SCRIPTS = ("latin", "arabic", "hebrew")  # script_of's labels, by code
COLUMN_FILES = ("entity_type.u8", "alias_script.u8")
# The first bytes in UTF-8 of every Arabic or Hebrew letter ``script_of`` knows:
# Hebrew U+0590-05FF (D6, D7), Arabic U+0600-06FF (D8-DB), U+0750-077F (DD),
# U+08A0-08FF (E0), U+FB50-FEFF (EF). An alias without any of them is Latin; one
# with some is read to tell.
_SCRIPT_LEAD_BYTES = (0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xDB, 0xDD, 0xE0, 0xEF)
_ROWS = 20_000  # entity records read at a time


def derive_columns(d: Path) -> list[str]:
    """Write the columns of the index being made in ``d``; returns the entity types, in
    the order of their codes (for the manifest)."""
    types: dict[str, int] = {}
    codes = array("B")
    db = sqlite3.connect(d / "entities.sqlite")
    try:
        for t in _types(db):
            code = types.setdefault(t, len(types))
            if code > 255:
                raise ValueError("more than 256 entity types")
            codes.append(code)
    finally:
        db.close()
    with (d / "entity_type.u8").open("wb") as fh:
        codes.tofile(fh)
    with (d / "alias_script.u8").open("wb") as fh:
        fh.write(_scripts(d))
    return list(types)


def _types(db: sqlite3.Connection) -> Iterator[str]:
    """Each entity's type, in order: the third field of its record."""
    try:
        # Read by SQLite, no record decoded in Python.
        cur = db.execute("SELECT json_extract(record, '$[2]') FROM entities ORDER BY ei")
        extracted = True
    except sqlite3.OperationalError:  # a SQLite built without its JSON functions
        cur = db.execute("SELECT record FROM entities ORDER BY ei")
        extracted = False
    while rows := cur.fetchmany(_ROWS):
        for (r,) in rows:
            yield str(r) if extracted else str(json.loads(r)[2])


def _scripts(d: Path) -> bytes:
    # Both files mapped, not read: at millions of forms they are hundreds of MiB.
    with _mapped(d / "alias_strings.u64") as raw_off, _mapped(d / "aliases.txt") as blob:
        offsets = memoryview(raw_off).cast("Q")
        n = (len(offsets) - 1) // 4
        out = bytearray(n)  # 0: latin
        np = numpy_module()
        if np is not None and n and len(blob):
            view = (np.frombuffer(raw_off, dtype=np.uint64), np.frombuffer(blob, dtype=np.uint8))
            maybe: Any = rows_with_bytes(*view, _SCRIPT_LEAD_BYTES, 0)
            del view  # the mapping closes only once no array looks into it
        else:
            maybe = range(n)
        for ai in maybe:
            raw = blob[offsets[4 * ai] : offsets[4 * ai + 1]]
            out[ai] = SCRIPTS.index(script_of(raw.decode("utf-8", "surrogatepass")))
        offsets.release()
    return bytes(out)


@contextlib.contextmanager
def _mapped(path: Path) -> Iterator[Any]:
    with path.open("rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            yield b""
            return
        m = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        yield m
    finally:
        m.close()


def valid_types(types: object) -> bool:
    """Whether a manifest's ``entity_types`` is a list of distinct strings."""
    return (
        isinstance(types, list)
        and all(isinstance(t, str) for t in types)
        and len(set(types)) == len(types) <= 256
    )
