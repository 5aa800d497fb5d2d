"""``canonym normalize --out-dir``: a whole corpus normalized into a directory."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from canonym.cli.base import load_gazetteer
from canonym.cli.failing import fail

if TYPE_CHECKING:
    from canonym.cli.corpus import CorpusOptions
    from canonym.cli.normalizing import OneDocument

__all__ = ["normalize_batch"]


def normalize_batch(out_dir: str, one: OneDocument, opts: CorpusOptions) -> None:
    """``normalize --out-dir``: the whole corpus ``one.file`` into ``out_dir``, each
    document as ``one`` says; a summary on stderr."""
    from canonym.corpus.batch import BatchSpec, normalize_corpus, out_dir_problem
    from canonym.corpus.documents import missing_field_hint
    from canonym.corpus.executors import scheduler_address
    from canonym.corpus.run import GazetteerSpec

    corpus = one.file
    spec = BatchSpec(
        GazetteerSpec(tuple(str(p) for p in one.gazetteer or []), not one.no_bundled, one.accept),
        translate=one.translate.value, lang=one.lang, shield=one.shield.value,
        device=one.device, fuzzy=one.fuzzy, forms=one.forms,
    )  # fmt: skip
    problem = out_dir_problem(corpus, out_dir)
    if problem is not None:
        fail(problem)
    # Fails early on a bad gazetteer; opened once, here, for the local workers too.
    gz = load_gazetteer(opts.gazetteer, opts.no_bundled, spec.gazetteer.accept)
    try:
        summary = normalize_corpus(
            corpus, out_dir, spec, jobs=opts.jobs, scheduler=scheduler_address(opts.scheduler),
            text_field=opts.text_field, id_field=opts.id_field, encoding=opts.encoding,
            max_bytes=opts.max_doc_bytes, paths=opts.path_filter(),
            gazetteer=gz,
        )  # fmt: skip
    except RuntimeError as e:  # the cluster's own failures (ClusterError), one line
        fail(str(e))
    for w in summary.warnings:
        typer.echo(f"canonym: warning: {w}", err=True)
    typer.echo(
        f"{summary.documents:,} documents: {summary.changed:,} changed, {summary.written:,} "
        f"written to {out_dir}, {len(summary.failed):,} failed",
        err=True,
    )
    for source, error in summary.failed[:20]:
        typer.echo(f"  {source}: {error}", err=True)
    if summary.documents and len(summary.failed) >= summary.documents:
        # As for the corpus jobs: a run that could read nothing is an error, not a "maybe".
        hint = missing_field_hint((e for _, e in summary.failed), opts.text_field)
        fail(hint or f"none of the {summary.documents:,} documents could be read")
    if summary.failed:
        raise typer.Exit(1)
