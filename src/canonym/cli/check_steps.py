"""What ``canonym check`` does with a corpus run: its findings, and ``--fix``.

The library is imported when a step runs, so that building the command line
(every ``canonym`` command, ``--help`` too) does not load it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from canonym.corpus.forms import FormsPlan
    from canonym.corpus.store import Store
    from canonym.gazetteer.core import Gazetteer
    from canonym.jobs.lint import Finding
    from canonym.jobs.overrides import Override

__all__ = ["findings", "fix", "ignored_in"]


def findings(
    store: Store,
    gz: Gazetteer,
    options: dict[str, Any],
    overrides: list[Override],
    suppressed: list[Finding],
) -> Iterator[Finding]:
    """The findings the settings ask for (per path and language too), less those the
    documents' comments suppress; each with its entity's country, kind and place."""
    from canonym.jobs.overrides import findings_with_overrides
    from canonym.jobs.suppress import suppress

    found = findings_with_overrides(store, overrides, gazetteer=gz, **options)
    return suppress(found, suppressed.append)


def ignored_in(
    store: Store, ignored: set[str], overrides: list[Override]
) -> Callable[[str], set[str]]:
    """The entities ``--fix`` leaves as written in a file: everywhere, or there."""
    from canonym.jobs.overrides import ignored_entities

    def of(path: str) -> set[str]:
        return ignored | ignored_entities(overrides, path, path, store.language_of(path))

    return of


def fix(
    gz: Gazetteer, forms: FormsPlan | None, findings: Iterator[Finding],
    ignored: Callable[[str], set[str]], dry_run: bool,
) -> int:  # fmt: skip
    """Rewrite (or diff) the plain-text files, each to the forms the run held it to; the
    number of findings that remain."""
    from canonym.corpus.forms import Normalizers
    from canonym.jobs.fix import fix_findings

    normalizers = Normalizers(gz, forms)
    pick = lambda path, text: normalizers.for_document(path, path, text)  # noqa: E731
    done, tally = fix_findings(findings, pick, ignored, dry_run=dry_run, diff_to=sys.stdout)
    for p, why in done.failed:
        typer.echo(f"canonym: {p}: not fixed ({why})", err=True)
    typer.echo(f"{'would change' if dry_run else 'changed'} {len(done.changed)} files", err=True)
    if done.failed:
        raise typer.Exit(2)
    if tally.in_records:
        # JSON lines, CSV and stdin are not rewritten: say so rather than let
        # "changed 0 files" and exit 0 read as a clean corpus.
        where = ", ".join(sorted(tally.in_records))
        typer.echo(
            f"canonym: --fix rewrites plain-text files only; {tally.in_records.total()} "
            f"non-canonical spellings in records of {where} were left as written",
            err=True,
        )
    # What was fixed is gone; the rest remains.
    return tally.total if dry_run else tally.in_records.total()
