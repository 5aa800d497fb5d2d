"""People, organizations and places from a Wikidata JSON dump.

Reach for this module to build a large gazetteer from Wikidata: the full dump
(``latest-all.json.gz``), a filtered extract made with a tool such as
``wikibase-dump-filter``, or entities saved one per line from the API. Labels
and aliases in the chosen languages become the entity's names; its kind comes
from "instance of" (P31), matched against a curated table of classes rather than
the class hierarchy, which a streaming reader cannot see.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from canonym.gazetteer.entity import Entity
from canonym.gazetteer.importers import (
    ImportLog,
    Progress,
    clean_name,
    distinct,
    invalid_utf8,
    lone_surrogate,
    open_source,
)

__all__ = ["INSTANCE_KINDS", "read_wikidata"]

# P31 values that make an entity worth importing, and the kind each gives. Direct
# instances only: a settlement typed as "city in Iraq" rather than "city" is missed,
# so pass ``classes={**INSTANCE_KINDS, ...}`` to add the classes a project needs.
INSTANCE_KINDS: Mapping[str, str] = {
    "Q5": "person",  # human
    # states and administrative divisions
    "Q6256": "place",  # country
    "Q3624078": "place",  # sovereign state
    "Q3024240": "place",  # historical country
    "Q7275": "place",  # state
    "Q107390": "place",  # federated state
    "Q35657": "place",  # state of the United States
    "Q34876": "place",  # province
    "Q56061": "place",  # administrative territorial entity
    "Q10864048": "place",  # first-level administrative country subdivision
    "Q13220204": "place",  # second-level administrative country subdivision
    "Q13221722": "place",  # third-level administrative country subdivision
    "Q82794": "place",  # geographic region
    # settlements
    "Q486972": "place",  # human settlement
    "Q515": "place",  # city
    "Q1549591": "place",  # big city
    "Q1637706": "place",  # city with millions of inhabitants
    "Q200250": "place",  # metropolis
    "Q5119": "place",  # capital city
    "Q1093829": "place",  # city in the United States
    "Q15284": "place",  # municipality
    "Q3957": "place",  # town
    "Q532": "place",  # village
    "Q123705": "place",  # neighborhood
    # water and land
    "Q165": "place",  # sea
    "Q1322134": "place",  # gulf
    "Q37901": "place",  # strait
    "Q4022": "place",  # river
    "Q23397": "place",  # lake
    "Q23442": "place",  # island
    "Q8502": "place",  # mountain
    "Q46831": "place",  # mountain range
    "Q245016": "place",  # military base
    # organizations
    "Q43229": "organization",  # organization
    "Q7278": "organization",  # political party
    "Q7210356": "organization",  # political organization
    "Q17127659": "organization",  # terrorist organization
    "Q17149090": "organization",  # armed organization
    "Q176799": "organization",  # military unit
    "Q4830453": "organization",  # business
    "Q783794": "organization",  # company
    "Q891723": "organization",  # public company
    "Q6881511": "organization",  # enterprise
    "Q1331793": "organization",  # media company
    "Q11032": "organization",  # newspaper
    "Q327333": "organization",  # government agency
    "Q2659904": "organization",  # government organization
    "Q484652": "organization",  # international organization
    "Q245065": "organization",  # intergovernmental organization
    "Q79913": "organization",  # non-governmental organization
    "Q163740": "organization",  # nonprofit organization
    "Q15911314": "organization",  # association
}

# Wikidata's language-neutral label ("mul") stands for every language without a
# label of its own; many names of people are now given only there.
_NEUTRAL = "mul"


class _Malformed(ValueError):
    """A line that is not one entity."""


def read_wikidata(
    path: str | os.PathLike[str],
    *,
    languages: Sequence[str] = ("en", "fr", "de", "es", "ar"),
    types: Iterable[str] = ("person", "organization", "place"),
    classes: Mapping[str, str] = INSTANCE_KINDS,
    log: ImportLog | None = None,
    progress: Progress | None = None,
) -> Iterator[Entity]:
    """Entities of a Wikidata dump: a JSON array with one entity a line, or JSON lines.

    The name is the English label (or the language-neutral "mul" one), else the
    first label found in ``languages``; the other labels and the aliases in
    ``languages`` and "mul" become aliases. Entities whose P31 is in ``classes``
    with a kind in ``types`` are kept; others, and those with no label in the
    languages, are skipped silently. A line that is not UTF-8 or not a JSON object
    with an "id", or an entity with text no UTF-8 file can hold (a lone surrogate),
    is reported to ``log``.
    """
    log = log if log is not None else ImportLog()
    file = str(path)
    kinds = frozenset(types)
    langs = tuple(dict.fromkeys((*languages, _NEUTRAL)))
    with open_source(path, progress) as (stream, _size):
        for lineno, line in enumerate(stream, start=1):
            text = line.strip()
            if text in ("", "[", "]"):
                continue  # the dump's array brackets stand on lines of their own
            log.records += 1
            try:
                if (why := invalid_utf8(line)) is not None:
                    raise _Malformed(why)
                data = _parse(text)
            except _Malformed as e:
                log.bad(file, lineno, str(e))
                continue
            kind = _kind(data, classes, kinds)
            if kind is None:
                continue
            entity = _entity(data, kind, langs)
            if entity is not None and (why := lone_surrogate(entity)) is not None:
                log.bad(file, lineno, why)
                continue
            if entity is not None:
                yield entity


def _parse(text: str) -> dict[str, Any]:
    if text.endswith(","):
        text = text[:-1]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise _Malformed(f"invalid JSON: {e.msg} (column {e.colno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
        raise _Malformed("expected a JSON object with an 'id'")
    return data


def _kind(data: Mapping[str, Any], classes: Mapping[str, str], kinds: frozenset[str]) -> str | None:
    """The kind of the first P31 statement that is both known and wanted."""
    claims = data.get("claims")
    statements = claims.get("P31") if isinstance(claims, dict) else None
    if not isinstance(statements, list):
        return None
    for st in statements:
        if not isinstance(st, dict) or st.get("rank") == "deprecated":
            continue  # a deprecated statement is one Wikidata holds to be wrong
        value = _path(st, "mainsnak", "datavalue", "value")
        qid = value.get("id") if isinstance(value, dict) else None
        kind = classes.get(qid) if isinstance(qid, str) else None
        if kind in kinds:
            return kind
    return None


def _entity(data: Mapping[str, Any], kind: str, langs: Sequence[str]) -> Entity | None:
    qid: str = data["id"]
    labels = {lang: _value(_path(data, "labels", lang)) for lang in langs}
    found = [label for label in labels.values() if label]
    # English first whatever ``languages`` says: canonical names follow the English
    # wire services; without one, the language-neutral label is the English name.
    english = _value(_path(data, "labels", "en")) or labels.get(_NEUTRAL)
    name = english or (found[0] if found else "")
    if not name:
        return None
    alias_lists = (_path(data, "aliases", lang) for lang in langs)
    aliases = (_value(a) for al in alias_lists if isinstance(al, list) for a in al)
    description = _value(_path(data, "descriptions", "en")) or None
    return Entity(
        id=f"wikidata:{qid}",
        name=name,
        type=kind,
        aliases=distinct((*found, *aliases), exclude=(name,)),
        wikidata=qid,
        description=description,
    )


def _path(data: Any, *keys: str) -> Any:
    """``data[k1][k2]...``, or None where a level is missing or not an object."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _value(term: Any) -> str:
    """The text of a label, alias or description (``{"language": .., "value": ..}``)."""
    value = term.get("value") if isinstance(term, dict) else None
    return clean_name(value) if isinstance(value, str) else ""
