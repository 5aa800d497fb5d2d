"""``canonym aliases build`` and ``canonym check``: the corpus jobs on the command line."""

from __future__ import annotations

import codecs
import io
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from canonym.cli.common import (
    AcceptOpt,
    GazetteerOpt,
    NoBundledOpt,
    fail,
    load_gazetteer,
    use_color,
)
from canonym.config import ConfigError, Settings
from canonym.config import load as load_settings
from canonym.corpus.documents import count_documents, missing_field_hint
from canonym.corpus.run import GazetteerSpec, RunSummary, run_corpus
from canonym.corpus.store import GazetteerMismatch, Store
from canonym.gazetteer.core import Gazetteer
from canonym.gazetteer.write import render_patch
from canonym.io import InputError, write_output
from canonym.jobs.aliases import build_alias_table
from canonym.jobs.fix import fix_files
from canonym.jobs.lint import Finding, iter_findings
from canonym.jobs.suppress import suppress
from canonym.normalize.normalizer import Normalizer
from canonym.report.formats import render_html, render_json, render_sarif, stream_text

aliases_app = typer.Typer(
    help="Alias tables: how a corpus actually spells each entity.", no_args_is_help=True
)

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


RebuildOpt = Annotated[
    bool,
    typer.Option(
        "--rebuild",
        help="Discard the results in --db and analyze again (after a gazetteer or --accept "
        "change; a run refuses a database built with another).",
    ),
]


@contextmanager
def _database(db: Path | None, rebuild: bool = False) -> Iterator[Store]:
    """The corpus database; one line and exit 2 when it is unusable, now or mid-run."""
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


def _run(
    corpus: str,
    store: Store,
    gz_paths: list[Path] | None,
    no_bundled: bool,
    jobs: int | None,
    text_field: str,
    id_field: str,
    scheduler: str | None = None,
    accept: float | None = None,
    encoding: str | None = None,
    max_doc_bytes: int | None = None,
) -> tuple[Gazetteer, RunSummary]:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            fail(f"unknown encoding '{encoding}'; give one such as utf-8, cp1256 or latin-1")
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from canonym.corpus.executors import scheduler_address

    gz = load_gazetteer(gz_paths, no_bundled, accept)
    paths = tuple(str(p) for p in (gz_paths or []))
    spec = GazetteerSpec(paths=paths, with_defaults=not no_bundled, accept=accept)
    address = scheduler_address(scheduler)
    if address and (encoding or max_doc_bytes):
        typer.echo(
            "canonym: warning: --encoding and --max-doc-bytes apply to local runs; "
            "cluster workers read UTF-8 up to 20 MiB a document",
            err=True,
        )
    columns = [
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    ]
    console = Console(stderr=True)
    try:
        with Progress(
            *columns, console=console, transient=True, disable=not sys.stderr.isatty()
        ) as bar:
            # One bar: partitions on a cluster, documents here.
            task = bar.add_task(
                "partitions" if address else "analyzing",
                total=None if address else count_documents(corpus),
                rate="",
            )
            started = time.perf_counter()

            def on_partition(done: int, total: int, docs: int) -> None:
                rate = docs / max(time.perf_counter() - started, 1e-9)
                bar.update(task, completed=done, total=total, rate=f"{rate:,.0f} docs/s")

            def progress(done: int) -> None:
                speed = bar.tasks[0].speed
                bar.update(task, completed=done, rate=f"{speed:,.0f} docs/s" if speed else "")

            summary = run_corpus(
                corpus, store, spec, jobs=jobs, scheduler=address, text_field=text_field,
                id_field=id_field, encoding=encoding, max_bytes=max_doc_bytes,
                progress=progress, on_partition=on_partition,
            )  # fmt: skip
    except InputError as e:
        fail(str(e))
    except RuntimeError as e:
        fail(str(e))
    except KeyboardInterrupt:
        typer.echo("canonym: interrupted; finished documents are kept in the database", err=True)
        raise typer.Exit(130) from None
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
    return gz, summary


class AliasFormat(StrEnum):
    csv = "csv"
    json = "json"
    patch = "patch"


