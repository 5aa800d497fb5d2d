"""Writing entities as a gazetteer file in canonym's YAML format, or as JSON lines.

Reach for this module from importers and corpus tools: ``write_gazetteer``
streams entities to a file atomically, so a failed import leaves no half file.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import yaml

from canonym.gazetteer.entity import Entity, Overlay
from canonym.gazetteer.files import JSON_LINES
from canonym.io import atomic_writer

__all__ = ["write_gazetteer", "dump_entity", "render_patch"]

try:
    _Dumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Dumper = yaml.SafeDumper


def dump_entity(entity: Entity | Overlay, out: TextIO) -> None:
    """One list item under ``entities:`` (an entity, or an ``extend:`` overlay)."""
    text = yaml.dump(
        [entity.to_dict()], Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000
    )
    out.write("\n".join("  " + line if line else line for line in text.splitlines()) + "\n")


def write_gazetteer(
    entities: Iterable[Entity | Overlay], path: str | os.PathLike[str], *, header: str = ""
) -> int:
    """Write entities to ``path`` through ``textio.atomic_writer`` (a failed import leaves
    the old file, or none); returns how many were written. Raises ``OutputError``.

    A ``.jsonl`` path gets one JSON object a line (the header is left out: JSON
    has no comments), which loads a line at a time however large it grows.
    """
    n = 0
    with atomic_writer(path) as raw:
        fh = io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=False)
        if Path(path).suffix == JSON_LINES:
            for e in entities:
                fh.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
                n += 1
            fh.flush()
            fh.detach()
            return n
        for line in header.splitlines():
            fh.write(f"# {line}\n" if line else "#\n")
        for e in entities:
            if n == 0:
                fh.write("entities:\n")
            dump_entity(e, fh)
            n += 1
        if n == 0:
            fh.write("entities: []\n")
        fh.flush()
        fh.detach()  # the atomic writer closes the file once it is on disk
    return n


def render_patch(entities: Iterable[Entity], *, header: str = "") -> str:
    """A gazetteer file as text, for standard output."""
    buf = io.StringIO()
    for line in header.splitlines():
        buf.write(f"# {line}\n" if line else "#\n")
    buf.write("entities:\n")
    n = 0
    for e in entities:
        dump_entity(e, buf)
        n += 1
    return buf.getvalue() if n else buf.getvalue().replace("entities:\n", "entities: []\n")
