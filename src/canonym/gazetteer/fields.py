"""One gazetteer entry's fields: an entity (``id:``) or an overlay (``extend:``).

Reach for this module to see what a field may hold; every problem is reported
with the file, line and entity it is in.
"""

from __future__ import annotations

import math
import re
import unicodedata

import yaml

from canonym.gazetteer.entity import (
    ENTITY_TYPES,
    FORBIDDEN_IN_NAMES,
    OPTIONAL_TEXT,
    OVERLAY_FIELDS,
    PLACE_KINDS,
    Entity,
    Forms,
    Overlay,
    Problem,
)

__all__ = ["duplicate_keys", "read_entry"]

_KNOWN_FIELDS = frozenset(
    ("id", "name", "type", "names", "aliases", "forms", "coordinates", "prior", *OPTIONAL_TEXT)
)
# Keys of ``forms``: ISO 639-1 (or 639-3 where there is no two-letter code).
_LANG_CODE = re.compile(r"[a-z]{2,3}")
# What to do when a single-valued field holds a list: loaders used to drop it unseen.
_NOT_SCALAR = {
    "name": "'name' must be one name, not a list: put the other forms in 'names' or 'aliases'",
    "wikidata": "'wikidata' must be one id such as Q1316, not a list: keep the one that is "
    "this entity (two ids for one thing are two entities, or one to merge on Wikidata)",
    "geonames": "'geonames' must be one id, not a list: keep the one that is this place",
}


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


def duplicate_keys(
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


def read_entry(item: yaml.Node, file: str, problems: list[Problem]) -> Entity | Overlay | None:
    """An entity, or an overlay when the entry names its entity with ``extend:``."""
    line = item.start_mark.line + 1
    if not isinstance(item, yaml.MappingNode):
        problems.append(Problem(file, line, "each entity must be a mapping (id, name, type, ...)"))
        return None
    keys = {str(k.value) for k, _ in item.value}
    if "extend" not in keys:
        return _read_entity(item, file, problems)
    if "id" in keys:
        msg = "an entry has either 'id:' (a new entity) or 'extend:' (an existing one), not both"
        problems.append(Problem(file, line, msg))
        return None
    return _read_overlay(item, file, problems)


def _read_overlay(item: yaml.MappingNode, file: str, problems: list[Problem]) -> Overlay | None:
    line = item.start_mark.line + 1
    fields = {str(k.value): v for k, v in item.value}
    target = (
        _scalar_text(fields["extend"]) if isinstance(fields["extend"], yaml.ScalarNode) else None
    )
    duplicate_keys(item, file, target, problems)
    n = len(problems)
    if target is None:
        problems.append(Problem(file, line, "'extend' must be the id of an existing entity"))
    eid = target or "?"
    for k, _ in item.value:
        key, kline = str(k.value), k.start_mark.line + 1
        if key in ("id", "type", "wikidata", "geonames"):
            msg = f"an overlay cannot change '{key}'; it is what others know the entity by"
            problems.append(Problem(file, kline, msg, target))
        elif key not in OVERLAY_FIELDS and key != "extend":
            known = ", ".join(OVERLAY_FIELDS)
            problems.append(Problem(file, kline, f"unknown field '{key}' (an overlay may set: "
                                    f"{known})", target))  # fmt: skip
    text: dict[str, str | None] = {}
    for key in ("name", "description", "kind", "country", "disabled"):
        if key not in fields:
            text[key] = None
        elif isinstance(fields[key], yaml.ScalarNode):
            text[key] = _scalar_text(fields[key])
        else:
            kline = fields[key].start_mark.line + 1
            problems.append(Problem(file, kline, _NOT_SCALAR.get(key, "")
                                    or f"'{key}' must be a single value", target))  # fmt: skip
    if text["name"] is not None:
        _forbidden(text["name"], file, fields["name"].start_mark.line + 1, eid, "name", problems)
    lists = {
        key: _text_list(fields[key], file, eid, key, problems) if key in fields else []
        for key in ("names", "aliases")
    }
    for key, forms in lists.items():
        for form, fline in forms:
            _forbidden(form, file, fline, eid, key, problems)
    lang_forms = _read_forms(fields["forms"], file, eid, problems) if "forms" in fields else []
    for lang, texts in lang_forms:
        for form, fline in texts:
            _forbidden(form, file, fline, eid, f"forms.{lang}", problems)
    coords = fields.get("coordinates")
    coordinates = _read_coordinates(coords, file, eid, problems) if coords is not None else None
    prior = _read_prior(fields["prior"], file, eid, problems) if "prior" in fields else None
    disabled = (text["disabled"] or "false").lower()
    if disabled not in ("true", "false"):
        kline = fields["disabled"].start_mark.line + 1
        problems.append(Problem(file, kline, "'disabled' must be true or false", target))
    if target is None or any(p.severity == "error" for p in problems[n:]):
        return None
    return Overlay(
        target=target,
        source=file,
        line=line,
        name=text["name"],
        names=tuple(dict.fromkeys(t for t, _ in lists["names"])),
        aliases=tuple(dict.fromkeys(t for t, _ in lists["aliases"])),
        forms=tuple(
            (lang, tuple(dict.fromkeys(t for t, _ in texts))) for lang, texts in lang_forms if texts
        ),
        description=text["description"],
        kind=text["kind"],
        country=text["country"],
        coordinates=coordinates,
        disabled=disabled == "true",
        prior=prior,
    )


def _read_entity(item: yaml.MappingNode, file: str, problems: list[Problem]) -> Entity | None:
    line = item.start_mark.line + 1
    fields: dict[str, yaml.Node] = {}
    unknown: list[tuple[str, int]] = []
    for k, v in item.value:
        key = str(k.value)
        if key not in _KNOWN_FIELDS:
            unknown.append((key, k.start_mark.line + 1))
        fields[key] = v
    eid = _scalar_text(fields["id"]) if "id" in fields else None
    duplicate_keys(item, file, eid, problems)
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
    prior = _read_prior(fields["prior"], file, eid or "?", problems) if "prior" in fields else None
    ok &= "prior" not in fields or prior is not None
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
        forms=Forms(
            (lang, tuple(dict.fromkeys(t for t, _ in texts))) for lang, texts in lang_forms if texts
        ),
        coordinates=coordinates,
        prior=prior,
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


def _read_prior(node: yaml.Node, file: str, eid: str, problems: list[Problem]) -> float | None:
    """``prior: 1200000``: a positive number, such as a place's population."""
    line = node.start_mark.line + 1
    msg = "'prior' must be a positive number, such as a place's population (1200000)"
    try:
        if not isinstance(node, yaml.ScalarNode):
            raise ValueError
        value = float(str(node.value).replace("_", ""))
    except ValueError:
        problems.append(Problem(file, line, msg, eid))
        return None
    if not (value > 0 and math.isfinite(value)):
        problems.append(Problem(file, line, msg, eid))
        return None
    return value


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
