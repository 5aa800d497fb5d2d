"""Gazetteer files: reading YAML, the search path and its layers.

Reach for this module to load curated names from disk or to check a file a
person or an importer wrote. One entry's fields are checked in
``canonym.gazetteer.fields``; overlays are applied to the loaded layers in
``canonym.gazetteer.overlay``; the loaded, searchable whole is
``canonym.gazetteer.core.Gazetteer``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import yaml

from canonym.data import YAML_LOADER, bundled_gazetteer_dir
from canonym.gazetteer.compiled import is_compiled
from canonym.gazetteer.entity import Entity, GazetteerError, Overlay, Problem
from canonym.gazetteer.fields import duplicate_keys, read_entry
from canonym.gazetteer.jsonline import compose_json
from canonym.io import file_kind

__all__ = [
    "ENV_PATHS",
    "Layer",
    "read_entries",
    "open_lines",
    "read_line",
    "read_entities",
    "gazetteer_files",
    "default_paths",
    "search_layers",
]

ENV_PATHS = "CANONYM_GAZETTEERS"
JSON_LINES = ".jsonl"  # one entry a line: read as it streams, for gazetteers of millions
SUFFIXES = (".yaml", ".yml", JSON_LINES)
INDEX_FILES = "*.marisa"  # what every compiled index directory holds besides its manifest
BUNDLED, ENVIRONMENT, GIVEN = "bundled", "environment", "file given"


@dataclass(frozen=True)
class Layer:
    """One entry of the search path: a file or directory, its files, and where it came from.

    ``label`` is ``bundled``, ``environment`` (``CANONYM_GAZETTEERS``) or ``file given``.
    """

    path: Path
    files: tuple[Path, ...]
    label: str = GIVEN


def gazetteer_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand files and directories (recursively, ``*.yaml``, ``*.yml``, ``*.jsonl``) in order."""
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if is_compiled(path):
            # Opened by Gazetteer.load; a command that reads sources would find none
            # in it and go on with the others as if it were empty.
            what = "a compiled index, not gazetteer files: give the files it was compiled from"
            raise GazetteerError([Problem(str(path), 0, what)])
        if path.is_dir():
            found = sorted(f for f in path.rglob("*") if f.suffix in SUFFIXES and f.is_file())
            if not found and any(path.glob(INDEX_FILES)):
                # An index copied in part: read as sources it would load nothing.
                what = "a compiled index without its manifest.json: compile it again"
                raise GazetteerError([Problem(str(path), 0, what)])
            out.extend(found)
        elif path.is_file():
            out.append(path)
        elif path.exists():
            # Reading a FIFO would wait for a writer forever; a device is no YAML.
            kind = file_kind(path.stat().st_mode)
            raise GazetteerError([Problem(str(path), 0, f"{kind}, not a regular file")])
        else:
            raise GazetteerError([Problem(str(path), 0, "no such gazetteer file or directory")])
    return out


def default_paths() -> list[Path]:
    """The bundled gazetteers, then any listed in ``CANONYM_GAZETTEERS``."""
    out: list[Path] = []
    bundled = bundled_gazetteer_dir()
    if bundled is not None:
        out.append(bundled)
    extra = os.environ.get(ENV_PATHS, "")
    out.extend(Path(p) for p in extra.split(os.pathsep) if p.strip())
    return out


def search_layers(
    paths: Iterable[str | os.PathLike[str]] = (), *, with_defaults: bool = True
) -> list[Layer]:
    """The layers a command loads: bundled, ``CANONYM_GAZETTEERS``, then ``paths``.

    A file already loaded by an earlier layer is not loaded again (the bundled
    directory given again, or a file both in the environment and on the command line).
    """
    search: list[tuple[Path, str]] = []
    if with_defaults:
        bundled = bundled_gazetteer_dir()
        if bundled is not None:
            search.append((bundled, BUNDLED))
        extra = os.environ.get(ENV_PATHS, "")
        search.extend((Path(p), ENVIRONMENT) for p in extra.split(os.pathsep) if p.strip())
    search.extend((Path(p), GIVEN) for p in paths)
    seen: set[Path] = set()
    out: list[Layer] = []
    for path, label in search:
        files = []
        for f in gazetteer_files([path]):
            real = f.resolve()
            if real not in seen:
                seen.add(real)
                files.append(f)
        out.append(Layer(path, tuple(files), label))
    return out


def read_entries(path: Path, problems: list[Problem]) -> Iterator[Entity | Overlay]:
    """Entities and overlays of one file; every problem found is appended to ``problems``."""
    file = str(path)
    if path.suffix == JSON_LINES:
        yield from _read_json_lines(path, problems)
        return
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        problems.append(Problem(file, 0, f"not UTF-8 ({e.reason} at byte {e.start})"))
        return
    except OSError as e:
        problems.append(Problem(file, 0, f"cannot read: {e.strerror}"))
        return
    try:
        root = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError as e:
        problems.append(_syntax_problem(file, text, e))
        return
    if root is None:
        return  # an empty file holds no entities
    entities_node = None
    if isinstance(root, yaml.MappingNode):
        duplicate_keys(root, file, None, problems)
        for k, v in root.value:
            if k.value == "entities":
                entities_node = v
    if not isinstance(entities_node, yaml.SequenceNode):
        problems.append(Problem(file, 1, "expected a mapping with an 'entities:' list"))
        return
    for item in entities_node.value:
        entry = read_entry(item, file, problems)
        if entry is not None:
            yield entry


