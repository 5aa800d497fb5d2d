"""Normalizing a whole corpus into an output directory, locally or on a Dask cluster.

Reach for this module for batch ``normalize``: every document of a corpus is
normalized (and translated, when asked) by worker processes that load the
gazetteer index and any translation model once, and the results are written in
corpus order: plain-text documents to the same relative paths under the output
directory, records of a JSON-lines or CSV corpus to one ``normalized.jsonl``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from canonym.corpus.documents import Document, read_corpus
from canonym.corpus.run import GazetteerSpec
from canonym.io import has_utf8_bom, write_output
from canonym.normalize.normalizer import Normalizer

__all__ = ["BatchSpec", "BatchSummary", "normalize_corpus"]


@dataclass(frozen=True)
class BatchSpec:
    """What each worker needs to normalize a document the same way."""

    gazetteer: GazetteerSpec = GazetteerSpec()
    translate: str = "never"  # auto | never | require
    lang: str | None = None
    shield: str = "canonical"
    device: str | None = None
    fuzzy: bool = True


@dataclass
class BatchSummary:
    documents: int = 0
    changed: int = 0
    written: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Out:
    doc_id: str
    source: str
    path: str | None
    text: str | None
    changed: bool
    error: str | None
    warnings: tuple[str, ...] = ()


_workers: dict[BatchSpec, tuple[Normalizer, object | None]] = {}


def _tools(spec: BatchSpec) -> tuple[Normalizer, object | None]:
    """The normalizer and translator of this process, loaded once."""
    if spec not in _workers:
        translator = None
        if spec.translate != "never":
            from canonym.translate.translator import ArgosTranslator

            translator = ArgosTranslator(device=spec.device)
        _workers[spec] = (Normalizer(spec.gazetteer.load(), fuzzy=spec.fuzzy), translator)
    return _workers[spec]


def normalize_document(doc: Document, spec: BatchSpec) -> _Out:
    """Runs in a worker: one document, normalized (and translated when asked)."""
    if doc.text is None:
        return _Out(doc.doc_id, doc.source, doc.path, None, False, doc.error or "unreadable")
    normalizer, translator = _tools(spec)
    try:
        if spec.translate == "never" and spec.lang is None:
            text = normalizer.normalize(doc.text).text
            warnings: tuple[str, ...] = ()
        else:
            from canonym.translate.shield import translate_document

            done = translate_document(
                doc.text, normalizer, translator,  # type: ignore[arg-type]
                mode=spec.translate, lang=spec.lang, strategy=spec.shield,
            )  # fmt: skip
            text, warnings = done.text, tuple(done.warnings)
    except Exception as e:  # noqa: BLE001 - one document's failure never stops the batch
        return _Out(doc.doc_id, doc.source, doc.path, None, False, f"{type(e).__name__}: {e}")
    return _Out(doc.doc_id, doc.source, doc.path, text, text != doc.text, None, warnings)


def _normalize_partition(part: object, spec: BatchSpec) -> list[_Out]:
    from canonym.corpus.partitions import Partition, read_partition

    assert isinstance(part, Partition)
    return [normalize_document(d, spec) for d in read_partition(part)]


def _results(
    corpus: str,
    spec: BatchSpec,
    jobs: int,
    scheduler: object | None,
    text_field: str,
    id_field: str,
    encoding: str | None = None,
    max_bytes: int | None = None,
) -> Iterator[_Out]:
    """Normalized documents in corpus order, from local processes or a Dask cluster."""
    if scheduler is not None:
        from canonym.corpus.cluster import _client, partition_results
        from canonym.corpus.partitions import plan_partitions

        parts = plan_partitions(corpus, text_field=text_field, id_field=id_field)
        client = _client(scheduler) if isinstance(scheduler, str) else scheduler
        try:
            for _, outs in partition_results(client, _normalize_partition, parts, {"spec": spec}):
                yield from outs
        finally:
            if isinstance(scheduler, str):
                client.close()  # type: ignore[attr-defined]
        return
    docs = read_corpus(
        corpus, text_field=text_field, id_field=id_field, encoding=encoding, max_bytes=max_bytes
    )
    if jobs == 1:
        for d in docs:
            yield normalize_document(d, spec)
        return
    ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
    with ctx.Pool(jobs) as pool:
        window: list[Document] = []
        for d in docs:
            window.append(d)
            if len(window) >= jobs * 32:
                yield from pool.starmap(normalize_document, [(w, spec) for w in window])
                window = []
        if window:
            yield from pool.starmap(normalize_document, [(w, spec) for w in window])


def normalize_corpus(
    corpus: str,
    out_dir: str,
    spec: BatchSpec,
    *,
    jobs: int | None = None,
    scheduler: object | None = None,
    text_field: str = "text",
    id_field: str = "id",
    progress: Callable[[int], None] | None = None,
    encoding: str | None = None,
    max_bytes: int | None = None,
) -> BatchSummary:
    """Normalize every document of ``corpus`` into ``out_dir`` (a path or fsspec URL).

    ``encoding`` and ``max_bytes`` are how local documents are read (see
    ``read_corpus``); a document that does not decode is listed in ``failed``, never
    rewritten.
    """
    summary = BatchSummary()
    records: list[str] = []
    jobs = jobs or os.cpu_count() or 1
    results = _results(corpus, spec, jobs, scheduler, text_field, id_field, encoding, max_bytes)
    for out in results:
        summary.documents += 1
        for w in out.warnings:
            if w not in summary.warnings:
                summary.warnings.append(w)
        if out.text is None:
            summary.failed.append((out.source, out.error or "unreadable"))
        else:
            summary.changed += out.changed
            if out.path is not None or _is_text_file(out.source):
                text = out.text
                if out.path is not None and has_utf8_bom(out.path):
                    text = "\ufeff" + text  # byte for byte: the mark the source began with
                write_output(_join(out_dir, out.doc_id), text, parents=True)
                summary.written += 1
            else:
                records.append(
                    json.dumps(
                        {id_field: out.doc_id, text_field: out.text, "changed": out.changed},
                        ensure_ascii=False,
                    )  # fmt: skip
                )
        if progress is not None:
            progress(summary.documents)
    if records:
        write_output(_join(out_dir, "normalized.jsonl"), "\n".join(records) + "\n", parents=True)
        summary.written += len(records)
    return summary


def _is_text_file(source: str) -> bool:
    from canonym.corpus.documents import TEXT_SUFFIXES

    return source.endswith(TEXT_SUFFIXES)


def _join(out_dir: str, rel: str) -> str:
    if "://" in out_dir:
        return out_dir.rstrip("/") + "/" + rel
    # The writer makes missing folders, so a failure is reported as an OutputError.
    return str(Path(out_dir) / rel)
