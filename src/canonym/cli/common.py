"""What every ``canonym`` subcommand shares: common options, failing, loading gazetteers, output."""

from __future__ import annotations

import codecs
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from canonym.cli.base import Format, Shield, Translate, load_gazetteer
from canonym.cli.failing import fail

if TYPE_CHECKING:
    from canonym.gazetteer.core import Gazetteer
    from canonym.match.context import Context
    from canonym.match.explain import Explanation

__all__ = [
    "Format",
    "Shield",
    "Translate",
    "GazetteerOpt",
    "NoBundledOpt",
    "NoBundledPathsOpt",
    "AcceptOpt",
    "fail",
    "check_encoding",
    "load_gazetteer",
    "emit_json",
    "progress_bar",
    "use_color",
]


GazetteerOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--gazetteer",
        "-g",
        help="Extra gazetteer file or directory (repeatable); searched after the bundled ones. "
        "An index directory from 'gazetteer compile' is used alone, in place of all others.",
    ),
]
NoBundledOpt = Annotated[
    bool,
    typer.Option("--no-bundled", help="Use only --gazetteer paths, not the bundled gazetteers."),
]
# For the commands that take gazetteer paths as arguments, not as --gazetteer.
NoBundledPathsOpt = Annotated[
    bool,
    typer.Option(
        "--no-bundled",
        help="Use only the paths given, not the bundled gazetteers nor CANONYM_GAZETTEERS.",
    ),
]
AcceptOpt = Annotated[
    float | None,
    typer.Option(
        "--accept",
        min=0.5,
        max=1.0,
        help="Lowest score a transliteration or fuzzy match needs (default 0.90). "
        "Higher: fewer links and fewer wrong ones; 1.0: only spellings as listed "
        "(accents and punctuation aside). Names in Arabic script need 0.06 more.",
    ),
]


ContextOpt = Annotated[
    str | None,
    typer.Option(
        "--context",
        help="Text around the name: the countries and places it names rank homonyms "
        "(Tabuk in Saudi Arabia or in the Philippines).",
    ),
]
ContextFileOpt = Annotated[
    str | None,
    typer.Option("--context-file", help="Read the context text from this file (- for stdin)."),
]
ContextEncodingOpt = Annotated[
    str | None,
    typer.Option("--encoding", help="Encoding of --context-file, e.g. cp1256 (default UTF-8)."),
]
ExplainOpt = Annotated[
    bool,
    typer.Option(
        "--explain",
        help="Say why the name links or not: the matched form, the features that weighed "
        "most, the runner-up, what broke a tie.",
    ),
]


def load_context(
    gz: Gazetteer, context: str | None, context_file: str | None, encoding: str | None = None
) -> Context | None:
    """The context ``--context`` and/or ``--context-file`` (read in ``encoding``) give,
    read with ``gz``."""
    from canonym.io import InputError, read_text
    from canonym.normalize.document import context_of

    parts = [context] if context else []
    if context_file is not None:
        try:
            parts.append(read_text(context_file, encoding)[1])
        except InputError as e:
            fail(str(e))
    return context_of(gz, "\n".join(parts)) if parts else None


def explained(
    doc: dict[str, Any], context: Context | None, why: Explanation | None
) -> dict[str, Any]:
    """``doc`` (a JSON answer) with the context read and the explanation, when there are."""
    if context is not None:
        doc["context"] = context.to_dict()
    if why is not None:
        doc["explanation"] = why.to_dict()
    return doc


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@contextmanager
def progress_bar(total: int | None, description: str) -> Iterator[Any]:
    """A progress bar on stderr; yields a function taking the amount done so far."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    columns = [
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=console, transient=True, disable=not sys.stderr.isatty()) as p:
        task = p.add_task(description, total=total)
        yield lambda done: p.update(task, completed=done)


def use_color(stream: IO[str]) -> bool:
    """Colour for a terminal, never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def check_encoding(encoding: str | None) -> None:
    """Exit 2 on an encoding Python does not know, before any document is read."""
    if encoding is None:
        return
    try:
        codecs.lookup(encoding)
    except LookupError:
        fail(f"unknown encoding '{encoding}'; give one such as utf-8, cp1256 or latin-1")
