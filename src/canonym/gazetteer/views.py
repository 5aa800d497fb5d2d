"""Views of a compiled index that look like the in-memory index's containers.

Reach for this module through ``canonym.gazetteer.mapped``: ``Steps`` is the
scanner's step table as a mapping over a trie and a flag array, ``Entities`` every
entity in order, read from SQLite on demand (a page at a time when iterated).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol, overload

from canonym.gazetteer.entity import Entity

__all__ = ["Entities", "Steps"]

ITER_PAGE = 2_000  # entity records read at a time when iterating them all
STEPS_KEPT = 65_536  # answers of the step table kept, per index


class Records(Protocol):
    """What ``Entities`` reads through: ``MappedIndex``'s record readers."""

    def entity(self, ei: int) -> Entity: ...
    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[Any]: ...
    def _decode(self, ei: int, record: str) -> Entity: ...


class Steps(Mapping[str, int]):
    """The scanner's step table: a trie of keys and key prefixes, a flag byte per id."""

    def __init__(self, trie: Any, flags: memoryview) -> None:
        self._find = trie.get
        self._trie = trie
        self._flags = flags
        # The scanner asks for each word of a text and the words after it, and the
        # same words come back in every text (articles, particles, common names):
        # each answer met is kept, -1 for a key not filed (emptied when full).
        self._met: dict[str, int] = {}

    def get(self, key: str, default: Any = None) -> Any:
        flag = self._met.get(key)
        if flag is None:
            i = self._find(key)
            flag = -1 if i is None else self._flags[i]
            if len(self._met) >= STEPS_KEPT:
                self._met.clear()
            self._met[key] = flag
        return default if flag < 0 else flag

    def __getitem__(self, key: str) -> int:
        i = self._find(key)
        if i is None:
            raise KeyError(key)
        return self._flags[i]  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return key in self._trie

    def __iter__(self) -> Iterator[str]:
        return iter(self._trie.iterkeys())

    def __len__(self) -> int:
        return len(self._trie)


class Entities(Sequence[Entity]):
    """Every entity of the index, in order, read from SQLite on demand."""

    def __init__(self, index: Records, n: int) -> None:
        self._ix = index
        self._n = n

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> Entity: ...
    @overload
    def __getitem__(self, i: slice) -> list[Entity]: ...
    def __getitem__(self, i: int | slice) -> Entity | list[Entity]:
        if isinstance(i, slice):
            return [self._ix.entity(j) for j in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return self._ix.entity(i)

    def __iter__(self) -> Iterator[Entity]:
        # A page at a time: millions of records are never all decoded at once.
        start = 0
        while True:
            rows = self._ix._rows(
                "SELECT ei, record FROM entities WHERE ei >= ? ORDER BY ei LIMIT ?",
                (start, ITER_PAGE),
            )
            yield from (self._ix._decode(ei, record) for ei, record in rows)
            if len(rows) < ITER_PAGE:
                return
            start = rows[-1][0] + 1
