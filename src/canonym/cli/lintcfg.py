"""``canonym config show`` and ``canonym detect``: settings and languages on the command line."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

config_app = typer.Typer(help="Show the linter's settings and where they come from.")


@config_app.command("show")
def show(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
    config: Annotated[Path | None, typer.Option("--config", help="A TOML settings file.")] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore config files.")] = False,
) -> None:
    """Print the merged settings of ``canonym check``, each with the file it came from."""
    from canonym.config import ConfigError
    from canonym.config import load as load_settings

    try:
        merged = load_settings(config=config, isolated=isolated).to_dict()
    except ConfigError as e:
        typer.echo(f"canonym: {e}", err=True)
        raise typer.Exit(2) from None
    if fmt == "json":
        typer.echo(json.dumps(merged, ensure_ascii=False, indent=2))
        return
    for key, item in merged.items():
        name = key.replace("_", "-")
        if key in ("per_path", "per_language"):
            # Tables add up from several files: each says where it was written.
            tables = item["value"]
            named = enumerate(tables) if key == "per_path" else tables.items()
            for sub, t in named:
                shown = {k: v for k, v in t.items() if k not in ("source", "base")}
                label = f"{name}[{sub}]" if key == "per_path" else f"{name}.{sub}"
                typer.echo(f"{label} = {json.dumps(shown)}  # {t.get('source', '')}")
            continue
        typer.echo(f"{name} = {json.dumps(item['value'])}  # {item['source']}")


def detect(
    file: Annotated[str, typer.Argument(help="A text file, or - for standard input.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
) -> None:
    """Print each paragraph's language and confidence."""
    from canonym.jobs.detect import paragraph_languages

    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        typer.echo(f"canonym: {file}: {e}", err=True)
        raise typer.Exit(2) from None
    found = list(paragraph_languages(text))
    if fmt == "json":
        typer.echo(json.dumps([asdict(p) for p in found], ensure_ascii=False, indent=2))
        return
    for p in found:
        head = p.text.splitlines()[0][:60]
        typer.echo(f"{p.line:>5}  {p.lang:<3} {p.confidence:.2f}  {head}")
