"""numpy over a compiled index's mapped arrays, when numpy is installed.

Reach for this module to read many alias strings of a compiled index at once:
``gather`` picks their bytes out of the mapped string table in one numpy gather
and decodes them in one call, where a slice and a decode each would cost more
than the rest of a candidate's scoring. Without numpy (``numpy_module`` gives
None) an index still opens and answers, reading strings one by one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["gather", "numpy_module"]


@lru_cache(maxsize=1)
def numpy_module() -> Any:
    """numpy, or None when it cannot be imported."""
    try:
        import numpy
    except ImportError:
        return None
    return numpy


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
