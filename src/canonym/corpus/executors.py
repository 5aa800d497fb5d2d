"""Where corpus work runs: local processes or a Dask cluster, behind one interface.

Reach for this module to run a function over the units of a corpus (windows of
documents, or partitions) and get the results back in corpus order. The runners
never ask where they run: ``executor_for`` chooses from the options, and each
worker process keeps what it loads (a gazetteer index, a translation model) in
``worker_state``, once per process whichever executor sent the work.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Hashable, Iterator, Sequence
from functools import partial
from typing import Any, Protocol, TypeVar

__all__ = [
    "SCHEDULER_ENV",
    "Executor",
    "LocalExecutor",
    "DaskExecutor",
    "executor_for",
    "scheduler_address",
    "worker_state",
    "remember",
    "forget",
]

SCHEDULER_ENV = "CANONYM_SCHEDULER"
T = TypeVar("T")

_state: dict[Hashable, Any] = {}


def worker_state(key: Hashable, load: Callable[[], T]) -> T:
    """What this process loaded for ``key`` (a spec), loaded on first use."""
    if key not in _state:
        _state[key] = load()
    return _state[key]  # type: ignore[no-any-return]


def remember(key: Hashable, value: object) -> None:
    """Give this process (and local workers forked from it) ``value`` for ``key``."""
    _state[key] = value


def forget(key: Hashable) -> None:
    """Drop what this process holds for ``key``: the next use loads it again."""
    _state.pop(key, None)


class Executor(Protocol):
    """Runs ``fn(item, **kwargs)`` for every item, yielding results in item order."""

    distributed: bool  # items must be partitions a remote worker can read itself

    def map(
        self, fn: Callable[..., Any], items: Sequence[Any], kwargs: dict[str, Any]
    ) -> Iterator[Any]: ...

    def close(self) -> None: ...


class LocalExecutor:
    """Processes on this machine: ``jobs`` of them, or this process alone for 1."""

    distributed = False

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self._pool: Any = None

    def map(
        self, fn: Callable[..., Any], items: Sequence[Any], kwargs: dict[str, Any]
    ) -> Iterator[Any]:
        """The results of ``fn`` over ``items``, in order. With worker processes the work
        is sent when ``map`` is called, not when the results are first read: a caller
        that sends the next window before storing this one keeps the workers busy
        while it writes."""
        if self.jobs == 1:
            return (fn(item, **kwargs) for item in items)
        if self._pool is None:  # forked when first needed: workers inherit worker_state
            ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
            self._pool = ctx.Pool(self.jobs)
        # A few chunks a worker: enough to even out long documents, few enough that
        # sending them costs nothing beside the analysis.
        chunk = max(1, -(-len(items) // (self.jobs * 4)))
        pending = self._pool.map_async(partial(fn, **kwargs), items, chunksize=chunk)
        return _Pending(pending)

    @property
    def started(self) -> bool:
        """Whether the worker processes are running (forked at the first ``map``)."""
        return self._pool is not None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


class _Pending(Iterator[Any]):
    """The results of work sent to the pool, read when first asked for."""

    def __init__(self, pending: Any) -> None:
        self._pending = pending
        self._results: Iterator[Any] | None = None

    def ready(self) -> bool:
        return bool(self._pending.ready())

    def __next__(self) -> Any:
        if self._results is None:
            self._results = iter(self._pending.get())
        return next(self._results)


class DaskExecutor:
    """A Dask cluster, at a scheduler address or through a ``distributed.Client``.

    ``kept`` ends the failure message: what became of the partitions that worked.
    """

    distributed = True

    def __init__(self, address: str | object, *, kept: str = "") -> None:
        from canonym.corpus.cluster import connect

        self._own = isinstance(address, str)
        self.client = connect(address) if isinstance(address, str) else address
        self.kept = kept

    def map(
        self, fn: Callable[..., Any], items: Sequence[Any], kwargs: dict[str, Any]
    ) -> Iterator[Any]:
        from canonym.corpus.cluster import partition_results

        for _, result in partition_results(self.client, fn, items, kwargs, kept=self.kept):
            yield result

    def close(self) -> None:
        if self._own:
            self.client.close()  # type: ignore[attr-defined]


def scheduler_address(option: str | None) -> str | None:
    return option or os.environ.get(SCHEDULER_ENV) or None


def executor_for(
    *, jobs: int | None = None, scheduler: str | object | None = None, kept: str = ""
) -> Executor:
    """A Dask executor when a scheduler (an address or a ``distributed.Client``) is
    given, else local processes. ``scheduler_address`` reads ``CANONYM_SCHEDULER``
    for a command line; a library call runs where it says."""
    if scheduler is not None:
        return DaskExecutor(scheduler, kept=kept)
    return LocalExecutor(jobs)
