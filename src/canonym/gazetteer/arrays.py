"""numpy over a compiled index's mapped arrays, when numpy is installed.

Reach for this module to read many alias strings of a compiled index at once:
``gather`` picks their bytes out of the mapped string table in one numpy gather
and decodes them in one call, where a slice and a decode each would cost more
than the rest of a candidate's scoring. Without numpy (``numpy_module`` gives
None) an index still opens and answers, reading strings one by one.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

# Bytes of the string table scanned at a time: a mask of each stretch is all that is
# held, whatever the size of the index.
_STRETCH = 1 << 24

__all__ = ["Columns", "gather", "numpy_module", "rows_with_bytes"]


@lru_cache(maxsize=1)
def numpy_module() -> Any:
    """numpy, or None when it cannot be imported."""
    try:
        import numpy
    except ImportError:
        return None
    return numpy


class Columns:
    """numpy views of a compiled index's small columns, to read them for many aliases
    at once: each alias's entity and kind, each entity's rank, each alias's script."""

    def __init__(self, np: Any, owner: Any, kind: Any, rank: Any, script: Any) -> None:
        self._np = np
        self.owner, self.kind, self.rank, self.script = (
            np.asarray(c) if len(c) else np.zeros(0, dtype=np.uint8)
            for c in (owner, kind, rank, script)
        )

    def at(self, ais: Iterable[int]) -> Any:
        """The aliases as an array to index the columns with."""
        return self._np.asarray(ais, dtype=self._np.int64)


def gather(offsets: Any, blob: Any, ais: list[int], col: int) -> list[str]:
    """Column ``col`` of each alias in ``ais``: the UTF-8 strings of ``blob`` cut by
    ``offsets`` (four a row: text, key, skeleton, folded letters), as numpy arrays."""
    np = numpy_module()
    at = np.asarray(ais, dtype=np.int64) * 4 + col
    starts = offsets[at].astype(np.int64)
    sizes = offsets[at + 1].astype(np.int64) - starts
    # Each string's bytes and a NUL (never in a form): one gather, one decode.
    ends = np.cumsum(sizes + 1)
    shift = np.repeat(starts - (ends - sizes - 1), sizes + 1)
    at_bytes = np.arange(int(ends[-1]), dtype=np.int64) + shift
    gathered = blob[np.minimum(at_bytes, len(blob) - 1)]
    gathered[ends - 1] = 0
    raw: bytes = gathered.tobytes()
    return raw.decode("utf-8", "surrogatepass").split("\0")[:-1]


def rows_with_bytes(offsets: Any, blob: Any, wanted: Iterable[int], col: int) -> list[int]:
    """The aliases (in order) whose column ``col`` holds any byte of ``wanted``: one
    pass of numpy over the string table, where reading every string costs seconds
    at a million forms."""
    np = numpy_module()
    table = np.zeros(256, dtype=bool)
    table[list(wanted)] = True
    found = []
    for start in range(0, len(blob), _STRETCH):
        hits = np.flatnonzero(table[blob[start : start + _STRETCH]]) + start
        if len(hits):
            # The string each byte is in: four a row (text, key, skeleton, folded letters);
            # in order, so each string once (a script's every letter may be a hit).
            at = np.searchsorted(offsets, hits, side="right") - 1
            found.append(at[np.concatenate(([True], at[1:] != at[:-1]))])
    if not found:
        return []
    strings = np.unique(np.concatenate(found))
    return (strings[strings % 4 == col] // 4).tolist()  # type: ignore[no-any-return]
