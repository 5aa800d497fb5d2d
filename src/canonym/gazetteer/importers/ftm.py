"""People and organizations from FollowTheMoney entity files, such as OpenSanctions.

Reach for this module to import sanctions and watch lists: OpenSanctions
publishes every dataset as FollowTheMoney JSON lines (``entities.ftm.json``),
one entity a line with its ``schema`` and multi-valued ``properties``. Names in
several scripts are kept as other canonical forms; weak aliases (nicknames such
as "Abu Ali" that many people share) are left out unless asked for, since they
would make names ambiguous.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from canonym.gazetteer.entity import Entity
from canonym.gazetteer.importers import (
    ImportLog,
    Progress,
    distinct,
    invalid_utf8,
    lone_surrogate,
    open_source,
)

__all__ = ["SCHEMA_TYPES", "read_ftm"]

# The schemata that name a person or an organization; vessels, addresses,
# sanctions and the links between entities are skipped.
SCHEMA_TYPES: Mapping[str, str] = {
    "Person": "person",
    "Organization": "organization",
    "Company": "organization",
    "LegalEntity": "organization",
    "PublicBody": "organization",
}

# Where a country may be given. People often carry only a nationality.
_COUNTRY_PROPS = ("country", "jurisdiction", "nationality", "citizenship")
# FollowTheMoney country codes are lower-case ISO 3166-1 alpha-2, plus longer
# codes for places ISO does not list ("suhh", the Soviet Union) and "zz" for
# "global", none of which is a country.
_COUNTRY = re.compile(r"^(?![Zz]{2}$)[A-Za-z]{2}$")
_QID = re.compile(r"^Q[1-9][0-9]*$")


class _Malformed(ValueError):
    """A line that is not one well-formed entity."""


def read_ftm(
    path: str | os.PathLike[str],
    *,
    weak_aliases: bool = False,
    log: ImportLog | None = None,
    progress: Progress | None = None,
) -> Iterator[Entity]:
    """Persons and organizations of a FollowTheMoney JSON lines file (plain, .gz, .bz2).

    The first ``name`` is the entity's name and the others its other forms;
    ``alias`` values (and ``weakAlias`` values when ``weak_aliases``) are its
    aliases. Invalid JSON or UTF-8, an entity without id, schema or properties, a
    person or organization without a name, or text no UTF-8 file can hold (a lone
    surrogate) is reported to ``log``.
    """
    log = log if log is not None else ImportLog()
    file = str(path)
    alias_props = ("alias", "weakAlias") if weak_aliases else ("alias",)
    with open_source(path, progress) as (stream, _size):
        for lineno, line in enumerate(stream, start=1):
            text = line.strip()
            if not text:
                continue
            log.records += 1
            try:
                if (why := invalid_utf8(line)) is not None:
                    raise _Malformed(why)
                entity = _entity(text, alias_props)
                if entity is not None and (why := lone_surrogate(entity)) is not None:
                    raise _Malformed(why)
            except _Malformed as e:
                log.bad(file, lineno, str(e))
                continue
            if entity is not None:
                yield entity


def _entity(text: str, alias_props: Iterable[str]) -> Entity | None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise _Malformed(f"invalid JSON: {e.msg} (column {e.colno})") from None
    if not isinstance(data, dict):
        raise _Malformed("expected a JSON object")
    for key in ("id", "schema"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise _Malformed(f"missing '{key}'")
    props = data.get("properties")
    if not isinstance(props, dict):
        raise _Malformed("missing 'properties'")
    etype = SCHEMA_TYPES.get(data["schema"])
    if etype is None:
        return None
    all_names = distinct(_values(props, "name"))
    if not all_names:
        raise _Malformed(f"{data['schema']} without a name")
    name, names = all_names[0], all_names[1:]
    aliases = (a for p in alias_props for a in _values(props, p))
    countries = (c for p in _COUNTRY_PROPS for c in _values(props, p) if _COUNTRY.match(c))
    qids = (q for q in _values(props, "wikidataId") if _QID.match(q))
    return Entity(
        id=f"ftm:{data['id'].strip()}",
        name=name,
        type=etype,
        names=names,
        aliases=distinct(aliases, exclude=all_names),
        wikidata=next(qids, None),
        country=next((c.upper() for c in countries), None),
    )


def _values(props: Mapping[str, Any], key: str) -> list[str]:
    """A property's values, stripped; FollowTheMoney properties are lists of strings."""
    values = props.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _Malformed(f"property '{key}' is not a list of strings")
    return [" ".join(v.split()) for v in values]
