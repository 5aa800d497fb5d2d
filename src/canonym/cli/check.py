"""``canonym check``: the name-consistency linter on the command line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from canonym.cli import check_steps
from canonym.cli.check_options import (
    CheckConfigOpt,
    CheckCorpusArg,
    CheckDryRunOpt,
    CheckExitZeroOpt,
    CheckFixOpt,
    CheckFormsOpt,
    CheckIgnoreEntityOpt,
    CheckIgnoreOpt,
    CheckIsolatedOpt,
    CheckMaxFindingsOpt,
    CheckMinSeverityOpt,
    CheckMinVariantsOpt,
    CheckOutputOpt,
    CheckSelectOpt,
    CheckStatisticsOpt,
)
from canonym.cli.common import AcceptOpt, GazetteerOpt, NoBundledOpt, fail, use_color
from canonym.cli.corpus import (
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
    from canonym.config import Settings
    from canonym.corpus.paths import PathFilter
    from canonym.corpus.run import RunSummary
    from canonym.corpus.store import Store
    from canonym.gazetteer.core import Gazetteer
    from canonym.jobs.lint import Finding
    from canonym.jobs.overrides import Override

__all__ = ["check"]


class CheckFormat(StrEnum):
    # The names of the registered reporters (canonym.report); each is looked up by name.
    text = "text"
    line = "line"
    github = "github"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    html = "html"


def _style(text: str, role: str) -> str:
    colors = {"file": "bright_white", "non-canonical": "yellow", "mixed-spellings": "magenta",
              "corpus-variants": "cyan"}  # fmt: skip
    return typer.style(text, fg=colors.get(role), bold=role == "file")


@contextmanager
def _output(target: str | None) -> Iterator[TextIO]:
    """Standard output, or a file or URL put in place once everything is rendered
    (written as it is rendered, so that a large report never waits in memory)."""
    from canonym.io import output_stream

    if target is None:
        yield sys.stdout
        return
    with output_stream(target) as out:
        yield out


def _warn_unknown(ignored: set[str], gz: Gazetteer) -> None:
    unknown = sorted(i for i in ignored if i not in gz)
    if unknown:
        typer.echo(
            f"canonym: warning: --ignore names no known entity: {', '.join(unknown)}", err=True
        )


def _report(
    findings: Iterator[Finding], fmt: CheckFormat, corpus: str, output: str | None,
    max_findings: int | None, store: Store, statistics: bool, summary: RunSummary,
) -> int:  # fmt: skip
    """Write the findings in format ``fmt`` (and their statistics); how many there were."""
    from canonym.jobs.fix import FindingTally
    from canonym.report import ReportOptions, Statistics, get_reporter
    from canonym.report.base import plain

    tally = FindingTally(limit=max_findings)
    stats = Statistics() if statistics else None
    color = fmt is CheckFormat.text and output is None and use_color(sys.stdout)
    options = ReportOptions(
        title=f"canonym: name consistency in {corpus}",
        style=_style if color else plain,
        max_findings=max_findings,
        total=lambda: tally.total,
        statistics=stats,
        documents=store.sources,
        unreadable=summary.failed,
    )
    reporter = get_reporter(fmt.value, options)
    with _output(output) as out:
        reporter.write(tally.count(stats.count(findings) if stats else findings), out)
    if stats is not None and not reporter.shows_statistics:
        for line in stats.lines():  # a SARIF, JUnit or HTML file has no room for them
            typer.echo(line, err=True)
    return tally.total


def check(
    corpus: CheckCorpusArg,
    fmt: Annotated[CheckFormat | None, typer.Option("--format", "-f")] = None,
    output: CheckOutputOpt = None,
    max_findings: CheckMaxFindingsOpt = None,
    ignore: CheckIgnoreOpt = None,
    ignore_entity: CheckIgnoreEntityOpt = None,
    select: CheckSelectOpt = None,
    min_severity: CheckMinSeverityOpt = None,
    min_variants: CheckMinVariantsOpt = None,
    forms: CheckFormsOpt = None,
    config: CheckConfigOpt = None,
    isolated: CheckIsolatedOpt = False,
    fix: CheckFixOpt = False,
    dry_run: CheckDryRunOpt = False,
    statistics: CheckStatisticsOpt = False,
    exit_zero: CheckExitZeroOpt = False,
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
    """Check that a corpus spells each entity consistently, like a linter.

    Rules: non-canonical (a spelling normalizing would change), mixed-spellings
    (one document spells an entity two ways), corpus-variants (the corpus spells
    an entity several ways). Exit 0 when clean, 1 with findings or unreadable
    documents, 2 on error or when no document could be read.

    Examples:

      canonym check news/

      canonym check news/ --format html -o report.html

      canonym check news/ --format sarif -o canonym.sarif --ignore united-states

      canonym check news/ --format github --statistics --exit-zero

      canonym check news/ --fix --dry-run

      canonym check news/ --exclude 'drafts/' --include '*.md'

      canonym check news/ wires.jsonl --forms en

    Settings come from \\[tool.canonym] in pyproject.toml or a .canonym.toml (see
    'canonym config show'); a corpus folder's README*, build/ and tool folders are
    skipped unless named.
    """
    settings = _settings(
        config, isolated, select=select, min_severity=min_severity, min_variants=min_variants,
        format=fmt.value if fmt else None, accept=accept,
        ignore=[*(ignore or []), *(ignore_entity or [])] or None,
        gazetteer=[str(g) for g in gazetteer] if gazetteer else None,
        include=include or None, extend_exclude=exclude or None,
        forms=forms.strip().lower() if forms else None,
    )  # fmt: skip
    options, overrides, paths, fmt = _lint_options(settings)
    opts = CorpusOptions(
        gazetteer=[Path(g) for g in settings.gazetteer] or None, no_bundled=no_bundled,
        jobs=jobs, scheduler=scheduler, text_field=text_field, id_field=id_field,
        accept=settings.accept, encoding=encoding, max_doc_bytes=max_doc_bytes, paths=paths,
        forms=settings.forms_plan(),
    )  # fmt: skip
    _check_output_option(output, fix)
    suppressed: list[Finding] = []
    with database(db, rebuild) as store:
        gz, summary = run_with_progress(corpus, store, opts)
        _warn_unknown(set(options["ignore"]), gz)
        findings = check_steps.findings(store, gz, options, overrides, suppressed)
        if fix:
            ignored = check_steps.ignored_in(store, set(options["ignore"]), overrides)
            total = check_steps.fix(gz, opts.forms, findings, ignored, dry_run)
        else:
            total = _report(
                findings, fmt, " ".join(corpus), output, max_findings, store, statistics, summary
            )
    _finish(suppressed, total, exit_zero, summary)


def _check_output_option(output: str | None, fix: bool) -> None:
    """Before a long run: no ``-o`` with ``--fix``, and a report path that can be written."""
    from canonym.io import check_output

    if output is not None and fix:
        fail("--fix rewrites the files and writes no report: drop -o, or run without --fix")
    if output is not None:
        check_output(output)


def _finish(suppressed: list[Finding], total: int, exit_zero: bool, summary: RunSummary) -> None:
    """Say what comments suppressed; exit 1 on findings (unless told not to) or failures."""
    if suppressed:
        typer.echo(f"canonym: {len(suppressed)} findings suppressed by comments", err=True)
    if (total and not exit_zero) or summary.failed:
        raise typer.Exit(1)


def _lint_options(
    settings: Settings,
) -> tuple[dict[str, Any], list[Override], PathFilter, CheckFormat]:
    try:
        options, overrides = settings.lint_options(), settings.overrides()
        return options, overrides, settings.paths(), CheckFormat(settings.format)
    except ValueError as e:
        typer.echo(f"canonym: {e}", err=True)
        raise typer.Exit(2) from None


def _settings(config: Path | None, isolated: bool, **cli: object) -> Settings:
    """The merged settings; a broken configuration file exits 2, naming file and key."""
    from canonym.config import ConfigError
    from canonym.config import load as load_settings

    try:
        return load_settings(config=config, isolated=isolated, cli=cli)
    except ConfigError as e:
        typer.echo(f"canonym: {e}", err=True)
        raise typer.Exit(2) from None
