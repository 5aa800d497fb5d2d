"""``canonym models ...``: the offline translation models (Argos Translate packages)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from canonym.cli.common import Format, emit_json, fail
from canonym.translate.archive import MAX_UNPACKED_BYTES  # light: no network code

models_app = typer.Typer(
    help=(
        "Offline translation models (Argos Translate packages), language → English.\n\n"
        "Only 'available' and 'install' use the network. The package directory is "
        "argostranslate's (ARGOS_PACKAGES_DIR)."
    ),
    no_args_is_help=True,
)


@models_app.command("list")
def list_(fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.text) -> None:
    """List installed language pairs, their version and bundled sentence splitter."""
    from canonym.translate.packages import PackageError, installed_packages

    try:
        pkgs = installed_packages()
    except PackageError as e:
        fail(str(e))
    if fmt is Format.json:
        emit_json([p.to_dict() for p in pkgs])
        return
    if not pkgs:
        typer.echo("no translation models installed; install one with: canonym models install fr")
    for p in pkgs:
        splitter = p.splitter or "none (would download one: not usable offline)"
        typer.echo(f"{p.from_code} → {p.to_code}  {p.version:8}  splitter: {splitter}  {p.path}")


@models_app.command()
def available(fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.text) -> None:
    """List the packages in the Argos index (needs the network)."""
    from canonym.translate.packages import PackageError, available_packages

    try:
        pkgs = available_packages()
    except PackageError as e:
        fail(str(e))
    if fmt is Format.json:
        emit_json([p.to_dict() for p in pkgs])
        return
    for p in pkgs:
        typer.echo(f"{p.from_code} → {p.to_code}  {p.version}")


@models_app.command()
def install(
    langs: Annotated[list[str], typer.Argument(help="Source languages, e.g. fr ar de.")],
) -> None:
    """Download and install LANG → English models from the Argos index (needs the network).

    Example:

      canonym models install fr ar de es fa
    """
    from canonym.translate.packages import PackageError, install_language

    for lang in langs:
        try:
            info = install_language(lang, progress=lambda msg: typer.echo(msg, err=True))
        except PackageError as e:
            fail(str(e))
        typer.echo(f"installed {info.from_code} → {info.to_code} {info.version}", err=True)


@models_app.command("install-file")
def install_file_(
    file: Annotated[Path, typer.Argument(help="A downloaded .argosmodel file.")],
    max_size: Annotated[
        int,
        typer.Option(
            "--max-size", min=1, help="Refuse archives that unpack to more than this many MB."
        ),
    ] = MAX_UNPACKED_BYTES // 1_000_000,
) -> None:
    """Install a downloaded .argosmodel file, after checking it.

    Refused: archives that are not zip files, members that would land outside the
    package directory (absolute paths, '..', links) or appear twice, archives that
    unpack to more than --max-size, and packages without a model or without a
    metadata.json giving from_code and to_code.

    Packages to download: the Argos Translate package index (argospm-index).
    """
    from canonym.translate.packages import PackageError, install_file

    try:
        info = install_file(file, max_bytes=max_size * 1_000_000)
    except PackageError as e:
        fail(str(e))
    note = "" if info.splitter else " (no bundled sentence splitter: not usable offline)"
    typer.echo(f"installed {info.from_code} → {info.to_code} {info.version}{note}", err=True)


@models_app.command()
def remove(lang: Annotated[str, typer.Argument(help="Source language, e.g. fr.")]) -> None:
    """Remove the installed LANG → English model."""
    from canonym.translate.packages import PackageError, remove_language

    try:
        gone = remove_language(lang)
    except PackageError as e:
        fail(str(e))
    for p in gone:
        typer.echo(f"removed {p.from_code} → {p.to_code} {p.version}", err=True)
