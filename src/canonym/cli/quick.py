"""The quick path of ``canonym normalize FILE``: the command without building typer's.

Importing typer and building the commands costs a fresh process more than reading
the gazetteer and normalizing an article (its value checks go through pydantic).
A command line made only of ``normalize``, one file and options of the plain
shapes below is parsed here and runs ``canonym.cli.normalizing`` under the same
failure handling as the typer commands; anything else (help, ``--out-dir``, an
option this parser does not take, a value it is not sure typer would accept) is
left to typer, which then reads and reports the same command line itself.
``canonym --version`` is answered here too.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from canonym.cli.base import Format, Shield, Translate
from canonym.cli.failing import report_failure, show_warning

__all__ = ["parse_quick", "run_quick"]

# A number as typer's float option reads it, with no exponent, sign, nan or inf.
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_ACCEPT_RANGE = (0.5, 1.0)  # the --accept option's min and max (cli.common.AcceptOpt)


def _accept(value: str) -> float | None:
    if not _DECIMAL.fullmatch(value):
        return None
    number = float(value)
    return number if _ACCEPT_RANGE[0] <= number <= _ACCEPT_RANGE[1] else None


def _choice(kind: type[Any]) -> Callable[[str], Any]:
    return lambda value: kind(value) if value in kind._value2member_map_ else None


# Each option of ``canonym normalize`` the quick path reads: its field of
# ``OneDocument`` and how its value is read (None: not one this path is sure of).
_VALUED: dict[str, tuple[str, Callable[[str], Any]]] = {
    "--format": ("fmt", _choice(Format)),
    "-f": ("fmt", _choice(Format)),
    "--output": ("output", Path),
    "-o": ("output", Path),
    "--encoding": ("encoding", str),
    "--translate": ("translate", _choice(Translate)),
    "--lang": ("lang", str),
    "--shield": ("shield", _choice(Shield)),
    "--forms": ("forms", str),
    "--device": ("device", str),
    "--accept": ("accept", _accept),
}
_REPEATED = {"--gazetteer": "gazetteer", "-g": "gazetteer"}
_FLAGS = {"--no-fuzzy": "no_fuzzy", "--no-bundled": "no_bundled"}


def parse_quick(argv: Sequence[str]) -> dict[str, Any] | None:
    """The options of a plain ``normalize FILE`` command line, or None for typer to read."""
    if len(argv) < 2 or argv[0] != "normalize":
        return None
    if any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return None  # shell completion asks typer
    found: dict[str, Any] = {}
    files: list[str] = []
    args = iter(argv[1:])
    for arg in args:
        if arg == "-" or not arg.startswith("-"):
            files.append(arg)
            continue
        name = _FLAGS.get(arg)
        if name is not None:
            found[name] = True
            continue
        field, read = _VALUED.get(arg) or (_REPEATED.get(arg), Path)
        value = next(args, None)
        # A missing, empty or option-like value, or one typer might read otherwise.
        if field is None or not value or (value.startswith("-") and value != "-"):
            return None
        parsed = read(value)
        if parsed is None:
            return None
        if arg in _REPEATED:
            found.setdefault(field, []).append(parsed)
        else:
            found[field] = parsed
    if len(files) != 1 or not files[0]:
        return None
    found["file"] = files[0]
    return found


def run_quick(argv: Sequence[str]) -> bool:
    """Run ``argv`` when it is a plain ``normalize FILE`` (or ``--version``); False
    (nothing done) otherwise."""
    if list(argv) == ["--version"]:
        from canonym._version import __version__

        sys.stdout.write(f"canonym {__version__}\n")
        return True
    found = parse_quick(argv)
    if found is None:
        return False
    from canonym.cli.normalizing import OneDocument, checked_forms, normalize_one

    try:
        # As canonym.cli.errors.CanonymGroup runs a typer command.
        with warnings.catch_warnings():
            warnings.showwarning = show_warning
            forms = checked_forms(str(found.pop("forms", "auto")))
            fuzzy = not found.pop("no_fuzzy", False)
            normalize_one(OneDocument(forms=forms, fuzzy=fuzzy, **found))
    except (Exception, KeyboardInterrupt) as e:
        raise SystemExit(report_failure(e, argv)) from None
    return True
