"""``canonym gazetteer import``: a public source into a gazetteer file, by importer name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from canonym.cli.common import fail, progress_bar

if TYPE_CHECKING:
    from canonym.gazetteer.entity import Entity, Overlay
    from canonym.gazetteer.importers import Importer, ImportLog, ImportRequest

__all__ = ["Source", "import_"]


class Source(StrEnum):
    geonames = "geonames"
    countries = "countries"
    wikidata = "wikidata"
    ftm = "ftm"


def _csv(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def import_(
    source: Annotated[Source, typer.Argument(help="geonames, countries, wikidata or ftm.")],
    file: Annotated[
        Path | None,
        typer.Argument(help="Input file (wikidata, ftm; geonames dump). .gz and .bz2 are read."),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Gazetteer file to write.")] = Path(
        "imported.yaml"
    ),
    min_population: Annotated[
        int, typer.Option(help="geonames: only places with at least this population.")
    ] = 0,
    countries: Annotated[
        str | None, typer.Option(help="geonames: only these country codes, e.g. IQ,SY,LB.")
    ] = None,
    languages: Annotated[
        str, typer.Option(help="countries, wikidata: comma-separated language codes.")
    ] = "en,fr,de,es,ar",
    types: Annotated[
        str, typer.Option(help="wikidata: kinds of entity to keep.")
    ] = "person,organization,place",
    weak_aliases: Annotated[bool, typer.Option(help="ftm: also import weakAlias names.")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Stop at the first malformed record (exit 2).")
    ] = False,
    no_bundled: Annotated[
        bool,
        typer.Option(
            "--no-bundled", help="Write a standalone file, not one to load beside the bundled data."
        ),
    ] = False,
) -> None:
    """Import a public source into a gazetteer file.

    Malformed records are skipped and listed with their line (or, with --strict,
    stop the import). The output is written only when the import completes. It is
    written to load beside the bundled gazetteers and CANONYM_GAZETTEERS: a place
    they already hold gets an `extend:` entry with the names it lacks, and a name
    another entity owns is left out with a warning (--no-bundled: written as read).

    Examples:

      canonym gazetteer import geonames -o cities.yaml --min-population 15000

      canonym gazetteer import geonames cities500.txt --countries IQ,SY -o cities.yaml

      canonym gazetteer import countries -o countries.yaml

      canonym gazetteer import wikidata latest-all.json.bz2 --types person -o people.yaml

      canonym gazetteer import ftm entities.ftm.json --weak-aliases -o sanctions.yaml
    """
    from canonym.gazetteer.importers import ImportLog, ImportRequest, MissingExtra, get_importer

    importer = get_importer(source.value)
    if importer.needs_file and file is None:
        fail(f"{source.value} needs an input FILE")
    if file is not None and not file.is_file():
        fail(f"{file}: {'a directory, not a file' if file.is_dir() else 'no such file'}")
    wanted = _csv(countries)
    request = ImportRequest(
        file=file, min_population=min_population,
        countries=frozenset(wanted) if wanted else None, languages=tuple(_csv(languages) or ()),
        types=tuple(_csv(types) or ()), weak_aliases=weak_aliases, log=ImportLog(strict=strict),
    )  # fmt: skip
    try:  # before anything is written: the importers' packages are an extra
        importer.check(request)
    except MissingExtra as e:
        fail(str(e))
    n = _write_import(importer, request, output, no_bundled)
    _print_problems(request.log)
    typer.echo(f"wrote {n:,} entities to {output}", err=True)


def _write_import(importer: Importer, request: ImportRequest, output: Path, alone: bool) -> int:
    """Run ``importer`` with a progress bar into ``output``; the number of entities written."""
    from canonym.gazetteer.files import search_layers
    from canonym.gazetteer.importers import ImportFailed
    from canonym.gazetteer.importers.known import beside_known
    from canonym.gazetteer.overlay import combine
    from canonym.gazetteer.write import write_gazetteer

    file = request.file
    total = file.stat().st_size if file is not None else None
    # What commands will load beside the output: it extends those entities, never shadows.
    known = [] if alone else [e for g in combine(search_layers()).layers for e in g]
    header = f"Imported by canonym from {importer.name}" + (f" ({file.name})" if file else "")
    try:
        with progress_bar(total, f"importing {importer.name}") as update:
            run = replace(request, progress=update if file is not None else None)
            entities = beside_known(importer.read(run), known, run.log, source=str(output))
            return write_gazetteer(_some_read(entities, run.log), output, header=header)
    except _NothingRead:
        _print_problems(request.log)
        fail(f"no record of {file} could be read; nothing written, {output} left as it was")
    except ImportFailed as e:
        fail(f"{e.problem.file}:{e.problem.line}: {e.problem.message} (stopped: --strict)")
    except UnicodeDecodeError as e:
        fail(f"{file}: not valid UTF-8 ({e.reason} at byte {e.start})")


class _NothingRead(Exception):
    """Every record was malformed: most likely the wrong file, or the wrong importer."""


def _some_read(entities: Iterable[Entity | Overlay], log: ImportLog) -> Iterator[Entity | Overlay]:
    """``entities`` as they come; ``_NothingRead`` at the end when none came and records
    were skipped, so that the atomic writer drops the empty file instead of replacing
    a good gazetteer with it."""
    n = 0
    for e in entities:
        n += 1
        yield e
    if n == 0 and any(p.severity == "error" for p in log.problems):
        raise _NothingRead


def _print_problems(log: ImportLog) -> None:
    for p in log.problems[:50]:
        what = "skipped" if p.severity == "error" else "warning"
        typer.echo(f"{p.file}:{p.line}: {what}: {p.message}", err=True)
    if len(log.problems) > 50:
        typer.echo(f"... and {len(log.problems) - 50} more skipped records", err=True)
