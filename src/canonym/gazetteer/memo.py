"""The one cache policy of what resolving and normalizing keep between names.

Each stage of ``match`` and ``normalize`` memoizes pure functions of the gazetteer
index and a few strings, so a stale entry is impossible and the only question is
memory: past ``size`` entries a memo is emptied and refills with what the texts at
hand need.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["LastIndex", "Memo"]

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V]):
    """A dict that forgets everything once it holds ``size`` entries."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key: K, value: V) -> V:
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value


class LastIndex(Generic[V]):
    """What a stage builds from a gazetteer index, kept for the last index asked
    about: one gazetteer at a time in practice, and a new one rebuilds it."""

    def __init__(self, make: Callable[[Any], V]) -> None:
        self._make = make
        self._kept: tuple[Any, V] | None = None

    def __call__(self, ix: Any) -> V:
        kept = self._kept
        if kept is not None and kept[0] is ix:
            return kept[1]
        value = self._make(ix)
        self._kept = (ix, value)
        return value

    def forget(self) -> None:
        """Drop what is kept: the next call builds it again."""
        self._kept = None
