"""Keying the forms of a compile in worker processes, the answers taken in order.

Reach for this module when millions of forms are to be keyed: ``describe`` (name
key, skeleton, blocks, folded letters of one form) is most of a compile's time
and depends on the form alone, so ``Keyer`` hands chunks of forms to worker
processes while the compile reads on, and gives the chunks back in the order
they were handed in: the index is the same whatever the number of workers. At
most ``AHEAD`` chunks a worker are in flight, so memory stays bounded however
fast the sources are read. With one job, or a compile smaller than a chunk,
the forms are keyed in the compile's own process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from multiprocessing.pool import AsyncResult, Pool
from typing import Generic, TypeVar

from canonym.gazetteer.index import describe

__all__ = ["CHUNK", "Form", "Keyer", "Row", "default_jobs", "describe_all"]

T = TypeVar("T")
Form = tuple[str, int, bool]  # text, kind, key only: as ``alias_forms`` gives them
# An ``Alias`` as a plain tuple, its blocks a tuple: what a worker sends back costs
# a fraction of the named tuple and frozenset to unpickle.
Row = tuple[str, int, str, str, str, str | None, str | None, bool, tuple[str, ...]]
CHUNK = 4_000  # forms a worker keys at a time: large enough to pay for the round trip
AHEAD = 4  # chunks in flight per worker


def default_jobs() -> int:
    """Worker processes for keying: one per processor, two at most (the compile's own
    process reads the sources and fills the tables meanwhile)."""
    return max(1, min(2, os.cpu_count() or 1))


def describe_all(forms: list[Form]) -> list[Row | None]:
    """``describe`` of each form, in order, as plain tuples (``Row``)."""
    out: list[Row | None] = []
    for text, kind, key_only in forms:
        a = describe(text, kind, key_only)
        out.append(None if a is None else (*a[:8], tuple(a.blocks)))
    return out


class Keyer(Generic[T]):
    """Chunks of forms keyed by ``jobs`` workers; ``put`` and ``finish`` give back each
    chunk's item with its aliases, in the order the chunks were put."""

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = jobs
        self._pool: Pool | None = None
        self._started = False
        self._pending: deque[tuple[T, AsyncResult[list[Row | None]]]] = deque()

    def put(self, item: T, forms: list[Form]) -> Iterator[tuple[T, list[Row | None]]]:
        """Hand in one chunk; yields the chunks that are due, oldest first."""
        if self.jobs <= 1 or not self._started:
            # The first chunk in this process: a compile of one chunk starts no worker.
            self._started = True
            yield item, describe_all(forms)
            return
        if self._pool is None:
            # Forked where it can be: the workers start with the key rules loaded.
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._pool = ctx.Pool(self.jobs)
        self._pending.append((item, self._pool.apply_async(describe_all, (forms,))))
        while len(self._pending) > AHEAD * self.jobs:
            done, result = self._pending.popleft()
            yield done, result.get()

    def finish(self) -> Iterator[tuple[T, list[Row | None]]]:
        """The chunks still in flight, in order."""
        while self._pending:
            done, result = self._pending.popleft()
            yield done, result.get()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        self._pending.clear()
