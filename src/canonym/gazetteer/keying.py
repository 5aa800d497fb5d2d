"""Reading and keying the lines of JSON-lines gazetteers in worker processes, in order.

Reach for this module when millions of forms are to be compiled: checking a line's
fields and keying its forms (``describe``'s rows, by ``canonym.gazetteer.describing``:
name key, skeleton, blocks, folded letters) are most of a compile's time, and
depend on the line alone. ``Keyer``
hands batches of lines to worker processes while the compile files what came
back, and gives the lines back in file order with their problems, so that the
index is the same whatever the number of workers. At most ``AHEAD`` batches a
worker are in flight: memory stays bounded however large the file. With one job,
or a file of one batch, the lines are read in the compile's own process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any, NamedTuple

from canonym.gazetteer.compiled import entity_from_record, entity_record
from canonym.gazetteer.describing import Describer, Row
from canonym.gazetteer.entity import Entity, Overlay, Problem
from canonym.gazetteer.files import open_lines, read_line
from canonym.gazetteer.index import alias_forms, step_flags
from canonym.names.keys import KEY_PREFIX
from canonym.text.normalize import surface_norm

__all__ = ["LINES", "Filed", "Keyed", "Keyer", "Prepared", "default_jobs", "filed", "prepare"]

# A form as the compile files it: its columns (text, key, skeleton, folded letters)
# encoded in one string of bytes with their ends, kind, key, skeleton length (255
# at most), lead, surface, lower, blocks, and the key's shorter prefixes (the
# scanner's steps before the key itself).
Filed = tuple[
    bytes,
    tuple[int, int, int, int],
    int,
    str,
    int,
    str | None,
    str | None,
    bool,
    tuple[str, ...],
    tuple[str, ...],
]
# What the compile files of one entity: its forms described (None: no key), its
# record, and the surface forms it claims.
Prepared = tuple[list[Filed | None], str, list[str]]
Entry = Entity | Overlay
LINES = 1_000  # lines a worker reads at a time: large enough to pay for the round trip
AHEAD = 4  # batches in flight per worker
# Each process's own: in a worker, tables of the words its batches met.
_DESCRIBER = Describer()


def default_jobs() -> int:
    """Worker processes: one per processor, two at most (the compile's own process
    files what they send back meanwhile)."""
    return max(1, min(2, os.cpu_count() or 1))


def prepare(e: Entity) -> Prepared:
    """What the compile files of ``e``, but for its place in the index."""
    rows: list[Filed | None] = []
    row = _DESCRIBER.row
    for text, kind, key_only in alias_forms(e):
        rows.append(filed(row(text, kind, key_only)))
    claims = list(dict.fromkeys(surface_norm(t) for t in e.known_forms))
    return rows, entity_record(e), claims


def filed(a: Row | None) -> Filed | None:
    """A row as the compile files it: its four columns encoded, with their ends."""
    if a is None:
        return None
    text, kind, key, skel, fold, lead, norm, lower, blocks = a
    raws = [col.encode("utf-8", "surrogatepass") for col in (text, key, skel, fold)]
    e1 = len(raws[0])
    e2 = e1 + len(raws[1])
    e3 = e2 + len(raws[2])
    ends = (e1, e2, e3, e3 + len(raws[3]))
    prefixes = tuple(k for k, flag in step_flags(key) if flag == KEY_PREFIX) if " " in key else ()
    return b"".join(raws), ends, kind, key, min(len(skel), 255), lead, norm, lower, blocks, prefixes


class Keyed(NamedTuple):
    """An entity as a worker sends it back: what the compile reads of it, its record
    standing for the rest (an entity costs ten times its record to unpickle)."""

    id: str
    source: str
    line: int
    record: str

    def entity(self) -> Entity:
        return entity_from_record(self.record)


def _read_batch(
    path: str, first: int, lines: list[bytes]
) -> list[tuple[Entry | Keyed | None, list[Problem], Prepared | None]]:
    out: list[tuple[Entry | Keyed | None, list[Problem], Prepared | None]] = []
    p = Path(path)
    for n, raw in enumerate(lines, first):
        problems: list[Problem] = []
        entry = read_line(p, n, raw, problems)
        if isinstance(entry, Entity):
            prepared = prepare(entry)
            out.append((Keyed(entry.id, entry.source, entry.line, prepared[1]), problems, prepared))
        else:
            out.append((entry, problems, None))
    return out


class Keyer:
    """JSON-lines files read by ``jobs`` worker processes, line by line in order."""

    def __init__(self, jobs: int = 1, lines: int = LINES) -> None:
        self.jobs = jobs
        self.lines = lines
        self._pool: Pool | None = None

    def read(
        self, path: Path, problems: list[Problem]
    ) -> Iterator[tuple[Entry | Keyed, Prepared | None]]:
        """The entries of a JSON-lines file (as ``read_entries``, whose problems go to
        ``problems`` in line order), each entity with what ``prepare`` makes of it
        (then the entity as ``Keyed``)."""
        fh = open_lines(path, problems)
        if fh is None:
            return
        pending: deque[AsyncResult[Any] | list[Any]] = deque()
        with fh:
            first = 1
            while batch := _take(fh, self.lines):
                if self.jobs <= 1 or first == 1:
                    # The first batch in this process: a file of one batch starts no worker.
                    pending.append(_read_batch(str(path), first, batch))
                else:
                    pending.append(
                        self._start().apply_async(_read_batch, (str(path), first, batch))
                    )
                first += len(batch)
                while len(pending) > AHEAD * self.jobs:
                    yield from _done(pending.popleft(), problems)
            while pending:
                yield from _done(pending.popleft(), problems)

    def _start(self) -> Pool:
        if self._pool is None:
            # Forked where it can be: the workers start with the key rules loaded.
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._pool = ctx.Pool(self.jobs, initializer=_worker_signals)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def _worker_signals() -> None:
    # Nor does a worker make cycles: the collector's passes over its tables of words
    # would be a fifth of its time (forked, it has the compile's setting already).
    gc.disable()
    # A forked worker has the compile's handlers, which would report the compile
    # stopped once per worker when the pool is ended: the compile's process stops
    # them (Ctrl-C reaches the whole group: the compile's process answers it).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)


def _take(fh: Any, n: int) -> list[bytes]:
    out = []
    for raw in fh:
        out.append(raw)
        if len(out) >= n:
            break
    return out


def _done(
    batch: AsyncResult[Any] | list[Any], problems: list[Problem]
) -> Iterator[tuple[Entry | Keyed, Prepared | None]]:
    got = batch if isinstance(batch, list) else batch.get()
    for entry, mine, prepared in got:
        problems.extend(mine)
        if entry is not None:
            yield entry, prepared
