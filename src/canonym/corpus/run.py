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
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain

from canonym.corpus.documents import Document, content_hash, read_corpus
from canonym.corpus.executors import LocalExecutor, executor_for, remember, worker_state
from canonym.corpus.forms import FormsPlan, Normalizers
from canonym.corpus.paths import PathFilter
from canonym.corpus.store import DocResult, MentionRow, Store
from canonym.gazetteer.core import Gazetteer
from canonym.normalize.normalizer import Normalizer
from canonym.text.language import detect_language

__all__ = [
    "GazetteerSpec",
    "RunSummary",
    "analyze",
    "run_corpus",
    "process_corpus",
    "results_key",
]

_CONTEXT = 40  # characters kept on each side of a mention, for reports
_WINDOW_PER_JOB = 64


@dataclass(frozen=True)
class GazetteerSpec:
    """How a worker process loads the same gazetteer as its parent, and which
    language's forms it holds each document to."""

    paths: tuple[str, ...] = ()
    with_defaults: bool = True
    accept: float | None = None  # the acceptance threshold, when not the default
    forms: FormsPlan = FormsPlan()

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


def results_key(gz: Gazetteer, forms: FormsPlan | None = None) -> str:
    """What the stored results of a run depend on: gazetteer files, canonym, thresholds
    and forms.

    The gazetteer's own fingerprint covers its files and canonym's version; the
    thresholds (``--accept``) change which names link, and the forms which spelling
    is canonical, so they count too.
    """
    plan = "" if forms is None or forms.trivial else f"\n{forms!r}"
    digest = hashlib.sha256(f"{gz.fingerprint}\n{gz.thresholds!r}{plan}".encode())
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
                end_line=text.count("\n", 0, m.end) + 1,
                end_col=m.end - (text.rfind("\n", 0, m.end) + 1) + 1,
            )
        )
    return DocResult(hash or content_hash(text), lang, len(text), tuple(rows))


def _work(item: tuple[str, str, str | None], spec: GazetteerSpec) -> DocResult:
    """Runs in a worker: one document, with this process's normalizer for ``spec`` and
    the forms its path (``item[2]``, None: none said) or language takes."""
    hash, text, by_path = item
    normalizers = worker_state(spec, lambda: Normalizers(spec.load(), spec.forms))
    return analyze(text, normalizers.get(spec.forms.forms_for(text, by_path)), hash)


def windows(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
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
    executor: LocalExecutor | None = None,
    gazetteer: Gazetteer | None = None,
) -> RunSummary:
    """Analyze every document not yet in ``store``; returns what the run did.

    ``jobs`` processes (default: all cores; 1 runs in this process). A failed
    document is recorded and reported, never fatal. On interruption, every
    finished window (``window`` documents, default 64 per process) is already
    committed, and nothing of the unfinished one. Afterwards ``store`` reports on
    the documents of ``docs`` only (the findings and alias tables read). Raises
    ``GazetteerMismatch`` when ``store`` holds results of another gazetteer or
    other thresholds, and ``StoreConflict`` when another run resets it meanwhile.
    ``gazetteer`` is ``spec`` loaded already (by a command line that checked it):
    the index is then opened once in this process, and the local workers forked
    from it share its pages.
    """
    gz = gazetteer if gazetteer is not None else spec.load()
    store.start_run(results_key(gz, spec.forms))
    remember(spec, Normalizers(gz, spec.forms))  # here, and in the workers forked from it
    own = executor is None
    local = executor if executor is not None else LocalExecutor(jobs)
    summary = RunSummary()
    t0 = time.perf_counter()
    # With worker processes, the window being analyzed while the one before it is
    # written: the workers do not wait for the database, nor the database for them.
    depth = 1 if local.jobs > 1 else 0
    ahead: _Window | None = None
    try:
        batches = windows(docs, window or local.jobs * _WINDOW_PER_JOB)
        while True:
            try:  # reading the corpus, which may fail
                batch = next(batches, None)
                # Before the workers fork, this process analyzes the first window itself:
                # they start with its caches warm (the names of the corpus met once, not
                # once in each worker), for the processor time of one window on one core.
                here = bool(depth) and not local.started and summary.documents == 0
                runner = LocalExecutor(1) if here else local
                sent = None if batch is None else _send(batch, store, spec, runner, summary, ahead)
            except BaseException as e:
                # The window before is kept, as it was when it was written before the
                # next was read; after Ctrl-C only when whole (the workers took it too).
                if ahead is not None and (ahead.finished() or not isinstance(e, KeyboardInterrupt)):
                    _store(ahead, store, summary, progress)
                raise
            if sent is None:
                break
            if ahead is not None:
                _store(ahead, store, summary, progress)
            ahead = sent
            if not depth or here:
                _store(ahead, store, summary, progress)
                ahead = None
        if ahead is not None:
            _store(ahead, store, summary, progress)
    except BaseException:
        store.rollback()  # the unfinished window: stored whole or not at all
        raise
    finally:
        if own:
            local.close()
        summary.seconds = time.perf_counter() - t0
    return summary


