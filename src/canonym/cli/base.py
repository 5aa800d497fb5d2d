"""What the commands share that needs no command-line framework: the choices their
options take and loading the gazetteer a command names.

``canonym.cli.common`` adds the options themselves (typer's); the quick path of
``canonym normalize`` (``canonym.cli.quick``) uses this module without them.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from canonym.cli.failing import echo_err, fail

if TYPE_CHECKING:
    from canonym.gazetteer.core import Gazetteer

__all__ = ["Format", "Shield", "Translate", "load_gazetteer"]


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


def load_gazetteer(
    paths: list[Path] | None, no_bundled: bool, accept: float | None = None
) -> Gazetteer:
    from canonym.gazetteer.core import Gazetteer
    from canonym.gazetteer.entity import GazetteerError

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
            echo_err(str(p))
        fail(f"invalid gazetteer: {e}")
    if len(gz) == 0:
        fail("no gazetteer entities loaded; pass --gazetteer PATH")
    if accept is not None:
        gz.thresholds = gz.thresholds.with_accept(accept)
    return gz
