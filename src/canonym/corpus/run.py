"""Running a corpus through the normalizer, in parallel, into the corpus database.

Reach for this module from the corpus jobs. Each worker process loads the
gazetteer index once (from its disk cache) and analyzes whole documents; the
parent reads the corpus, skips what the database already holds, and writes
results in input order, so a run with one process and a run with many store the
same rows. Work goes out in bounded windows, so memory does not grow with the
corpus, and each window is committed before the next begins.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from canonym.corpus.documents import Document, content_hash
from canonym.corpus.store import DocResult, MentionRow, Store
from canonym.gazetteer.core import Gazetteer
from canonym.normalize.normalizer import Normalizer
from canonym.translate.language import detect_language

__all__ = ["GazetteerSpec", "RunSummary", "analyze", "process_corpus", "results_key"]

_CONTEXT = 40  # characters kept on each side of a mention, for reports
_WINDOW_PER_JOB = 64


@dataclass(frozen=True)
class GazetteerSpec:
    """How a worker process loads the same gazetteer as its parent."""

    paths: tuple[str, ...] = ()
    with_defaults: bool = True
    accept: float | None = None  # the acceptance threshold, when not the default

    def load(self) -> Gazetteer:
        gz = Gazetteer.load(*self.paths, with_defaults=self.with_defaults)
        if self.accept is not None:
            gz.thresholds = gz.thresholds.with_accept(self.accept)
        return gz


@dataclass
class RunSummary:
    documents: int = 0  # documents read, good or bad
    processed: int = 0  # analyzed in this run
    skipped: int = 0  # already in the database (or a duplicate in this run)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, error)
    seconds: float = 0.0
    skipped_partitions: int = 0  # cluster runs: partitions already in the database

    @property
    def rate(self) -> float:
        return self.processed / self.seconds if self.seconds else 0.0


def results_key(gz: Gazetteer) -> str:
    """What the stored results of a run depend on: gazetteer files, canonym, thresholds.

    The gazetteer's own fingerprint covers its files and canonym's version; the
    thresholds (``--accept``) change which names link, so they count too.
    """
    digest = hashlib.sha256(f"{gz.fingerprint}\n{gz.thresholds!r}".encode())
    return digest.hexdigest()[:32]


def _context(text: str, start: int, end: int) -> str:
    a, b = max(0, start - _CONTEXT), min(len(text), end + _CONTEXT)
    snippet = text[a:b].replace("\n", " ").replace("\r", " ")
    return ("…" if a else "") + snippet + ("…" if b < len(text) else "")


def analyze(text: str, normalizer: Normalizer, hash: str | None = None) -> DocResult:
    """Language and every mention of one document, as database rows."""
    result = normalizer.normalize(text)
    lang = detect_language(text).lang
    rows: list[MentionRow] = []
    everything = sorted(
        [*result.mentions, *result.ambiguous, *result.unresolved], key=lambda m: m.start
    )
    for m in everything:
        line = text.count("\n", 0, m.start) + 1
        col = m.start - (text.rfind("\n", 0, m.start) + 1) + 1
        resolved = m.entity_id is not None
        rows.append(
            MentionRow(
                start=m.start,
                end=m.end,
                line=line,
                col=col,
                surface=" ".join(m.surface.split()),  # a name broken across lines
                status=m.status,
                entity_id=m.entity_id,
                canonical=m.canonical,
                replacement=result.text[m.out_start : m.out_end] if resolved else None,
                type=m.type,
                method=m.method,
                score=m.score if resolved else None,
                context=_context(text, m.start, m.end),
            )
        )
    return DocResult(hash or content_hash(text), lang, len(text), tuple(rows))


_worker_normalizer: Normalizer | None = None


def _init_worker(spec: GazetteerSpec) -> None:
    global _worker_normalizer
    _worker_normalizer = Normalizer(spec.load())


def _work(item: tuple[str, str]) -> DocResult:
    assert _worker_normalizer is not None
    hash, text = item
    return analyze(text, _worker_normalizer, hash)


def _windows(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    window: list[Document] = []
    for d in docs:
        window.append(d)
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window


def process_corpus(
    docs: Iterable[Document],
    store: Store,
    spec: GazetteerSpec,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    window: int | None = None,
) -> RunSummary:
    """Analyze every document not yet in ``store``; returns what the run did.

    ``jobs`` processes (default: all cores; 1 runs in this process). A failed
    document is recorded and reported, never fatal. On interruption, every
    finished window (``window`` documents, default 64 per process) is already
    committed, and nothing of the unfinished one. Afterwards ``store`` reports on
    the documents of ``docs`` only (``Store.sources_table``). Raises
    ``GazetteerMismatch`` when ``store`` holds results of another gazetteer or
    other thresholds, and ``StoreConflict`` when another run resets it meanwhile.
    """
    jobs = jobs or os.cpu_count() or 1
    gz = spec.load()  # parent: fingerprint, and the warm cache the workers will read
    store.start_run(results_key(gz))

    summary = RunSummary()
    t0 = time.perf_counter()
    pool = None
    local = Normalizer(gz) if jobs == 1 else None
    if jobs > 1:
        ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
        pool = ctx.Pool(jobs, initializer=_init_worker, initargs=(spec,))
    try:
        seen_here: set[str] = set()
        for batch in _windows(docs, window or jobs * _WINDOW_PER_JOB):
            hashed: list[tuple[Document, str]] = []
            failed: list[Document] = []
            for d in batch:
                summary.documents += 1
                if d.text is None:
                    failed.append(d)
                else:
                    hashed.append((d, content_hash(d.text)))
            stored = store.has([h for _, h in hashed])
            todo: list[tuple[str, str]] = []
            for d, h in hashed:
                if h in stored or h in seen_here:
                    summary.skipped += 1
                else:
                    seen_here.add(h)
                    todo.append((h, d.text or ""))
            results: Sequence[DocResult]
            if pool is not None:
                results = pool.map(_work, todo, chunksize=max(1, len(todo) // (jobs * 4)))
            else:
                assert local is not None
                results = [analyze(text, local, h) for h, text in todo]
            # Written after the analysis, so the write lock is held only while writing.
            for d in failed:
                store.add_failure(d.source, d.doc_id, d.error or "unreadable")
                summary.failed.append((d.source, d.error or "unreadable"))
            for r in results:
                store.add_result(r)
            for d, h in hashed:
                store.add_source(d.source, d.doc_id, h, d.path)
            store.commit()  # one window, whole or not at all
            summary.processed += len(results)
            if progress is not None:
                progress(summary.documents)
    except BaseException:
        store.rollback()  # the unfinished window: stored whole or not at all
        raise
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        summary.seconds = time.perf_counter() - t0
    return summary


def count_documents(spec: str) -> int | None:
    """How many documents a corpus holds, when that is cheap to know (for an ETA)."""
    from canonym.corpus.documents import _walk

    if spec == "-":
        return None
    p = Path(spec)
    if p.is_dir():
        return sum(1 for _ in _walk(p))
    if p.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        with p.open("rb") as fh:
            return sum(1 for line in fh if line.strip())
    return None