@aliases_app.command()
def build(
    corpus: CorpusArg,
    fmt: Annotated[
        AliasFormat,
        typer.Option(
            "--format",
            "-f",
            help="csv: one row per entity-variant pair; json; "
            "patch: a gazetteer patch for review and 'canonym gazetteer merge'.",
        ),
    ] = AliasFormat.csv,  # fmt: skip
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="A file, or an fsspec URL (s3://…).")
    ] = None,
    min_count: Annotated[
        int, typer.Option(help="Propose an unknown name seen at least this often.")
    ] = 2,
    db: DbOpt = None,
    rebuild: RebuildOpt = False,
    jobs: JobsOpt = None,
    scheduler: SchedulerOpt = None,
    text_field: TextFieldOpt = "text",
    id_field: IdFieldOpt = "id",
    encoding: EncodingOpt = None,
    max_doc_bytes: MaxDocBytesOpt = None,
    accept: AcceptOpt = None,
    gazetteer: GazetteerOpt = None,
    no_bundled: NoBundledOpt = False,
) -> None:
    """Build alias tables from a corpus: every spelling of every entity, with counts.

    For each entity: each surface form seen, its count, languages, number of
    documents, first and last document and an example. Unknown names that look
    alike are grouped into proposed new entities.

    Examples:

      canonym aliases build news/ --db news.db -o aliases.csv

      canonym aliases build articles.jsonl --text-field body --format patch -o patch.yaml
    """
    with _database(db, rebuild) as store:
        gz, summary = _run(
            corpus, store, gazetteer, no_bundled, jobs, text_field, id_field, scheduler, accept,
            encoding, max_doc_bytes,
        )  # fmt: skip
        table = build_alias_table(store, gz, min_count=min_count)
    if fmt is AliasFormat.patch:
        header = (
            f"Patch proposed by canonym aliases build from {corpus}.\n"
            "Review, edit or delete entries, then: canonym gazetteer merge PATCH TARGET"
        )
        patch = render_patch(table.patch_entities(gz), header=header)
        if output is not None:
            write_output(output, patch)
        else:
            sys.stdout.write(patch)
        if summary.failed:
            raise typer.Exit(1)
        return
    if fmt is AliasFormat.json:
        import json

        text = json.dumps(table.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        import io

        buf = io.StringIO()
        table.write_csv(buf)
        text = buf.getvalue()
    if output is not None:
        write_output(output, text)
    else:
        sys.stdout.write(text)
    if summary.failed:
        raise typer.Exit(1)  # the table lacks the unreadable documents


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    html = "html"


def _style(text: str, role: str) -> str:
    colors = {"file": "bright_white", "non-canonical": "yellow", "mixed-spellings": "magenta",
              "corpus-variants": "cyan"}  # fmt: skip
    return typer.style(text, fg=colors.get(role), bold=role == "file")


def _plain_style(text: str, role: str) -> str:
    return text


@contextmanager
def _output(target: str | None) -> Iterator[TextIO]:
    """Standard output, or a file or URL written once everything is rendered."""
    if target is None:
        yield sys.stdout
        return
    buf = io.StringIO()
    yield buf
    write_output(target, buf.getvalue())


def check(
    corpus: CorpusArg,
    fmt: Annotated[CheckFormat | None, typer.Option("--format", "-f")] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="A file, or an fsspec URL (s3://…).")
    ] = None,
    max_findings: Annotated[
        int | None, typer.Option(min=1, help="Report at most this many findings.")
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore", help="Rule (code or name) or entity id to leave out (repeatable)."
        ),
    ] = None,
    ignore_entity: Annotated[
        list[str] | None, typer.Option("--ignore-entity", help="Entity id to leave alone.")
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Run only these rules (code or name).")
    ] = None,
    min_severity: Annotated[
        str | None, typer.Option(help="Report only: suggestion, warning or error and up.")
    ] = None,
    min_variants: Annotated[
        int | None,
        typer.Option(min=2, help="corpus-variants: report entities spelled this many ways."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="A TOML file of settings ([tool.canonym]).")
    ] = None,
    isolated: Annotated[
        bool, typer.Option("--isolated", help="Ignore pyproject.toml and .canonym.toml.")
    ] = False,
    fix: Annotated[
        bool, typer.Option("--fix", help="Rewrite non-canonical spellings in plain-text files.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="With --fix: show a unified diff, write nothing.")
    ] = False,
    db: DbOpt = None,
    rebuild: RebuildOpt = False,
    jobs: JobsOpt = None,
    scheduler: SchedulerOpt = None,
    text_field: TextFieldOpt = "text",
    id_field: IdFieldOpt = "id",
    encoding: EncodingOpt = None,
    max_doc_bytes: MaxDocBytesOpt = None,
    accept: AcceptOpt = None,
    gazetteer: GazetteerOpt = None,
    no_bundled: NoBundledOpt = False,
) -> None:
    """Check that a corpus spells each entity consistently, like a linter.

    Rules: non-canonical (a spelling normalizing would change), mixed-spellings
    (one document spells an entity two ways), corpus-variants (the corpus spells
    an entity several ways). Exit 0 when clean, 1 with findings or unreadable
    documents, 2 on error or when no document could be read.

    Examples:

      canonym check news/

      canonym check news/ --format html -o report.html

      canonym check news/ --format sarif -o canonym.sarif --ignore united-states

      canonym check news/ --fix --dry-run
    """
    settings = _settings(
        config, isolated, select=select, min_severity=min_severity, min_variants=min_variants,
        format=fmt.value if fmt else None, accept=accept,
        ignore=[*(ignore or []), *(ignore_entity or [])] or None,
        gazetteer=[str(g) for g in gazetteer] if gazetteer else None,
    )  # fmt: skip
    options, fmt = _lint_options(settings)
    accept = settings.accept
    gazetteer = [Path(g) for g in settings.gazetteer] or None
    ignored = set(options["ignore"])
    suppressed: list[Finding] = []
    tally: Counter[str] = Counter()
    fix_paths: set[str] = set()
    in_records = Counter[str]()  # findings in documents --fix cannot rewrite

    def counted(findings: Iterable[Finding]) -> Iterator[Finding]:
        """Count every finding; pass on the first ``max_findings``."""
        for f in findings:
            tally[f.rule] += 1
            if f.rule == "non-canonical" and f.path:
                fix_paths.add(f.path)
            elif f.rule == "non-canonical":
                in_records[f.source.rsplit(":", 1)[0]] += 1
            if max_findings is None or sum(tally.values()) <= max_findings:
                yield f

    with _database(db, rebuild) as store:
        gz, summary = _run(
            corpus, store, gazetteer, no_bundled, jobs, text_field, id_field, scheduler, accept,
            encoding, max_doc_bytes,
        )  # fmt: skip
        unknown = sorted(i for i in ignored if i not in gz)
        if unknown:
            typer.echo(
                f"canonym: warning: --ignore names no known entity: {', '.join(unknown)}", err=True
            )
        findings = counted(suppress(iter_findings(store, **options), suppressed.append))
        if fix:
            for _ in findings:
                pass
            done = fix_files(
                sorted(fix_paths), Normalizer(gz), ignored, dry_run=dry_run, diff_to=sys.stdout
            )
            for p, why in done.failed:
                typer.echo(f"canonym: {p}: not fixed ({why})", err=True)
            n = len(done.changed)
            typer.echo(f"{'would change' if dry_run else 'changed'} {n} files", err=True)
            if done.failed:
                raise typer.Exit(2)
            total = sum(tally.values())
            if in_records:
                # JSON lines, CSV and stdin are not rewritten: say so rather than let
                # "changed 0 files" and exit 0 read as a clean corpus.
                where = ", ".join(sorted(in_records))
                typer.echo(
                    f"canonym: --fix rewrites plain-text files only; {in_records.total()} "
                    f"non-canonical spellings in records of {where} were left as written",
                    err=True,
                )
            if not dry_run:
                total = in_records.total()  # what was fixed is gone; the rest remains
        elif fmt is CheckFormat.text:
            color = output is None and use_color(sys.stdout)
            lines = stream_text(findings, style=_style if color else _plain_style)
            with _output(output) as out:
                for line in lines:
                    out.write(line + "\n")
                total = sum(tally.values())
                if max_findings and total > max_findings:
                    out.write(f"(showing {max_findings} of {total})\n")
        else:
            shown = list(findings)
            total = sum(tally.values())
            if fmt is CheckFormat.json:
                text = render_json(shown, extra={"total": total}) + "\n"
            elif fmt is CheckFormat.sarif:
                text = render_sarif(shown) + "\n"
            else:
                text = render_html(shown, title=f"canonym: name consistency in {corpus}")
            with _output(output) as out:
                out.write(text)
    if suppressed:
        typer.echo(f"canonym: {len(suppressed)} findings suppressed by comments", err=True)
    if total or summary.failed:
        raise typer.Exit(1)


def _lint_options(settings: Settings) -> tuple[dict[str, Any], CheckFormat]:
    try:
        return settings.lint_options(), CheckFormat(settings.format)
    except ValueError as e:
        typer.echo(f"canonym: {e}", err=True)
        raise typer.Exit(2) from None


def _settings(config: Path | None, isolated: bool, **cli: object) -> Settings:
    """The merged settings; a broken configuration file exits 2, naming file and key."""
    try:
        return load_settings(config=config, isolated=isolated, cli=cli)
    except ConfigError as e:
        typer.echo(f"canonym: {e}", err=True)
        raise typer.Exit(2) from None
