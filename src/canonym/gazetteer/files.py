"""Gazetteer files: the entity model, reading and validating YAML, the search path.

Reach for this module to load curated names from disk or to check a file a
person or an importer wrote. The loaded, searchable whole is
``canonym.gazetteer.core.Gazetteer``; the compiled, cached lookup structures live in
``canonym.gazetteer.index``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from canonym.data import YAML_LOADER, bundled_gazetteer_dir
from canonym.io import file_kind

__all__ = [
    "ENTITY_TYPES",
    "OPTIONAL_TEXT",
    "PLACE_KINDS",
    "Entity",
    "Problem",
    "GazetteerError",
    "read_entities",
    "gazetteer_files",
    "default_paths",
]

ENTITY_TYPES = ("person", "organization", "place", "other")
OPTIONAL_TEXT = ("wikidata", "geonames", "country", "description", "kind")
_KNOWN_FIELDS = frozenset(
    ("id", "name", "type", "names", "aliases", "forms", "coordinates", *OPTIONAL_TEXT)
)
# What a place is, so that event data can be mapped and filtered; the local word
# (governorate, province, emirate) goes in the description.
PLACE_KINDS = (
    "country", "territory", "division", "district", "city", "town", "village",
    "neighbourhood", "port", "crossing", "base", "airport", "sea", "gulf", "strait",
    "river", "lake", "mountain", "region", "facility",
)  # fmt: skip
# Keys of ``forms``: ISO 639-1 (or 639-3 where there is no two-letter code).
_LANG_CODE = re.compile(r"[a-z]{2,3}")
ENV_PATHS = "CANONYM_GAZETTEERS"
# Characters no name holds: C0 and C1 controls (NUL, tab, line breaks), the line and
# paragraph separators, the bidirectional embeddings, overrides and isolates that
# reorder text on screen (a Trojan Source name), and the invisible direction marks
# and byte-order mark. ZWNJ and ZWJ (U+200C, U+200D) are letters' business in
# Persian and Indic scripts and stay allowed.
FORBIDDEN_IN_NAMES = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]"
)
# What to do when a single-valued field holds a list: loaders used to drop it unseen.
_NOT_SCALAR = {
    "name": "'name' must be one name, not a list: put the other forms in 'names' or 'aliases'",
    "wikidata": "'wikidata' must be one id such as Q1316, not a list: keep the one that is "
    "this entity (two ids for one thing are two entities, or one to merge on Wikidata)",
    "geonames": "'geonames' must be one id, not a list: keep the one that is this place",
}


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
    kind: str | None = None
    source: str = ""
    line: int = 0
    # Canonical forms in other languages, preferred first: (("fr", ("États-Unis",)), ...).
    forms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    coordinates: tuple[float, float] | None = None  # latitude, longitude

    @property
    def canonical_forms(self) -> tuple[str, ...]:
        """The preferred name first, then the other accepted forms."""
        return (self.name, *self.names)

    @property
    def form_texts(self) -> tuple[str, ...]:
        """Every per-language canonical form, in file order, once each."""
        return tuple(dict.fromkeys(t for _, texts in self.forms for t in texts))

    @property
    def known_forms(self) -> tuple[str, ...]:
        """Every form the entity is recognized by: canonical, aliases, per-language."""
        return (*self.canonical_forms, *self.aliases, *self.form_texts)

    def forms_for(self, lang: str) -> tuple[str, ...]:
        """The canonical forms for a paragraph in ``lang``, preferred first."""
        if lang == "en":
            return self.canonical_forms
        return next((texts for code, texts in self.forms if code == lang), ())

    def __reduce__(self) -> tuple[Any, ...]:
        # Through the constructor: by default a frozen, slotted dataclass is unpickled
        # by setting each field by name in a Python loop, which made up a third of
        # loading a compiled index of 35,000 entities.
        fields = (self.id, self.name, self.type, self.names, self.aliases, self.wikidata)
        more = (self.geonames, self.country, self.description, self.kind, self.source)
        return (Entity, (*fields, *more, self.line, self.forms, self.coordinates))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "name": self.name, "type": self.type}
        if self.names:
            d["names"] = list(self.names)
        if self.aliases:
            d["aliases"] = list(self.aliases)
        for key in OPTIONAL_TEXT:
            value = getattr(self, key)
            if value is not None:
                d[key] = value
        if self.forms:
            d["forms"] = {lang: list(texts) for lang, texts in self.forms}
        if self.coordinates is not None:
            d["coordinates"] = list(self.coordinates)
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
    except yaml.YAMLError as e:
        problems.append(_syntax_problem(file, text, e))
        return
    if root is None:
        return  # an empty file holds no entities
    entities_node = None
    if isinstance(root, yaml.MappingNode):
        _duplicate_keys(root, file, None, problems)
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


def _duplicate_keys(
    node: yaml.MappingNode, file: str, eid: str | None, problems: list[Problem]
) -> None:
    """A key given twice: YAML loaders keep the last one silently, losing the first."""
    first: dict[str, int] = {}
    for k, _ in node.value:
        key, kline = str(k.value), k.start_mark.line + 1
        if key in first:
            problems.append(
                Problem(
                    file,
                    kline,
                    f"duplicate key '{key}' (first at line {first[key]}); keep one of the two",
                    eid,
                )
            )
        else:
            first[key] = kline


def _forbidden(
    text: str, file: str, line: int, eid: str, fname: str, problems: list[Problem]
) -> bool:
    """Report a control or bidirectional formatting character inside a name."""
    m = FORBIDDEN_IN_NAMES.search(text)
    if m is None:
        return False
    ch = m.group()
    label = unicodedata.name(ch, "a control character")
    problems.append(
        Problem(
            file,
            line,
            f"'{fname}' holds U+{ord(ch):04X} ({label}) at position {m.start() + 1}; "
            "names are one line of visible text: remove it",
            eid,
        )
    )
    return True


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
    _duplicate_keys(item, file, eid, problems)
    for key, kline in unknown:
        known = ", ".join(sorted(_KNOWN_FIELDS))
        problems.append(Problem(file, kline, f"unknown field '{key}' (known: {known})", eid))
    ok = True
    for key in ("id", "name", "type", *OPTIONAL_TEXT):
        if key in fields and not isinstance(fields[key], yaml.ScalarNode):
            problems.append(
                Problem(file, fields[key].start_mark.line + 1, _NOT_SCALAR.get(key, "")
                        or f"'{key}' must be a single value, not a list or mapping", eid)
            )  # fmt: skip
            ok = False
    for required in ("id", "name", "type"):
        if required in fields and not isinstance(fields[required], yaml.ScalarNode):
            continue  # reported above
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
    name = _scalar_text(fields["name"]) if "name" in fields else None
    if name is not None:
        ok &= not _forbidden(
            name, file, fields["name"].start_mark.line + 1, eid or "?", "name", problems
        )
    lang_forms = (
        _read_forms(fields["forms"], file, eid or "?", problems) if "forms" in fields else []
    )
    for fname, forms in (("names", names), ("aliases", aliases)):
        for form, fline in forms:
            ok &= not _forbidden(form, file, fline, eid or "?", fname, problems)
    for lang, texts in lang_forms:
        for form, fline in texts:
            ok &= not _forbidden(form, file, fline, eid or "?", f"forms.{lang}", problems)
    coordinates = (
        _read_coordinates(fields["coordinates"], file, eid or "?", problems)
        if "coordinates" in fields
        else None
    )
    extra = {k: _scalar_text(fields[k]) if k in fields else None for k in OPTIONAL_TEXT}
    kind = extra["kind"]
    if kind is not None and etype == "place" and kind not in PLACE_KINDS:
        kline = fields["kind"].start_mark.line + 1
        problems.append(
            Problem(
                file, kline, f"kind '{kind}' of a place is not one of {', '.join(PLACE_KINDS)}", eid
            )
        )
        ok = False
    if not ok or eid is None or etype is None:
        return None
    return Entity(
        id=eid,
        name=name or "",
        type=etype,
        names=tuple(dict.fromkeys(n for n, _ in names)),
        aliases=tuple(dict.fromkeys(a for a, _ in aliases)),
        source=file,
        line=line,
        forms=tuple(
            (lang, tuple(dict.fromkeys(t for t, _ in texts))) for lang, texts in lang_forms if texts
        ),
        coordinates=coordinates,
        **extra,
    )


def _read_forms(
    node: yaml.Node, file: str, eid: str, problems: list[Problem]
) -> list[tuple[str, list[tuple[str, int]]]]:
    """``forms:``, a mapping of language code to a list of names, with their lines."""
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        msg = "'forms' must map language codes to lists of names (fr: [États-Unis])"
        problems.append(Problem(file, line, msg, eid))
        return []
    out: list[tuple[str, list[tuple[str, int]]]] = []
    seen: dict[str, int] = {}
    for k, v in node.value:
        lang, kline = str(k.value), k.start_mark.line + 1
        if not _LANG_CODE.fullmatch(lang):
            msg = f"'forms' key '{lang}' is not a lowercase ISO 639 language code such as fr"
            problems.append(Problem(file, kline, msg, eid))
            continue
        if lang in seen:
            msg = f"language '{lang}' listed twice in 'forms' (first at line {seen[lang]})"
            problems.append(Problem(file, kline, msg, eid))
            continue
        seen[lang] = kline
        if isinstance(v, yaml.ScalarNode) and _scalar_text(v) is not None:
            out.append((lang, [(str(_scalar_text(v)), v.start_mark.line + 1)]))
        else:
            out.append((lang, _text_list(v, file, eid, f"forms.{lang}", problems)))
    return out


def _read_coordinates(
    node: yaml.Node, file: str, eid: str, problems: list[Problem]
) -> tuple[float, float] | None:
    """``coordinates: [latitude, longitude]`` in decimal degrees."""
    line = node.start_mark.line + 1
    msg = "'coordinates' must be [latitude, longitude] in decimal degrees, such as [33.31, 44.36]"
    if not isinstance(node, yaml.SequenceNode) or len(node.value) != 2:
        problems.append(Problem(file, line, msg, eid))
        return None
    try:
        lat, lon = (float(str(item.value)) for item in node.value)
    except (TypeError, ValueError):
        problems.append(Problem(file, line, msg, eid))
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        problems.append(
            Problem(file, line, f"coordinates [{lat}, {lon}] are out of range; {msg}", eid)
        )
        return None
    return (lat, lon)
