"""``canonym gazetteer ...``: check, describe, search, import and merge gazetteer data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from canonym.cli.common import (
    Format,
    GazetteerOpt,
    NoBundledOpt,
    emit_json,
    fail,
    load_gazetteer,
    progress_bar,
)
from canonym.gazetteer.entity import GazetteerError, Problem
from canonym.gazetteer.files import GIVEN, Layer, search_layers
from canonym.gazetteer.importers import (
    Importer,
    ImportFailed,
    ImportLog,
    ImportRequest,
    MissingExtra,
    get_importer,
)
from canonym.gazetteer.importers.known import beside_known
from canonym.gazetteer.overlay import Combined, combine
from canonym.gazetteer.stats import gazetteer_stats
from canonym.gazetteer.write import write_gazetteer
from canonym.io import OutputError
from canonym.names.keys import name_key, name_skeleton

gazetteer_app = typer.Typer(
    help=(
        "Check, describe, search, import and merge gazetteers.\n\n"
        "A gazetteer is a YAML file (or a directory of them) listing entities with "
        "their canonical names and known variants; see the README for the format."
    ),
    no_args_is_help=True,
)

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Gazetteer files or directories (default: the bundled ones)."),
]


def _combined(paths: list[Path] | None, no_bundled: bool) -> tuple[list[Layer], Combined]:
    """What commands load with ``-g paths``: every layer, combined and checked."""
    if no_bundled and not paths:
        fail("--no-bundled needs at least one gazetteer PATH")
    try:
        layers = search_layers(paths or [], with_defaults=not no_bundled)
    except GazetteerError as e:
        fail(str(e))
    return layers, combine(layers)


def _layer_of(layers: list[Layer]) -> Callable[[Problem], str]:
    labels = {f.resolve(): layer.label for layer in reversed(layers) for f in layer.files}
    return lambda p: labels.get(Path(p.file).resolve(), GIVEN)


def _problem_dict(p: Problem, layer: str) -> dict[str, object]:
    keys = ("file", "line", "entity", "severity")
    return {**{k: getattr(p, k) for k in keys}, "layer": layer, "message": p.message}


@gazetteer_app.command()
def validate(
    paths: PathsArg = None,
    no_bundled: NoBundledOpt = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Warnings count as problems too (exit 1).")
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
) -> None:
    """Check gazetteer files together with what commands load with them, as file:line.

    PATHS are checked as `-g PATHS` loads them: after the bundled gazetteers and
    CANONYM_GAZETTEERS (unless --no-bundled). Errors (missing or unknown fields, bad
    types, duplicate ids, YAML errors, an overlay of an unknown id) exit 1; warnings
    (a name two entities share, a name an earlier gazetteer shadows) exit 0 unless
    --strict. Each problem says its layer: bundled, environment or file given.

    Examples:

      canonym gazetteer validate

      canonym gazetteer validate my-names.yaml extra/ --format json

      canonym gazetteer validate --no-bundled gazetteers/ --strict
    """
    layers, combined = _combined(paths, no_bundled)
    problems = combined.problems
    layer_of = _layer_of(layers)
    n_files = sum(len(layer.files) for layer in layers)
    n_entities = sum(map(len, combined.layers))
    if fmt is Format.json:
        emit_json(
            {
                "files": n_files,
                "entities": n_entities,
                "layers": [
                    {"path": str(la.path), "layer": la.label, "files": len(la.files)}
                    for la in layers
                ],
                "problems": [_problem_dict(p, layer_of(p)) for p in problems],
            }
        )
    else:
        for p in problems:
            typer.echo(f"{p} ({layer_of(p)})")
        n_err = sum(p.severity == "error" for p in problems)
        n_warn = len(problems) - n_err
        verdict = f"{n_err} error{'s' * (n_err != 1)}, {n_warn} warning{'s' * (n_warn != 1)}"
        typer.echo(f"{n_files} files, {n_entities} entities: {verdict if problems else 'valid'}",
                   err=True)  # fmt: skip
    if any(strict or p.severity == "error" for p in problems):
        raise typer.Exit(1)


@gazetteer_app.command()
def stats(
    gazetteer: GazetteerOpt = None,
    no_bundled: NoBundledOpt = False,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
) -> None:
    """Count entities by type, their forms, ids, and the scripts they are written in.

    Example:

      canonym gazetteer stats -g my-names.yaml
    """
    gz = load_gazetteer(gazetteer, no_bundled)
    data = gazetteer_stats(gz)
    if fmt is Format.json:
        emit_json(data)
        return
    typer.echo(f"entities: {data['entities']:,}")
    for k, v in data["by_type"].items():
        typer.echo(f"  {k:13} {v:,}")
    typer.echo(
        f"canonical forms: {data['forms']['names']:,}  aliases: {data['forms']['aliases']:,}"
        f"  per-language forms: {data['forms']['forms']:,}"
    )
    ids = data["with_ids"]
    typer.echo(f"with wikidata id: {ids['wikidata']:,}  with geonames id: {ids['geonames']:,}")
    typer.echo("entities with a form in each script:")
    for k, v in data["entities_with_script"].items():
        typer.echo(f"  {k:13} {v:,}")
    typer.echo("entities with a canonical form in each language:")
    total = max(data["entities"], 1)
    for k, v in data["entities_with_forms"].items():
        typer.echo(f"  {k:13} {v:,} ({v / total:.0%})")


@gazetteer_app.command()
def search(
    query: Annotated[str, typer.Argument(help="A name in any spelling or script.")],
    top: Annotated[int, typer.Option("--top", "-k", min=1)] = 5,
    gazetteer: GazetteerOpt = None,
    no_bundled: NoBundledOpt = False,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
) -> None:
    """Show which entity a name resolves to, and why: keys, method, matched form.

    Example:

      canonym gazetteer search "Haschd al-Schaabi"
    """
    if not query.strip():
        fail("empty name")
    gz = load_gazetteer(gazetteer, no_bundled)
    matches = gz.resolve(query, top=top)
    linked = gz.link(query)
    info = {"query": query, "key": name_key(query), "skeleton": name_skeleton(query)}
    if fmt is Format.json:
        emit_json(
            {
                **info,
                "linked": linked.entity.id if linked else None,
                "candidates": [
                    {
                        **m.to_dict(),
                        "matched_key": name_key(m.matched),
                        **({"read_as": m.read_as} if m.read_as else {}),
                        "source": f"{m.entity.source}:{m.entity.line}",
                    }
                    for m in matches
                ],
            }
        )
    else:
        typer.echo(f"query '{query}'  key '{info['key']}'  skeleton '{info['skeleton']}'")
        for i, m in enumerate(matches, 1):
            typer.echo(
                f"{i}. {m.entity.name} [{m.entity.id}, {m.entity.type}] score {m.score:.3f} "
                f"{m.method}: matched '{m.matched}' (key '{name_key(m.matched)}') "
                + (f"read as '{m.read_as}' " if m.read_as else "")
                + f"in {m.entity.source}:{m.entity.line}"
            )
        if not matches:
            typer.echo("no candidate is close enough")
        elif linked is None:
            typer.echo("not linked: the best candidates are too close to choose (ambiguous)")
        else:
            typer.echo(f"links to {linked.entity.id}")
    if not matches:
        raise typer.Exit(1)


class Source(StrEnum):
    geonames = "geonames"
    countries = "countries"
    wikidata = "wikidata"
    ftm = "ftm"


def _csv(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


@gazetteer_app.command("import")
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
    file = request.file
    total = file.stat().st_size if file is not None else None
    # What commands will load beside the output: it extends those entities, never shadows.
    known = [] if alone else [e for g in combine(search_layers()).layers for e in g]
    header = f"Imported by canonym from {importer.name}" + (f" ({file.name})" if file else "")
    try:
        with progress_bar(total, f"importing {importer.name}") as update:
            run = replace(request, progress=update if file is not None else None)
            entities = beside_known(importer.read(run), known, run.log, source=str(output))
            return write_gazetteer(entities, output, header=header)
    except ImportFailed as e:
        fail(f"{e.problem.file}:{e.problem.line}: {e.problem.message} (stopped: --strict)")
    except UnicodeDecodeError as e:
        fail(f"{file}: not valid UTF-8 ({e.reason} at byte {e.start})")


def _print_problems(log: ImportLog) -> None:
    for p in log.problems[:50]:
        what = "skipped" if p.severity == "error" else "warning"
        typer.echo(f"{p.file}:{p.line}: {what}: {p.message}", err=True)
    if len(log.problems) > 50:
        typer.echo(f"... and {len(log.problems) - 50} more skipped records", err=True)


@gazetteer_app.command()
def merge(
    patch: Annotated[Path, typer.Argument(help="A reviewed patch in the gazetteer format.")],
    target: Annotated[Path, typer.Argument(help="Gazetteer file or directory to merge into.")],
    new_into: Annotated[
        Path | None,
        typer.Option(help="File for new entities (default: TARGET, or TARGET/additions.yaml)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the changes as a diff; write nothing.")
    ] = False,
    no_bundled: NoBundledOpt = False,
) -> None:
    """Apply a reviewed patch: new aliases for known entities, and new entities.

    Entities TARGET defines get the patch's names and aliases in place, comments and
    layout kept; an entity the bundled data or CANONYM_GAZETTEERS defines gets an
    `extend:` entry in TARGET (the installed files are never edited); new entities
    are appended. Nothing is written unless TARGET validates together with the
    gazetteers commands load before it (all of them, unless --no-bundled). A .yaml
    TARGET that does not exist yet is created.

    Examples:

      canonym gazetteer merge patch.yaml my-names.yaml

      canonym gazetteer merge patch.yaml gazetteers/ --dry-run --no-bundled
    """
    from canonym.gazetteer.merge import merge_patch

    if not patch.is_file():
        fail(f"{patch}: {'a directory, not a file' if patch.is_dir() else 'no such file'}")
    if not target.exists() and target.suffix not in (".yaml", ".yml"):
        fail(f"{target}: no such gazetteer file or directory (a new file's name ends in .yaml)")
    try:
        layers = search_layers([], with_defaults=not no_bundled)
        report = merge_patch(patch, target, new_into=new_into, dry_run=dry_run, layers=layers)
    except GazetteerError as e:
        layer_of = _layer_of(layers)
        for p in e.problems[:20] if len(e.problems) > 1 else ():
            typer.echo(f"{p} ({layer_of(p)})", err=True)
        first = e.problems[0] if e.problems else None
        where = f" ({layer_of(first)})" if first is not None else ""
        fail(f"merge refused, nothing written: {e}{where}")
    except OutputError as e:
        fail(f"{e}; nothing written")
    if dry_run:
        for diff in report.diffs.values():
            typer.echo(diff, nl=False)
    n_forms = sum(map(len, report.added.values()))
    verb = "would add" if dry_run else "added"
    typer.echo(
        f"{verb} {n_forms} forms to {len(report.added)} entities "
        f"({len(report.overlays)} through new extend: entries) and "
        f"{len(report.new_entities)} new entities; {len(report.unchanged)} entries had nothing new",
        err=True,
    )
