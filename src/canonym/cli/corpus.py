"""What the corpus commands share: their options, the corpus database and a run with progress."""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from canonym.cli.common import check_encoding, fail, load_gazetteer

if TYPE_CHECKING:
    from canonym.corpus.forms import FormsPlan
    from canonym.corpus.paths import PathFilter
    from canonym.corpus.run import GazetteerSpec, RunSummary
    from canonym.corpus.store import Store
    from canonym.gazetteer.core import Gazetteer

__all__ = ["CorpusOptions", "corpus_paths", "database", "run_with_progress"]

CorpusArg = Annotated[
    str,
    typer.Argument(
        help="A directory of .txt/.md files, a .jsonl or .csv file, or - for JSON lines on stdin."
    ),
]
DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Corpus database; a second run skips documents it already holds and "
        "reports only the corpus it is given; one gazetteer per database "
        "(default: a temporary one).",
    ),
]
JobsOpt = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Dask scheduler address, e.g. tcp://host:8786 (also CANONYM_SCHEDULER); "
        "without it, local worker processes.",
    ),
]
TextFieldOpt = Annotated[str, typer.Option(help="JSON lines / CSV: the field holding the text.")]
IdFieldOpt = Annotated[str, typer.Option(help="JSON lines / CSV: the field holding the id.")]
EncodingOpt = Annotated[
    str | None,
    typer.Option(help="Input encoding, e.g. cp1256 or latin-1 (default UTF-8, BOM or not)."),
]
MaxDocBytesOpt = Annotated[
    int | None,
    typer.Option(
        "--max-doc-bytes",
        min=1,
        help="Largest document read, in bytes (also CANONYM_MAX_DOC_BYTES; default 20 MiB); "
        "larger ones are listed as unreadable.",
    ),
]


IncludeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--include",
        help="Read only the files of a corpus folder this glob matches, e.g. 'wires/**' "
        "(repeatable; replaces the configured include).",
    ),
]
ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        help="Skip the files and folders this glob matches, e.g. 'drafts/' (repeatable; "
        "added to the configured exclude, which skips README*, .git/, build/... by default).",
    ),
]
RebuildOpt = Annotated[
    bool,
    typer.Option(
        "--rebuild",
        help="Discard the results in --db and analyze again (after a gazetteer or --accept "
        "change; a run refuses a database built with another).",
    ),
]


@dataclass(frozen=True)
class CorpusOptions:
    """How ``aliases build`` and ``check`` read a corpus and load the gazetteer."""

    gazetteer: list[Path] | None = None
    no_bundled: bool = False
    jobs: int | None = None
    scheduler: str | None = None
    text_field: str = "text"
    id_field: str = "id"
    accept: float | None = None
    encoding: str | None = None
    max_doc_bytes: int | None = None
    paths: PathFilter | None = None  # which files of a corpus folder are read
    include: list[str] | None = None  # without ``paths``: the command line's globs,
    exclude: list[str] | None = None  # with the configuration's
    forms: FormsPlan | None = None  # which language's forms documents are held to

    def path_filter(self) -> PathFilter:
        """``paths``, or the configured globs with ``include`` and ``exclude``; exit 2."""
        return self.paths or corpus_paths(self.include, self.exclude)

    def spec(self) -> GazetteerSpec:
        from canonym.corpus.forms import FormsPlan
        from canonym.corpus.run import GazetteerSpec

        paths = tuple(str(p) for p in (self.gazetteer or []))
        forms = self.forms or FormsPlan()
        return GazetteerSpec(
            paths, with_defaults=not self.no_bundled, accept=self.accept, forms=forms
        )


def corpus_paths(include: list[str] | None, exclude: list[str] | None) -> PathFilter:
    """The configured include/exclude globs, with the command line's; exit 2 when wrong."""
    from canonym.config import ConfigError
    from canonym.config import load as load_settings

    try:
        cli = {"include": include or None, "extend_exclude": exclude or None}
        return load_settings(cli=cli).paths()
    except (ConfigError, ValueError) as e:
        fail(str(e))


def _count(corpus: str | list[str], paths: PathFilter | None) -> int | None:
    from canonym.corpus.documents import count_documents

    counts = [count_documents(c, paths) for c in ([corpus] if isinstance(corpus, str) else corpus)]
    return None if None in counts else sum(c or 0 for c in counts)


