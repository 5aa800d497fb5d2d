"""Corpus runs on a Dask cluster, for corpora one machine cannot get through.

Reach for this module when ``--scheduler tcp://host:8786`` (or
``CANONYM_SCHEDULER``) is given. The corpus is cut into partitions
(``canonym.partitions``); each worker reads its partitions itself, loads the
gazetteer index once per process, and returns compact rows. The client merges
results into the same SQLite store as a local run, in partition order, one
transaction per partition, recording the partition: a lost worker's partition is
retried by Dask and never half-counted, and a re-run skips stored partitions.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from canonym.corpus import content_hash
from canonym.normalize import Normalizer
from canonym.partitions import (
    BYTES_PER_PARTITION,
    FILES_PER_PARTITION,
    Partition,
    plan_partitions,
    read_partition,
)
from canonym.pipeline import GazetteerSpec, RunSummary, analyze, results_key
from canonym.store import DocResult, Store

__all__ = ["SCHEDULER_ENV", "scheduler_address", "process_on_cluster", "PartitionResult"]

SCHEDULER_ENV = "CANONYM_SCHEDULER"
_RETRIES = 3


def scheduler_address(option: str | None) -> str | None:
    return option or os.environ.get(SCHEDULER_ENV) or None


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


_normalizers: dict[GazetteerSpec, Normalizer] = {}


def analyze_partition(part: Partition, spec: GazetteerSpec) -> PartitionResult:
    """Runs on a worker: every document of one partition."""
    normalizer = _normalizers.get(spec)
    if normalizer is None:  # once per worker process, not per task
        normalizer = _normalizers[spec] = Normalizer(spec.load())
    docs: list[_Doc] = []
    results: list[DocResult] = []
    seen: set[str] = set()
    for d in read_partition(part):
        if d.text is None:
            docs.append(_Doc(d.source, d.doc_id, d.path, None, d.error or "unreadable"))
            continue
        h = content_hash(d.text)
        docs.append(_Doc(d.source, d.doc_id, d.path, h, None))
        if h not in seen:
            seen.add(h)
            results.append(analyze(d.text, normalizer, h))
    return PartitionResult(part.id, tuple(docs), tuple(results))


def _client(address: str) -> object:
    try:
        from distributed import Client
    except ImportError:
        raise RuntimeError("--scheduler needs Dask: pip install 'canonym[dask]'") from None
    return Client(address, set_as_default=False)  # type: ignore[no-untyped-call]


def process_on_cluster(
    corpus: str,
    store: Store,
    spec: GazetteerSpec,
    address: str | object,
    *,
    text_field: str = "text",
    id_field: str = "id",
    progress: Callable[[int, int, int], None] | None = None,
    files_per_partition: int = FILES_PER_PARTITION,
    bytes_per_partition: int = BYTES_PER_PARTITION,
) -> RunSummary:
    """Analyze ``corpus`` on the cluster at ``address`` (or a ``distributed.Client``)."""
    store.start_run(results_key(spec.load()))
    parts = plan_partitions(
        corpus,
        text_field=text_field,
        id_field=id_field,
        files_per_partition=files_per_partition,
        bytes_per_partition=bytes_per_partition,
    )
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
    client = address if not isinstance(address, str) else _client(address)
    try:
        futures = client.map(  # type: ignore[attr-defined]
            analyze_partition, todo, spec=spec, retries=_RETRIES, pure=False
        )
        done_parts = 0
        for part, fut in zip(todo, futures, strict=True):  # in order: the corpus order
            try:
                res: PartitionResult = fut.result()
            except Exception as e:  # noqa: BLE001 - a task that failed on every retry
                where = f"partition {part.id} ({part.paths[0]}…)"
                summary.failed.append((where, f"failed after {_RETRIES} retries: {e!r}"))
                continue
            _merge(res, store, summary)
            done_parts += 1
            if progress is not None:
                progress(done_parts, len(todo), summary.documents)
            fut.release()
    finally:
        if isinstance(address, str):
            client.close()  # type: ignore[attr-defined]
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