@dataclass
class _Window:
    """A window of documents sent to the workers, and what storing it needs."""

    hashed: list[tuple[Document, str, str | None]]
    failed: list[Document]
    sent: set[str]  # the hashes analyzed in this window
    results: Iterator[DocResult]
    documents: int  # documents read up to the end of this window

    def finished(self) -> bool:
        """Whether every result is in (the workers are done with this window)."""
        ready = getattr(self.results, "ready", None)
        return bool(ready is not None and ready())


def _send(
    batch: list[Document],
    store: Store,
    spec: GazetteerSpec,
    local: LocalExecutor,
    summary: RunSummary,
    before: _Window | None,
) -> _Window:
    """Hash a window, skip what is stored (or in the window before, not yet written),
    and send the rest to the workers."""
    hashed: list[tuple[Document, str, str | None]] = []
    failed: list[Document] = []
    for d in batch:
        summary.documents += 1
        if d.text is None:
            failed.append(d)
        else:
            by_path = spec.forms.by_path(d.source, d.path) if spec.forms.rules else None
            hashed.append((d, spec.forms.document_key(d.text, by_path), by_path))
    stored = store.has([h for _, h, _ in hashed])
    # Only this window's and the one in flight: an earlier window is in the database
    # by now, so the parent keeps nothing per document across windows.
    earlier = before.sent if before is not None else set()
    seen_here: set[str] = set()
    todo: list[tuple[str, str, str | None]] = []
    for d, h, by_path in hashed:
        if h in stored or h in seen_here or h in earlier:
            summary.skipped += 1
        else:
            seen_here.add(h)
            todo.append((h, d.text or "", by_path))
    results = local.map(_work, todo, {"spec": spec})
    return _Window(hashed, failed, seen_here, results, summary.documents)


def _store(
    w: _Window, store: Store, summary: RunSummary, progress: Callable[[int], None] | None
) -> None:
    """Write one window's results, sources and failures, and commit them together."""
    results = list(w.results)
    # Written after the analysis, so the write lock is held only while writing.
    for d in w.failed:
        store.add_failure(d.source, d.doc_id, d.error or "unreadable")
        summary.failed.append((d.source, d.error or "unreadable"))
    for r in results:
        store.add_result(r)
    for d, h, _ in w.hashed:
        store.add_source(d.source, d.doc_id, h, d.path)
    store.commit()  # one window, whole or not at all
    summary.processed += len(results)
    if progress is not None:
        progress(w.documents)


def run_corpus(
    corpus: str | Sequence[str],
    store: Store,
    spec: GazetteerSpec,
    *,
    jobs: int | None = None,
    scheduler: str | object | None = None,
    text_field: str = "text",
    id_field: str = "id",
    encoding: str | None = None,
    max_bytes: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_partition: Callable[[int, int, int], None] | None = None,
    paths: PathFilter | None = None,
    gazetteer: Gazetteer | None = None,
) -> RunSummary:
    """Analyze ``corpus`` (one corpus, or several read as one) into ``store``, here
    (``jobs`` processes) or on Dask.

    ``scheduler`` (an address, a ``distributed.Client``, or ``CANONYM_SCHEDULER``)
    sends the work to a cluster, partition by partition (``on_partition``);
    otherwise documents are read here in windows (``progress``). ``encoding`` and
    ``max_bytes`` apply to local reading; cluster workers read UTF-8. ``paths`` chooses
    the files of a directory (its defaults when None).
    ``gazetteer``
    is ``spec`` loaded already, so that this process opens the index once.
    """
    from canonym.corpus.cluster import KEPT, process_on_cluster

    executor = executor_for(jobs=jobs, scheduler=scheduler, kept=KEPT)
    try:
        if not isinstance(executor, LocalExecutor):
            return process_on_cluster(
                corpus, store, spec, executor, text_field=text_field, id_field=id_field,
                progress=on_partition, paths=paths, gazetteer=gazetteer,
            )  # fmt: skip
        specs = [corpus] if isinstance(corpus, str) else list(corpus)
        docs = chain.from_iterable(
            read_corpus(
                s,
                text_field=text_field,
                id_field=id_field,
                encoding=encoding,
                max_bytes=max_bytes,
                paths=paths,
            )  # fmt: skip
            for s in specs
        )
        return process_corpus(
            docs, store, spec, progress=progress, executor=executor, gazetteer=gazetteer
        )
    finally:
        executor.close()