@contextmanager
def database(db: Path | None, rebuild: bool = False) -> Iterator[Store]:
    """The corpus database; one line and exit 2 when it is unusable, now or mid-run."""
    from canonym.corpus.store import GazetteerMismatch, Store

    try:
        if db is None:
            with tempfile.TemporaryDirectory(prefix="canonym-") as tmp:
                with Store(Path(tmp) / "corpus.db") as store:
                    yield store
            return
        with Store(db) as store:
            if rebuild:
                store.reset_results()
            yield store
    except GazetteerMismatch:
        fail(
            f"--db {db} was built with another gazetteer or --accept; "
            "use a new --db, or --rebuild to discard its results and analyze again"
        )
    except sqlite3.Error as e:  # found damaged, or a full disk, while the run was under way
        fail(f"{db or 'the corpus database'}: {e}; use another --db")


@contextmanager
def _progress(
    address: str | None, corpus: str | list[str], paths: PathFilter | None
) -> Iterator[dict[str, Any]]:
    """One bar on stderr (partitions on a cluster, documents here): the run's callbacks."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = [
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    ]
    console = Console(stderr=True)
    hidden = not sys.stderr.isatty()
    with Progress(*columns, console=console, transient=True, disable=hidden) as bar:
        task = bar.add_task(
            "partitions" if address else "analyzing",
            total=None if address else _count(corpus, paths),
            rate="",
        )
        started = time.perf_counter()

        def on_partition(done: int, total: int, docs: int) -> None:
            rate = docs / max(time.perf_counter() - started, 1e-9)
            bar.update(task, completed=done, total=total, rate=f"{rate:,.0f} docs/s")

        def progress(done: int) -> None:
            speed = bar.tasks[0].speed
            bar.update(task, completed=done, rate=f"{speed:,.0f} docs/s" if speed else "")

        yield {"progress": progress, "on_partition": on_partition}


def _print_summary(summary: RunSummary, address: str | None, text_field: str) -> None:
    from canonym.corpus.documents import missing_field_hint

    where = f" on {address}" if address else ""
    skipped_parts = f", {summary.skipped_partitions:,} partitions already stored" if address else ""
    typer.echo(
        f"{summary.documents:,} documents{where}: {summary.processed:,} analyzed, "
        f"{summary.skipped:,} already in the database{skipped_parts}, "
        f"{len(summary.failed):,} unreadable ({summary.rate:,.0f} docs/s)",
        err=True,
    )
    for source, error in summary.failed[:20]:
        typer.echo(f"  {source}: {error}", err=True)
    if len(summary.failed) > 20:
        typer.echo(f"  ... and {len(summary.failed) - 20} more", err=True)
    if summary.documents and len(summary.failed) >= summary.documents:
        # Nothing to report on: an empty table or a clean check would be a lie.
        hint = missing_field_hint((e for _, e in summary.failed), text_field)
        fail(hint or f"none of the {summary.documents:,} documents could be read")


def run_with_progress(
    corpus: str | list[str], store: Store, opts: CorpusOptions
) -> tuple[Gazetteer, RunSummary]:
    """Analyze ``corpus`` (one, or several as one) into ``store`` with a progress bar;
    print the summary."""
    from canonym.corpus.executors import scheduler_address
    from canonym.corpus.run import run_corpus
    from canonym.io import InputError

    check_encoding(opts.encoding)
    paths = opts.path_filter()
    gz = load_gazetteer(opts.gazetteer, opts.no_bundled, opts.accept)
    address = scheduler_address(opts.scheduler)
    if address and (opts.encoding or opts.max_doc_bytes):
        typer.echo(
            "canonym: warning: --encoding and --max-doc-bytes apply to local runs; "
            "cluster workers read UTF-8 up to 20 MiB a document",
            err=True,
        )
    try:
        with _progress(address, corpus, paths) as callbacks:
            summary = run_corpus(
                corpus, store, opts.spec(), jobs=opts.jobs, scheduler=address,
                text_field=opts.text_field, id_field=opts.id_field, encoding=opts.encoding,
                max_bytes=opts.max_doc_bytes, paths=paths, gazetteer=gz, **callbacks,
            )  # fmt: skip
    except (InputError, RuntimeError) as e:
        fail(str(e))
    except KeyboardInterrupt:
        typer.echo("canonym: interrupted; finished documents are kept in the database", err=True)
        raise typer.Exit(130) from None
    _print_summary(summary, address, opts.text_field)
    return gz, summary
