"""Normalizing a whole corpus into an output directory, locally or on a Dask cluster.

Reach for this module for batch ``normalize``: every document of a corpus is
normalized (and translated, when asked) by worker processes that load the
gazetteer index and any translation model once, and the results are written in
corpus order: plain-text documents to the same relative paths under the output
directory, records of a JSON-lines or CSV corpus to one ``normalized.jsonl``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from canonym.corpus.documents import TEXT_SUFFIXES, Document, read_corpus
from canonym.corpus.executors import Executor, executor_for, forget, remember, worker_state
from canonym.corpus.partitions import Partition, plan_partitions, read_partition
from canonym.corpus.paths import PathFilter
from canonym.corpus.run import GazetteerSpec, windows
from canonym.gazetteer.core import Gazetteer
from canonym.io import has_utf8_bom, join, write_output
from canonym.normalize.normalizer import NormalizedText, Normalizer

if TYPE_CHECKING:
    from canonym.translate.shield import TranslatedResult
    from canonym.translate.translator import Translator

__all__ = ["BatchSpec", "BatchSummary", "normalize_corpus", "normalize_text", "out_dir_problem"]


@dataclass(frozen=True)
class BatchSpec:
    """What each worker needs to normalize a document the same way."""

    gazetteer: GazetteerSpec = GazetteerSpec()
    translate: str = "never"  # auto | never | require
    lang: str | None = None
    shield: str = "canonical"
    device: str | None = None
    fuzzy: bool = True
    forms: str = "auto"  # which language's canonical forms are written (Normalizer(forms=))

    @property
    def translates(self) -> bool:
        """Whether documents go through language detection and translation."""
        return self.translate != "never" or self.lang is not None


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


def _load_tools(spec: BatchSpec) -> tuple[Normalizer, object | None]:
    translator = None
    if spec.translate != "never":
        from canonym.translate.translator import ArgosTranslator

        translator = ArgosTranslator(device=spec.device)
    # The index this process opened already, when the parent gave it (see normalize_corpus).
    gz = worker_state(("gazetteer", spec.gazetteer), spec.gazetteer.load)
    return Normalizer(gz, fuzzy=spec.fuzzy, forms=spec.forms), translator


def normalize_text(
    text: str,
    normalizer: Normalizer,
    spec: BatchSpec,
    translator: Translator | None = None,
    *,
    describe: bool = False,
) -> NormalizedText | TranslatedResult:
    """One text normalized as ``spec`` says: as it is, or detected and translated first.

    Both results give the output ``text`` and a JSON-ready ``to_dict()``. With
    ``describe``, each paragraph's language is detected (and reported) even when
    nothing is to be translated.
    """
    if not spec.translates and not describe:
        return normalizer.normalize(text)
    from canonym.translate.shield import translate_document

    return translate_document(
        text, normalizer, translator, mode=spec.translate, lang=spec.lang, strategy=spec.shield
    )


def normalize_document(doc: Document, spec: BatchSpec) -> _Out:
    """Runs in a worker: one document, normalized (and translated when asked)."""
    if doc.text is None:
        return _Out(doc.doc_id, doc.source, doc.path, None, False, doc.error or "unreadable")
    # Loaded once per worker process: the gazetteer index and any translation model.
    normalizer, translator = worker_state(spec, lambda: _load_tools(spec))
    try:
        done = normalize_text(doc.text, normalizer, spec, translator)  # type: ignore[arg-type]
        text, warnings = done.text, tuple(getattr(done, "warnings", ()))
    except Exception as e:  # noqa: BLE001 - one document's failure never stops the batch
        return _Out(doc.doc_id, doc.source, doc.path, None, False, f"{type(e).__name__}: {e}")
    return _Out(doc.doc_id, doc.source, doc.path, text, text != doc.text, None, warnings)


def _normalize_partition(part: Partition, spec: BatchSpec) -> list[_Out]:
    return [normalize_document(d, spec) for d in read_partition(part)]


def _results(
    corpus: str,
    spec: BatchSpec,
    executor: Executor,
    text_field: str,
    id_field: str,
    encoding: str | None = None,
    max_bytes: int | None = None,
    paths: PathFilter | None = None,
) -> Iterator[_Out]:
    """Normalized documents in corpus order, from local processes or a Dask cluster."""
    if executor.distributed:
        parts = plan_partitions(corpus, text_field=text_field, id_field=id_field, paths=paths)
        for outs in executor.map(_normalize_partition, parts, {"spec": spec}):
            yield from outs
        return
    docs = read_corpus(
        corpus, text_field=text_field, id_field=id_field, encoding=encoding, max_bytes=max_bytes,
        paths=paths,
    )  # fmt: skip
    jobs = getattr(executor, "jobs", 1)
    # The next window is sent before this one is handed on, so the workers analyze
    # while the caller writes.
    ahead: Iterator[_Out] | None = None
    for window in windows(docs, jobs * 32):
        sent = executor.map(normalize_document, window, {"spec": spec})
        if ahead is not None:
            yield from ahead
        ahead = sent
    if ahead is not None:
        yield from ahead


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
    paths: PathFilter | None = None,
    gazetteer: Gazetteer | None = None,
) -> BatchSummary:
    """Normalize every document of ``corpus`` into ``out_dir`` (a path or fsspec URL).

    ``encoding`` and ``max_bytes`` are how local documents are read (see
    ``read_corpus``); a document that does not decode is listed in ``failed``, never
    rewritten. ``paths`` chooses the files of a directory (its defaults when None).
    ``gazetteer`` is ``spec.gazetteer`` loaded already, so that this
    process opens the index once.
    """
    summary = BatchSummary()
    executor = executor_for(jobs=jobs, scheduler=scheduler)
    if not executor.distributed:
        # Opened here, before the local workers fork, which then share its pages;
        # each run opens it anew, so an edited gazetteer is read again.
        gz = gazetteer if gazetteer is not None else spec.gazetteer.load()
        remember(("gazetteer", spec.gazetteer), gz)
        forget(spec)
    try:
        _write(
            _results(corpus, spec, executor, text_field, id_field, encoding, max_bytes, paths),
            out_dir, id_field, text_field, summary, progress,
        )  # fmt: skip
    finally:
        executor.close()
    return summary


def _write(
    results: Iterator[_Out],
    out_dir: str,
    id_field: str,
    text_field: str,
    summary: BatchSummary,
    progress: Callable[[int], None] | None,
) -> None:
    """Each document to its file, records to one JSON-lines file, in corpus order."""
    records: list[str] = []
    for out in results:
        summary.documents += 1
        for w in out.warnings:
            if w not in summary.warnings:
                summary.warnings.append(w)
        if out.text is None:
            summary.failed.append((out.source, out.error or "unreadable"))
        else:
            summary.changed += out.changed
            if out.path is not None or out.source.endswith(TEXT_SUFFIXES):
                text = out.text
                if out.path is not None and has_utf8_bom(out.path):
                    text = "\ufeff" + text  # byte for byte: the mark the source began with
                write_output(join(out_dir, out.doc_id), text, parents=True)
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
        write_output(join(out_dir, "normalized.jsonl"), "\n".join(records) + "\n", parents=True)
        summary.written += len(records)


def out_dir_problem(corpus: str, out_dir: str) -> str | None:
    """Why ``out_dir`` may not take a corpus's output, or ``None``: it is the local
    corpus folder or inside it, so the originals would be replaced with no way back,
    or the output read as corpus on the next run."""
    from pathlib import Path

    from canonym.io.fs import is_url

    if is_url(corpus) or is_url(out_dir) or not Path(corpus).is_dir():
        return None
    source, out = Path(corpus).resolve(), Path(out_dir).resolve()
    if out != source and source not in out.parents:
        return None
    where = "is the corpus folder" if out == source else "is inside the corpus folder"
    return (
        f"{out_dir}: --out-dir {where}; choose a folder outside it "
        "(to rewrite the files in place, use canonym check --fix)"
    )
