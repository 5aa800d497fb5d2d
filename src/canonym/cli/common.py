"""What every ``canonym`` subcommand shares: common options, failing, loading gazetteers, output."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any, NoReturn

import typer

from canonym.gazetteer.core import Gazetteer
from canonym.gazetteer.entity import GazetteerError

__all__ = [
    "Format",
    "Shield",
    "Translate",
    "GazetteerOpt",
    "NoBundledOpt",
    "AcceptOpt",
    "fail",
    "load_gazetteer",
    "emit_json",
    "progress_bar",
    "use_color",
]


class Format(StrEnum):
    text = "text"
    json = "json"


class Translate(StrEnum):
    auto = "auto"
    never = "never"
    require = "require"


class Shield(StrEnum):
    canonical = "canonical"
    placeholder = "placeholder"


GazetteerOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--gazetteer",
        "-g",
        help="Extra gazetteer file or directory (repeatable); searched after the bundled ones.",
    ),
]
NoBundledOpt = Annotated[
    bool,
    typer.Option("--no-bundled", help="Use only --gazetteer paths, not the bundled gazetteers."),
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


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"canonym: {message}", err=True)
    raise typer.Exit(code)


def load_gazetteer(
    paths: list[Path] | None, no_bundled: bool, accept: float | None = None
) -> Gazetteer:
    try:
        if no_bundled:
            if not paths:
                fail("--no-bundled needs at least one --gazetteer PATH")
            gz = Gazetteer.load(*paths)
        else:
            gz = Gazetteer.default(*(paths or []))
    except GazetteerError as e:
        # The last line repeats the first problem: list them only when there are more.
        for p in e.problems[:20] if len(e.problems) > 1 else ():
            typer.echo(str(p), err=True)
        fail(f"invalid gazetteer: {e}")
    if len(gz) == 0:
        fail("no gazetteer entities loaded; pass --gazetteer PATH")
    if accept is not None:
        gz.thresholds = gz.thresholds.with_accept(accept)
    return gz


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
