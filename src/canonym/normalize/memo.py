"""The one cache policy of the normalizer's stages.

Every stage memoizes pure functions of the gazetteer and a few strings, so a
stale entry is impossible and the only question is memory: past ``size``
entries a memo is emptied and refills with what the texts at hand need.
"""

from __future__ import annotations

from typing import TypeVar

__all__ = ["Memo"]

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