def _read_json_lines(path: Path, problems: list[Problem]) -> Iterator[Entity | Overlay]:
    """The entries of a JSON-lines file, one object a line, read a line at a time.

    A YAML file is composed whole with the place of every node, which a file of
    millions of names cannot afford; a JSON line is YAML too, so each one goes
    through the same field checks, its problems and entry given the file's line.
    """
    fh = open_lines(path, problems)
    if fh is None:
        return
    with fh:
        for n, raw in enumerate(fh, 1):
            entry = read_line(path, n, raw, problems)
            if entry is not None:
                yield entry


def open_lines(path: Path, problems: list[Problem]) -> BinaryIO | None:
    """A JSON-lines file opened in bytes, decoded a line at a time so that a bad byte
    has its line; None, with the problem said, when it cannot be read."""
    try:
        return path.open("rb")
    except OSError as e:
        problems.append(Problem(str(path), 0, f"cannot read: {e.strerror}"))
        return None


def read_line(path: Path, n: int, raw: bytes, problems: list[Problem]) -> Entity | Overlay | None:
    """The entry on line ``n`` (``raw``) of a JSON-lines file; its problems go to ``problems``."""
    file = str(path)
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(Problem(file, n, f"not UTF-8 ({e.reason} at byte {e.start})"))
        return None
    if not line.strip():
        return None
    mine: list[Problem] = []
    try:
        node = compose_json(line)
        if node is None:  # not plain JSON: YAML reads it, and words what is wrong
            node = yaml.compose(line, Loader=YAML_LOADER)
        entry = read_entry(node, file, mine) if node is not None else None
    except yaml.YAMLError as e:
        if isinstance(e, yaml.reader.ReaderError) and isinstance(e.character, int):
            # Its str() is several lines naming "<unicode string>": the problem is one line.
            what = f"character U+{e.character:04X} at column {e.position + 1} is not allowed"
        else:
            what = " ".join((getattr(e, "problem", None) or str(e)).split())
        mine = [Problem(file, n, f"JSON lines: {what}; one object a line")]
        entry = None
    problems.extend(replace(p, line=n) for p in mine)
    return None if entry is None else replace(entry, line=n)


def read_entities(path: Path, problems: list[Problem]) -> Iterator[Entity]:
    """The entities of one file; an overlay in it is a problem (it needs the other layers)."""
    for entry in read_entries(path, problems):
        if isinstance(entry, Entity):
            yield entry
        else:
            problems.append(Problem(str(path), entry.line, "an 'extend:' entry needs the "
                                    "gazetteer that defines its entity", entry.target))  # fmt: skip


def _syntax_problem(file: str, text: str, e: yaml.YAMLError) -> Problem:
    """Where a syntax error starts, not where the parser gave up.

    An unclosed quote swallows the rest of the file, so the parser reports the end
    of the stream (or a line far below); the line to fix is the one the quote opens.
    """
    if isinstance(e, yaml.reader.ReaderError):  # a character YAML forbids, such as NUL
        line = text.count("\n", 0, e.position) + 1
        what = f"U+{e.character:04X}" if isinstance(e.character, int) else repr(e.character)
        return Problem(file, line, f"YAML syntax: character {what} is not allowed; remove it")
    if not isinstance(e, yaml.MarkedYAMLError):
        return Problem(file, 0, f"YAML syntax: {e}")
    end = e.problem_mark.line + 1 if e.problem_mark else 0
    context = e.context_mark.line + 1 if e.context_mark else 0
    if e.context and "quoted scalar" in e.context and context:
        return Problem(
            file, context, f"YAML syntax: unterminated quote ({e.problem} at line {end}); close it"
        )
    opened = _runaway_quote(text, end)
    if opened:
        return Problem(
            file,
            opened,
            f"YAML syntax: the quote opened here runs on to another line ({e.problem} at line "
            f"{end}); close it on this line",
        )
    return Problem(file, end, f"YAML syntax: {e.problem}")


def _runaway_quote(text: str, before: int) -> int:
    """The line of the last quoted scalar before line ``before`` that spans lines, or 0.

    A name never spans lines, so such a scalar is a quote left open whose closing
    quote was taken from a later entry.
    """
    found = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.line + 1 > before:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ("'", '"')
                and token.end_mark.line > token.start_mark.line
            ):
                found = token.start_mark.line + 1
    except yaml.YAMLError:
        pass  # the tokens up to the error are all there is to see
    return found
