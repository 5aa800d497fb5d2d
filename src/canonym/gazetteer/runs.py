"""Tables built in bounded memory: sorted runs on disk, merged into a trie and arrays.

Reach for this module to build a key -> integers table too large to hold: a
``SpillTable`` keeps entries in memory until ``spill`` writes them, sorted by key,
as one run file; ``merged`` reads every run back in key order, the integers of one
key joined in the order they were added (each run holds later entries than the
one before). ``write_postings`` turns that stream into the files of a compiled
index: a marisa-trie of the keys and, in the order of the trie's ids, the offsets
and postings arrays.
"""

from __future__ import annotations

import heapq
import mmap
import struct
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

__all__ = ["SpillTable", "write_postings", "write_array"]

_HEAD = struct.Struct("<II")  # key bytes, integer count
_LENGTH = struct.Struct("<I")  # a key's bytes, in the scratch file of keys
_ONE = struct.Struct("=I")  # the one integer of a key, in the byte order of an array
_BUFFER = 1 << 20


class SpillTable:
    """A table of key -> unsigned 32-bit integers, spilled to sorted runs under ``folder``."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.name = name
        self.entries = 0  # held in memory now
        # A missing key's list is made in C: this is the compile's busiest line.
        self._mem: defaultdict[str, list[int]] = defaultdict(list)
        self._runs: list[Path] = []

    def add(self, key: str, value: int) -> None:
        self._mem[key].append(value)
        self.entries += 1

    def add_all(self, keys: Sequence[str], value: int) -> None:
        """``add`` of each key with one value: one call for the many blocks of a form."""
        mem = self._mem
        for key in keys:
            mem[key].append(value)
        self.entries += len(keys)

    def mark_all(self, flags: Iterable[tuple[str, int]]) -> None:
        """``mark`` of each (key, flag)."""
        mem = self._mem
        for key, flag in flags:
            got = mem.get(key)
            if got is None:
                mem[key] = [flag]
                self.entries += 1
            else:
                got[0] |= flag

    def mark(self, key: str, flag: int = 0) -> None:
        """Set ``flag`` on ``key``: one integer a key, the OR of every flag it was given."""
        got = self._mem.get(key)
        if got is None:
            self._mem[key] = [flag]
            self.entries += 1
        else:
            got[0] |= flag

    def spill(self) -> None:
        """Write what is held as one run, sorted by key, and forget it."""
        if not self._mem:
            return
        path = self.folder / f"{self.name}-{len(self._runs)}.run"
        pack, one = _HEAD.pack, _ONE.pack
        with path.open("wb") as fh:
            parts: list[bytes] = []
            # Most keys of a run have one integer (a block, a surface): packed as such.
            mem = self._mem
            for key in sorted(mem):  # strings sort faster than (key, values) pairs
                vals = mem[key]
                kb = key.encode("utf-8", "surrogatepass")
                if len(vals) == 1:
                    parts += (pack(len(kb), 1), kb, one(vals[0]))
                else:
                    parts += (pack(len(kb), len(vals)), kb, array("I", vals).tobytes())
                if len(parts) >= 3 << 14:  # written a megabyte or so at a time
                    fh.write(b"".join(parts))
                    parts = []
            fh.write(b"".join(parts))
        self._runs.append(path)
        self._mem = defaultdict(list)
        self.entries = 0

    def merged(self) -> Iterator[tuple[str, array[int]]]:
        """Every key in sorted order with all its integers, in the order added."""
        if not self._runs:  # it all fitted: no file written nor read
            mem, self._mem, self.entries = self._mem, defaultdict(list), 0
            for key in sorted(mem):
                yield key, array("I", mem.pop(key))
            return
        self.spill()
        streams = [_read_run(p, i) for i, p in enumerate(self._runs)]
        last: str | None = None
        vals = array("I")
        for k, _, chunk in heapq.merge(*streams):
            if k != last:
                if last is not None:
                    yield last, vals
                last, vals = k, array("I")
            vals.frombytes(chunk)
        if last is not None:
            yield last, vals
        for p in self._runs:
            p.unlink()
        self._runs = []


def _read_run(path: Path, n: int) -> Iterator[tuple[str, int, bytes]]:
    # The run's number breaks ties between runs: the same key's integers in run order.
    with path.open("rb", buffering=_BUFFER) as fh:
        read, unpack, size = fh.read, _HEAD.unpack, _HEAD.size
        while head := read(size):
            klen, count = unpack(head)
            key = read(klen).decode("utf-8", "surrogatepass")
            yield key, n, read(4 * count)


def write_array(path: Path, typecode: str, values: array[int] | bytes) -> None:
    with path.open("wb") as fh:
        fh.write(values if isinstance(values, bytes) else values.tobytes())


def write_postings(
    folder: Path,
    name: str,
    items: Iterator[tuple[str, array[int]]],
    *,
    postings: bool = True,
    arrange: Callable[[array[int]], array[int]] | None = None,
    flags: bool = False,
) -> int:
    """Write ``items`` (keys in sorted order) as ``name.marisa`` and, in trie-id order,
    ``name_offsets.u64`` and ``name_postings.u32`` (``postings``) or one byte a key,
    the OR of its integers, as ``name.u8`` (``flags``); returns the number of keys.

    The keys are written to a scratch file as the trie takes them, and each key's
    integers to another, so that only the trie and a few integers a key are held.
    """
    import marisa_trie

    keys_path = folder / f".{name}.keys"
    vals_path = folder / f".{name}.vals"
    lengths = array("I")
    with (
        keys_path.open("wb", buffering=_BUFFER) as kf,
        vals_path.open("wb", buffering=_BUFFER) as vf,
    ):

        def keys() -> Iterator[str]:
            kparts: list[bytes] = []
            vparts: list[bytes] = []
            pack = _LENGTH.pack
            for key, vals in items:
                kb = key.encode("utf-8", "surrogatepass")
                kparts += (pack(len(kb)), kb)
                if arrange is not None:
                    vals = arrange(vals)
                if flags:
                    bits = 0
                    for v in vals:
                        bits |= v
                    vparts.append(bytes((bits,)))
                elif postings:
                    vparts.append(vals.tobytes())
                lengths.append(len(vals))
                if len(kparts) >= 1 << 15:  # written a few hundred kilobytes at a time
                    kf.write(b"".join(kparts))
                    vf.write(b"".join(vparts))
                    kparts, vparts = [], []
                yield key
            kf.write(b"".join(kparts))
            vf.write(b"".join(vparts))

        trie = marisa_trie.Trie(keys())
    trie.save(str(folder / f"{name}.marisa"))
    n = len(lengths)
    ids = array("I", bytes(4 * n))  # sorted position -> trie id
    raw = keys_path.read_bytes() if n else b""
    unpack, key_id, at = _LENGTH.unpack_from, trie.key_id, 0
    for pos in range(n):
        (klen,) = unpack(raw, at)
        at += 4 + klen
        ids[pos] = key_id(raw[at - klen : at].decode("utf-8", "surrogatepass"))
    del raw
    del trie
    keys_path.unlink()
    if flags:
        by_id = bytearray(n)
        sorted_flags = vals_path.read_bytes()
        for pos in range(n):
            by_id[ids[pos]] = sorted_flags[pos]
        write_array(folder / f"{name}.u8", "B", bytes(by_id))
    elif postings:
        _place(folder, name, vals_path, ids, lengths)
    vals_path.unlink()
    return n


def _place(folder: Path, name: str, vals_path: Path, ids: array[int], lengths: array[int]) -> None:
    """Postings in key order (``vals_path``) rewritten in trie-id order, with their offsets."""
    n = len(ids)
    by_id = array("I", bytes(4 * n))
    for pos in range(n):
        by_id[ids[pos]] = lengths[pos]
    offsets = array("Q", [0])
    total = 0
    for length in by_id:
        total += length
        offsets.append(total)
    del by_id
    write_array(folder / f"{name}_offsets.u64", "Q", offsets)
    out_path = folder / f"{name}_postings.u32"
    with out_path.open("wb") as fh:
        fh.truncate(4 * total)
    if not total:
        return
    with out_path.open("r+b") as out_fh, vals_path.open("rb") as in_fh:
        out_map = mmap.mmap(out_fh.fileno(), 0)
        in_map = mmap.mmap(in_fh.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            out, src = memoryview(out_map).cast("I"), memoryview(in_map).cast("I")
            at = 0
            for pos in range(n):
                length = lengths[pos]
                start = offsets[ids[pos]]
                out[start : start + length] = src[at : at + length]
                at += length
            out.release()
            src.release()
        finally:
            out_map.close()
            in_map.close()
