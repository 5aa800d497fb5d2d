"""The ``canonym`` command: a thin layer that parses arguments and calls the library.

Exit codes: 0 success, 1 a lookup found nothing, 2 bad input or usage
(with a one-line reason on stderr).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from canonym.cli_common import (
    Format,
    GazetteerOpt,
    NoBundledOpt,
    emit_json,
    fail,
    load_gazetteer,
)
from canonym.cli_corpus import aliases_app, check
from canonym.cli_gazetteer import gazetteer_app
from canonym.normalize import Normalizer
from canonym.textio import InputError, read_text, write_atomic

app = typer.Typer(
    name="canonym",
    help=(
        "Consistent names in multilingual news.\n\n"
        "canonym finds the people, organizations and places a text mentions, whatever "
        "their transliteration (Hachd al-Chaabi, Hashd al-Shaabi, الحشد الشعبي), and "
        "rewrites them to one canonical spelling from curated gazetteers."
    ),
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.command()
def normalize(
    file: Annotated[str, typer.Argument(help="Text file to normalize, or - for stdin.")],
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="text: the rewritten text; json: text and mentions."),
    ] = Format.text,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here instead of stdout (atomically)."),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Input encoding, e.g. cp1256 or latin-1 (default UTF-8).")
    ] = None,
    no_fuzzy: Annotated[
        bool, typer.Option("--no-fuzzy", help="Only exact, alias and key matches.")
    ] = False,
    gazetteer: GazetteerOpt = None,
    no_bundled: NoBundledOpt = False,
) -> None:
    """Rewrite every name in a text to its canonical spelling.

    Text outside the names is kept byte for byte. Short forms (Mr. Soudani) follow
    the full name used earlier in the document; names that could mean two entities
    are left alone and listed as ambiguous in the JSON output.

    Examples:

      canonym normalize article.txt

      cat article.txt | canonym normalize - --format json

      canonym normalize article.txt -g my-names.yaml -o article.canon.txt
    """
    try:
        name, text = read_text(file, encoding)
    except InputError as e:
        fail(str(e))
    gz = load_gazetteer(gazetteer, no_bundled)
    result = Normalizer(gz, fuzzy=not no_fuzzy).normalize(text)
    if fmt is Format.json:
        payload = (
            json.dumps({"file": name, **result.to_dict()}, ensure_ascii=False, indent=2) + "\n"
        )
    else:
        payload = result.text
    if output is not None:
        write_atomic(output, payload)
    else:
        sys.stdout.write(payload)
        sys.stdout.flush()


@app.command()
def resolve(
    name: Annotated[str, typer.Argument(help="A name in any spelling or script.")],
    top: Annotated[
        int, typer.Option("--top", "-k", min=1, help="How many candidates to show.")
    ] = 5,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
    gazetteer: GazetteerOpt = None,
    no_bundled: NoBundledOpt = False,
) -> None:
    """Show which entities a name may stand for, best first, and how it matched.

    Methods: exact (a canonical form), alias (a listed variant), key (a transliteration
    variant with the same key), fuzzy (a close spelling). Exits 1 when nothing is close.

    Examples:

      canonym resolve "Mohamed Chia al-Soudani"

      canonym resolve "الحشد الشعبي" --format json
    """
    if not name.strip():
        fail("empty name")
    gz = load_gazetteer(gazetteer, no_bundled)
    matches = gz.resolve(name, top=top)
    if fmt is Format.json:
        emit_json({"query": name, "candidates": [m.to_dict() for m in matches]})
    elif matches:
        for i, m in enumerate(matches, 1):
            typer.echo(
                f"{i}. {m.entity.name}  [{m.entity.id}, {m.entity.type}]  "
                f"score {m.score:.3f}  {m.method} via '{m.matched}'"
            )
    else:
        typer.echo(f"no entity is close enough to '{name}'", err=True)
    if not matches:
        raise typer.Exit(1)


app.add_typer(gazetteer_app, name="gazetteer")
app.add_typer(aliases_app, name="aliases")
app.command()(check)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
