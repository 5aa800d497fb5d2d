"""Corpus runs on a Dask cluster, for corpora one machine cannot get through.

Reach for this module when ``--scheduler tcp://host:8786`` (or
``CANONYM_SCHEDULER``) is given. The corpus is cut into partitions
(``canonym.corpus.partitions``); each worker reads its partitions itself, loads the
gazetteer index once per process, and returns compact rows. The client merges
results into the same SQLite store as a local run, in partition order, one
transaction per partition, recording the partition: a lost worker's partition is
retried by Dask and never half-counted, and a re-run skips stored partitions.

A partition never vanishes: one that fails on every retry fails the run
(``ClusterError``, after the other partitions are stored, so a re-run retries
only it), and a local path the workers cannot see fails it at once
(``InputError``): the corpus must be on a filesystem the workers share, or a URL.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from canonym.corpus.executors import SCHEDULER_ENV, DaskExecutor, scheduler_address, worker_state
from canonym.corpus.forms import Normalizers
from canonym.corpus.partitions import (
    BYTES_PER_PARTITION,
    FILES_PER_PARTITION,
    Partition,
    PathNotVisible,
    plan_partitions,
    read_partition,
)
from canonym.corpus.paths import PathFilter
from canonym.corpus.run import GazetteerSpec, RunSummary, analyze, results_key
from canonym.corpus.store import DocResult, Store
from canonym.gazetteer.core import Gazetteer
from canonym.io import InputError

__all__ = [
    "SCHEDULER_ENV",
    "ClusterError",
    "scheduler_address",
    "process_on_cluster",
    "partition_results",
    "PartitionResult",
]

_RETRIES = 3
KEPT = "; the other partitions are in the database: a re-run retries only the failed ones"


class ClusterError(RuntimeError):
    """Partitions failed on the cluster on every retry; the message names them."""


@dataclass(frozen=True)
class _Doc:
    source: str
    doc_id: str
    path: str | None
    hash: str | None
    error: str | None


@dataclass(frozen=True)
class PartitionResult:
    id: str
    docs: tuple[_Doc, ...]
    results: tuple[DocResult, ...]  # one per distinct new document, in order


def analyze_partition(part: Partition, spec: GazetteerSpec) -> PartitionResult:
    """Runs on a worker: every document of one partition."""
    normalizers = worker_state(spec, lambda: Normalizers(spec.load(), spec.forms))
    docs: list[_Doc] = []
    results: list[DocResult] = []
    seen: set[str] = set()
    for d in read_partition(part):
        if d.text is None:
            docs.append(_Doc(d.source, d.doc_id, d.path, None, d.error or "unreadable"))
            continue
        try:
            by_path = spec.forms.by_path(d.source, d.path) if spec.forms.rules else None
            h = spec.forms.document_key(d.text, by_path)
            normalizer = normalizers.get(spec.forms.forms_for(d.text, by_path))
            result = None if h in seen else analyze(d.text, normalizer, h)
        except Exception as e:  # noqa: BLE001 - one document never takes its partition down
            docs.append(_Doc(d.source, d.doc_id, d.path, None, f"{type(e).__name__}: {e}"))
            continue
        docs.append(_Doc(d.source, d.doc_id, d.path, h, None))
        if result is not None:
            seen.add(h)
            results.append(result)
    return PartitionResult(part.id, tuple(docs), tuple(results))


def partition_results(
    client: Any,
    fn: Callable[..., Any],
    parts: Sequence[Partition],
    kwargs: dict[str, Any],
    *,
    kept: str = "",
) -> Iterator[tuple[Partition, Any]]:
    """``fn(part, **kwargs)`` for every partition on the cluster, yielded in corpus order.

    ``kept`` ends the failure message: what became of the partitions that worked.

    Raises ``InputError`` as soon as a worker cannot see a local path, and
    ``ClusterError`` at the end when partitions failed on every retry: their
    documents are unknown to the client, so the run must not look complete.
    """
    futures = client.map(fn, parts, retries=_RETRIES, pure=False, **kwargs)
    failed: list[tuple[Partition, BaseException]] = []
    try:
        for part, fut in zip(parts, futures, strict=True):
            try:
                res = fut.result()
            except PathNotVisible as e:
                raise InputError(_not_visible(part, str(e))) from None
            except Exception as e:  # noqa: BLE001 - a task that failed on every retry
                failed.append((part, e))
                continue
            yield part, res
            fut.release()
    finally:
        client.cancel(futures)
    if failed:
        first, error = failed[0]
        more = f" and {len(failed) - 1} more" if len(failed) > 1 else ""
        raise ClusterError(
            f"{len(failed)} of {len(parts)} partitions failed on the cluster after {_RETRIES} "
            f"retries: {_where(first)}{more}: {type(error).__name__}: {error}{kept}"
        )


def _where(part: Partition) -> str:
    if part.kind == "lines":
        return f"{part.name(0)} bytes {part.start:,}-{part.end:,} (from line {part.first_line:,})"
    return (
        f"{part.name(0)} and {len(part.paths) - 1} more files"
        if len(part.paths) > 1
        else part.name(0)
    )


def _not_visible(part: Partition, path: str) -> str:
    return (
        f"{part.name(0)}: the Dask workers cannot see {path}: a local corpus must be on a "
        "shared filesystem every worker mounts at the same path; otherwise give a URL "
        "(s3://…, gs://…)"
    )


def connect(address: str) -> object:
    """A ``distributed.Client`` for ``address``; ``RuntimeError`` with what to do when none."""
    try:
        from distributed import Client
    except ImportError:
        raise RuntimeError("--scheduler needs Dask: pip install 'canonym[dask]'") from None
    from distributed.comm.addressing import get_address_host_port, parse_address

    # Checked before a Client exists: one built on a bad address fails as a ValueError,
    # then spends a minute closing itself at exit.
    try:
        if parse_address(address)[0] != "inproc":
            get_address_host_port(address)
    except ValueError as e:
        raise RuntimeError(
            f"{address}: not a Dask scheduler address ({e}); give one like tcp://HOST:8786"
        ) from None
    try:
        return Client(address, set_as_default=False)  # type: ignore[no-untyped-call]
    except OSError as e:  # a timeout: nothing listens there, or not a scheduler
        raise RuntimeError(
            f"{address}: cannot reach the Dask scheduler ({e}); check the address and "
            "that 'dask scheduler' runs there"
        ) from None


def process_on_cluster(
    corpus: str | Sequence[str],
    store: Store,
    spec: GazetteerSpec,
    address: str | object | DaskExecutor,
    *,
    text_field: str = "text",
    id_field: str = "id",
    progress: Callable[[int, int, int], None] | None = None,
    files_per_partition: int = FILES_PER_PARTITION,
    bytes_per_partition: int = BYTES_PER_PARTITION,
    paths: PathFilter | None = None,
    gazetteer: Gazetteer | None = None,
) -> RunSummary:
    """Analyze ``corpus`` on the cluster at ``address`` (a ``distributed.Client``, or a
    ``DaskExecutor``); ``run_corpus`` is the entry point that chooses it."""
    # The workers open the index once per process from the spec's paths; here it
    # is needed only for its fingerprint.
    store.start_run(results_key(gazetteer if gazetteer is not None else spec.load(), spec.forms))
    parts = [
        p
        for one in ([corpus] if isinstance(corpus, str) else corpus)
        for p in plan_partitions(
            one,
            text_field=text_field,
            id_field=id_field,
            files_per_partition=files_per_partition,
            bytes_per_partition=bytes_per_partition,
            paths=paths,
        )
    ]
    todo: list[Partition] = []
    for p in parts:
        if store.has_partition(p.id):
            store.add_partition_sources(p.id)  # stored before, but part of this corpus
        else:
            todo.append(p)
    store.commit()
    summary = RunSummary()
    summary.skipped_partitions = len(parts) - len(todo)
    t0 = time.perf_counter()
    own = not isinstance(address, DaskExecutor)
    executor = address if isinstance(address, DaskExecutor) else DaskExecutor(address, kept=KEPT)
    try:
        done_parts = 0
        for res in executor.map(analyze_partition, todo, {"spec": spec}):
            _merge(res, store, summary)
            done_parts += 1
            if progress is not None:
                progress(done_parts, len(todo), summary.documents)
    finally:
        if own:
            executor.close()
        summary.seconds = time.perf_counter() - t0
    return summary


def _merge(res: PartitionResult, store: Store, summary: RunSummary) -> None:
    """One partition into the store, in one transaction, with its record."""
    stored = store.has([r.hash for r in res.results])
    for r in res.results:
        if r.hash in stored:
            continue
        store.add_result(r)
        summary.processed += 1
    for d in res.docs:
        summary.documents += 1
        if d.hash is None:
            store.add_failure(d.source, d.doc_id, d.error or "unreadable")
            summary.failed.append((d.source, d.error or "unreadable"))
        else:
            store.add_source(d.source, d.doc_id, d.hash, d.path, part=res.id)
    summary.skipped += len(res.docs) - len(res.results) - sum(1 for d in res.docs if d.hash is None)
    store.add_partition(res.id, len(res.docs))
    store.commit()
