"""Gazetteer files: the entity model, reading and validating YAML, the search path.

Reach for this module to load curated names from disk or to check a file a
person or an importer wrote. The loaded, searchable whole is
``canonym.gazetteer.Gazetteer``; the compiled, cached lookup structures live in
``canonym.index``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from canonym.resources import YAML_LOADER, bundled_gazetteer_dir

__all__ = [
    "ENTITY_TYPES",
    "Entity",
    "Problem",
    "GazetteerError",
    "read_entities",
    "gazetteer_files",
    "default_paths",
]

ENTITY_TYPES = ("person", "organization", "place", "other")
_OPTIONAL_TEXT = ("wikidata", "geonames", "country", "description")
_KNOWN_FIELDS = frozenset(("id", "name", "type", "names", "aliases", *_OPTIONAL_TEXT))
ENV_PATHS = "CANONYM_GAZETTEERS"


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organization or place with its canonical name and known variants."""

    id: str
    name: str
    type: str
    names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    geonames: str | None = None
    country: str | None = None
    description: str | None = None
    source: str = ""
    line: int = 0

    @property
    def canonical_forms(self) -> tuple[str, ...]:
        """The preferred name first, then the other accepted forms."""
        return (self.name, *self.names)

    def __reduce__(self) -> tuple[Any, ...]:
        # Through the constructor: by default a frozen, slotted dataclass is unpickled
        # by setting each field by name in a Python loop, which made up a third of
        # loading a compiled index of 35,000 entities.
        fields = (self.id, self.name, self.type, self.names, self.aliases, self.wikidata)
        more = (self.geonames, self.country, self.description, self.source, self.line)
        return (Entity, fields + more)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "name": self.name, "type": self.type}
        if self.names:
            d["names"] = list(self.names)
        if self.aliases:
            d["aliases"] = list(self.aliases)
        for key in _OPTIONAL_TEXT:
            value = getattr(self, key)
            if value is not None:
                d[key] = value
        return d


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a gazetteer file, with where it is."""

    file: str
    line: int
    message: str
    entity: str | None = None
    severity: str = "error"  # error | warning

    def __reduce__(self) -> tuple[Any, ...]:
        return (Problem, (self.file, self.line, self.message, self.entity, self.severity))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        who = f" [{self.entity}]" if self.entity else ""
        return f"{where}: {self.severity}{who}: {self.message}"


@dataclass
class GazetteerError(Exception):
    """A gazetteer could not be loaded; ``problems`` lists every reason."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        head = str(self.problems[0]) if self.problems else "invalid gazetteer"
        more = len(self.problems) - 1
        return head + (f" (and {more} more problem{'s' * (more > 1)})" if more > 0 else "")


def gazetteer_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand files and directories (recursively, ``*.yaml``/``*.yml``) in order."""
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                f for f in path.rglob("*") if f.suffix in (".yaml", ".yml") and f.is_file()
            )
            out.extend(found)
        elif path.is_file():
            out.append(path)
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


def _scalar_text(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        value = str(node.value).strip()
        return value or None
    return None


def _text_list(
    node: yaml.Node, file: str, eid: str, fname: str, problems: list[Problem]
) -> list[tuple[str, int]]:
    """A list of names with the line each stands on."""
    if isinstance(node, yaml.ScalarNode):
        if node.value in ("", "~", "null"):
            return []
        problems.append(
            Problem(file, node.start_mark.line + 1, f"'{fname}' must be a list of names", eid)
        )
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.append(
            Problem(file, node.start_mark.line + 1, f"'{fname}' must be a list of names", eid)
        )
        return []
    out: list[tuple[str, int]] = []
    for item in node.value:
        text = _scalar_text(item)
        if text is None:
            problems.append(
                Problem(
                    file, item.start_mark.line + 1, f"empty or non-text entry in '{fname}'", eid
                )
            )
        else:
            out.append((text, item.start_mark.line + 1))
    return out


def read_entities(path: Path, problems: list[Problem]) -> Iterator[Entity]:
    """Entities of one file; every problem found is appended to ``problems``."""
    file = str(path)
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
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else 0
        problems.append(Problem(file, line, f"YAML syntax: {e.problem}"))
        return
    if root is None:
        return  # an empty file holds no entities
    entities_node = None
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if k.value == "entities":
                entities_node = v
    if not isinstance(entities_node, yaml.SequenceNode):
        problems.append(Problem(file, 1, "expected a mapping with an 'entities:' list"))
        return
    for item in entities_node.value:
        entity = _read_entity(item, file, problems)
        if entity is not None:
            yield entity


def _read_entity(item: yaml.Node, file: str, problems: list[Problem]) -> Entity | None:
    line = item.start_mark.line + 1
    if not isinstance(item, yaml.MappingNode):
        problems.append(Problem(file, line, "each entity must be a mapping (id, name, type, ...)"))
        return None
    fields: dict[str, yaml.Node] = {}
    unknown: list[tuple[str, int]] = []
    for k, v in item.value:
        key = str(k.value)
        if key not in _KNOWN_FIELDS:
            unknown.append((key, k.start_mark.line + 1))
        fields[key] = v
    eid = _scalar_text(fields["id"]) if "id" in fields else None
    for key, kline in unknown:
        known = ", ".join(sorted(_KNOWN_FIELDS))
        problems.append(Problem(file, kline, f"unknown field '{key}' (known: {known})", eid))
    ok = True
    for required in ("id", "name", "type"):
        if required not in fields or _scalar_text(fields[required]) is None:
            problems.append(Problem(file, line, f"missing required field '{required}'", eid))
            ok = False
    etype = _scalar_text(fields["type"]) if "type" in fields else None
    if etype is not None and etype not in ENTITY_TYPES:
        problems.append(
            Problem(
                file,
                fields["type"].start_mark.line + 1,
                f"type '{etype}' is not one of {', '.join(ENTITY_TYPES)}",
                eid,
            )
        )
        ok = False
    names = (
        _text_list(fields["names"], file, eid or "?", "names", problems)
        if "names" in fields
        else []
    )
    aliases = (
        _text_list(fields["aliases"], file, eid or "?", "aliases", problems)
        if "aliases" in fields
        else []
    )
    if not ok or eid is None or etype is None:
        return None
    extra = {k: _scalar_text(fields[k]) if k in fields else None for k in _OPTIONAL_TEXT}
    return Entity(
        id=eid,
        name=_scalar_text(fields["name"]) or "",
        type=etype,
        names=tuple(dict.fromkeys(n for n, _ in names)),
        aliases=tuple(dict.fromkeys(a for a, _ in aliases)),
        source=file,
        line=line,
        **extra,
    )
