"""``canonym resolve``: the entities a name may stand for, and why one links."""

from __future__ import annotations

from typing import Annotated

import typer

from canonym.cli.common import (
    AcceptOpt,
    ContextEncodingOpt,
    ContextFileOpt,
    ContextOpt,
    ExplainOpt,
    Format,
    GazetteerOpt,
    NoBundledOpt,
    emit_json,
    explained,
    fail,
    load_context,
    load_gazetteer,
)

__all__ = ["resolve"]


def resolve(
    name: Annotated[str, typer.Argument(help="A name in any spelling or script.")],
    top: Annotated[
        int, typer.Option("--top", "-k", min=1, help="How many candidates to show.")
    ] = 5,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
    accept: AcceptOpt = None,
    gazetteer: GazetteerOpt = None,
    no_bundled: NoBundledOpt = False,
    context: ContextOpt = None,
    context_file: ContextFileOpt = None,
    encoding: ContextEncodingOpt = None,
    explain: ExplainOpt = False,
) -> None:
    """Show which entities a name may stand for, best first, and how it matched.

    Methods: exact (a canonical form), alias (a listed variant), key (a transliteration
    variant with the same key), fuzzy (a close spelling). Exits 1 when nothing is close.
    With --context, candidates in the countries or near the places the text names
    come first among homonyms; --explain says which one links and why.

    Examples:

      canonym resolve "Mohamed Chia al-Soudani"

      canonym resolve "الحشد الشعبي" --format json

      canonym resolve "Hisbolla" --accept 0.95 --top 3

      canonym resolve "تبوك" --context "Flights from Riyadh resumed." --explain
    """
    if not name.strip():
        fail("empty name")
    gz = load_gazetteer(gazetteer, no_bundled, accept)
    ctx = load_context(gz, context, context_file, encoding)
    matches = gz.resolve(name, top=top, context=ctx)
    why = gz.explain(name, context=ctx) if explain else None
    if fmt is Format.json:
        doc = {"query": name, "candidates": [m.to_dict() for m in matches]}
        emit_json(explained(doc, ctx, why))
    elif matches:
        for i, m in enumerate(matches, 1):
            typer.echo(
                f"{i}. {m.entity.name}  [{m.entity.id}, {m.entity.type}]  "
                f"score {m.score:.3f}  {m.method} via '{m.matched}'"
                + (f", read as '{m.read_as}'" if m.read_as else "")
            )
        for line in why.lines() if why is not None else ():
            typer.echo(line)
    else:
        typer.echo(f"no entity is close enough to '{name}'", err=True)
    if not matches:
        raise typer.Exit(1)
