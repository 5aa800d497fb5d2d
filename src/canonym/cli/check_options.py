"""The options of ``canonym check``, declared once with their help texts.

Kept apart from the command so that ``cli/check.py`` reads as what the command
does; each is a ``typing.Annotated`` alias that the command's signature uses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "CheckCorpusArg",
    "CheckOutputOpt",
    "CheckMaxFindingsOpt",
    "CheckIgnoreOpt",
    "CheckIgnoreEntityOpt",
    "CheckSelectOpt",
    "CheckMinSeverityOpt",
    "CheckMinVariantsOpt",
    "CheckConfigOpt",
    "CheckIsolatedOpt",
    "CheckFormsOpt",
    "CheckFixOpt",
    "CheckDryRunOpt",
    "CheckStatisticsOpt",
    "CheckExitZeroOpt",
]

CheckCorpusArg = Annotated[
    list[str],
    typer.Argument(
        help="Directories of .txt/.md files, .jsonl or .csv files, files of any other kind "
        "read as text, or - for JSON lines on stdin; several are checked as one corpus."
    ),
]
CheckOutputOpt = Annotated[
    str | None, typer.Option("--output", "-o", help="A file, or an fsspec URL (s3://…).")
]
CheckMaxFindingsOpt = Annotated[
    int | None, typer.Option(min=1, help="Report at most this many findings.")
]
CheckIgnoreOpt = Annotated[
    list[str] | None,
    typer.Option("--ignore", help="Rule (code or name) or entity id to leave out (repeatable)."),
]
CheckIgnoreEntityOpt = Annotated[
    list[str] | None, typer.Option("--ignore-entity", help="Entity id to leave alone.")
]
CheckSelectOpt = Annotated[
    list[str] | None, typer.Option("--select", help="Run only these rules (code or name).")
]
CheckMinSeverityOpt = Annotated[
    str | None, typer.Option(help="Report only: suggestion, warning or error and up.")
]
CheckMinVariantsOpt = Annotated[
    int | None,
    typer.Option(min=2, help="corpus-variants: report entities spelled this many ways."),
]
CheckConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="A TOML file of settings (\\[tool.canonym]).")
]
CheckIsolatedOpt = Annotated[
    bool, typer.Option("--isolated", help="Ignore pyproject.toml and .canonym.toml.")
]
CheckFormsOpt = Annotated[
    str | None,
    typer.Option(
        help="Whose forms are canonical: auto (each paragraph's language, as normalize "
        "writes them), or a language code (en, fr...) for every document."
    ),
]
CheckFixOpt = Annotated[
    bool, typer.Option("--fix", help="Rewrite non-canonical spellings in plain-text files.")
]
CheckDryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="With --fix: show a unified diff, write nothing.")
]
CheckStatisticsOpt = Annotated[
    bool, typer.Option("--statistics", help="Count findings per rule and entity, after them.")
]
CheckExitZeroOpt = Annotated[
    bool,
    typer.Option("--exit-zero", help="Exit 0 even with findings (not with unreadable documents)."),
]
