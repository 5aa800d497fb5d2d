"""Writing entities as a gazetteer file in canonym's YAML format.

Reach for this module from importers and corpus tools: ``write_gazetteer``
streams entities to a file atomically, so a failed import leaves no half file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import yaml

from canonym.sources import Entity

__all__ = ["write_gazetteer", "dump_entity", "render_patch"]

try:
    _Dumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Dumper = yaml.SafeDumper


def dump_entity(entity: Entity, out: TextIO) -> None:
    """One list item under ``entities:``."""
    text = yaml.dump(
        [entity.to_dict()], Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000
    )
    out.write("\n".join("  " + line if line else line for line in text.splitlines()) + "\n")


def write_gazetteer(
    entities: Iterable[Entity], path: str | os.PathLike[str], *, header: str = ""
) -> int:
    """Write entities to ``path`` (temp file, then rename); returns how many were written."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for line in header.splitlines():
                fh.write(f"# {line}\n" if line else "#\n")
            fh.write("entities:\n")
            for e in entities:
                dump_entity(e, fh)
                n += 1
            if n == 0:
                fh.seek(0)
                fh.truncate()
                fh.write("entities: []\n")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes files private; a gazetteer is not
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


def render_patch(entities: Iterable[Entity], *, header: str = "") -> str:
    """A gazetteer file as text, for standard output."""
    import io

    buf = io.StringIO()
    for line in header.splitlines():
        buf.write(f"# {line}\n" if line else "#\n")
    buf.write("entities:\n")
    n = 0
    for e in entities:
        dump_entity(e, buf)
        n += 1
    return buf.getvalue() if n else buf.getvalue().replace("entities:\n", "entities: []\n")
