"""``canonym aliases build``: how a corpus actually spells each entity."""

from __future__ import annotations

import io
import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from canonym.cli.common import AcceptOpt, GazetteerOpt, NoBundledOpt
from canonym.cli.corpus import (
    CorpusArg,
    CorpusOptions,
    DbOpt,
    EncodingOpt,
    ExcludeOpt,
    IdFieldOpt,
    IncludeOpt,
    JobsOpt,
    MaxDocBytesOpt,
    RebuildOpt,
    SchedulerOpt,
    TextFieldOpt,
    database,
    run_with_progress,
)

if TYPE_CHECKING:
    from canonym.gazetteer.core import Gazetteer
    from canonym.jobs.aliases import AliasTable

aliases_app = typer.Typer(
    help="Alias tables: how a corpus actually spells each entity.", no_args_is_help=True
)


class AliasFormat(StrEnum):
    csv = "csv"
    json = "json"
    patch = "patch"


def _render(table: AliasTable, gz: Gazetteer, fmt: AliasFormat, corpus: str) -> str:
    from canonym.gazetteer.write import render_patch

    if fmt is AliasFormat.patch:
        header = (
            f"Patch proposed by canonym aliases build from {corpus}.\n"
            "Review, edit or delete entries, then: canonym gazetteer merge PATCH TARGET"
        )
        return render_patch(table.patch_entities(gz), header=header)
    if fmt is AliasFormat.json:
        return json.dumps(table.to_dict(), ensure_ascii=False, indent=2) + "\n"
    buf = io.StringIO()
    table.write_csv(buf)
    return buf.getvalue()


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
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
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
    from canonym.io import check_output, write_output
    from canonym.jobs.aliases import build_alias_table

    opts = CorpusOptions(
        gazetteer=gazetteer, no_bundled=no_bundled, jobs=jobs, scheduler=scheduler,
        text_field=text_field, id_field=id_field, accept=accept, encoding=encoding,
        max_doc_bytes=max_doc_bytes, include=include, exclude=exclude,
    )  # fmt: skip
    if output is not None:
        check_output(output)
    with database(db, rebuild) as store:
        gz, summary = run_with_progress(corpus, store, opts)
        table = build_alias_table(store, gz, min_count=min_count)
    text = _render(table, gz, fmt, corpus)
    if output is not None:
        write_output(output, text)
    else:
        sys.stdout.write(text)
    if summary.failed:
        raise typer.Exit(1)  # the table lacks the unreadable documents
