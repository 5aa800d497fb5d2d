"""``canonym gazetteer ...``: check, describe, search, import and merge gazetteer data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from canonym.cli.common import (
    ContextEncodingOpt,
    ContextFileOpt,
    ContextOpt,
    ExplainOpt,
    Format,
    GazetteerOpt,
    NoBundledOpt,
    NoBundledPathsOpt,
    emit_json,
    explained,
    fail,
    load_context,
    load_gazetteer,
)
from canonym.cli.compiling import compile_
from canonym.cli.importing import import_
from canonym.gazetteer.entity import GazetteerError, Problem
from canonym.gazetteer.files import GIVEN, Layer, search_layers
from canonym.gazetteer.overlay import Combined, combine

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
    no_bundled: NoBundledPathsOpt = False,
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
    from canonym.gazetteer.stats import gazetteer_stats

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
    context: ContextOpt = None,
    context_file: ContextFileOpt = None,
    encoding: ContextEncodingOpt = None,
    explain: ExplainOpt = False,
) -> None:
    """Show which entity a name resolves to, and why: keys, method, matched form.

    Example:

      canonym gazetteer search "Haschd al-Schaabi"

      canonym gazetteer search "Tabuk" --context "Flights from Riyadh resumed." --explain
    """
    from canonym.names.keys import name_key, name_skeleton

    if not query.strip():
        fail("empty name")
    gz = load_gazetteer(gazetteer, no_bundled)
    ctx = load_context(gz, context, context_file, encoding)
    matches = gz.resolve(query, top=top, context=ctx)
    why = gz.explain(query, context=ctx)
    linked = why.match
    info = {"query": query, "key": name_key(query), "skeleton": name_skeleton(query)}
    if fmt is Format.json:
        doc = explained(
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
            },
            ctx,
            why if explain else None,
        )
        emit_json(doc)
    else:
        typer.echo(f"query '{query}'  key '{info['key']}'  skeleton '{info['skeleton']}'")
        for i, m in enumerate(matches, 1):
            typer.echo(
                f"{i}. {m.entity.name} [{m.entity.id}, {m.entity.type}] score {m.score:.3f} "
                f"{m.method}: matched '{m.matched}' (key '{name_key(m.matched)}') "
                + (f"read as '{m.read_as}' " if m.read_as else "")
                + f"in {m.entity.source}:{m.entity.line}"
            )
        if explain and matches:
            for line in why.lines():
                typer.echo(line)
        elif not matches:
            typer.echo("no candidate is close enough")
        elif linked is None:
            typer.echo("not linked: the best candidates are too close to choose (ambiguous)")
        else:
            typer.echo(f"links to {linked.entity.id}")
    if not matches:
        raise typer.Exit(1)


gazetteer_app.command("import")(import_)
gazetteer_app.command("compile")(compile_)


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
    no_bundled: Annotated[
        bool,
        typer.Option(
            "--no-bundled",
            help="Check TARGET alone, not with the bundled gazetteers nor CANONYM_GAZETTEERS.",
        ),
    ] = False,
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
    from canonym.io import OutputError

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
