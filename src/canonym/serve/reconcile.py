"""The Reconciliation Service API 0.2, which OpenRefine speaks, over a gazetteer.

A batch maps query ids to queries (a name, optional types, a limit, properties);
each gets candidates best first, with ``match`` set on the one the resolver would
link on its own, so that OpenRefine's auto-match accepts what canonym is sure of
and leaves the rest for a person to choose.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from canonym.gazetteer.entity import Entity
from canonym.match.resolve import Match
from canonym.serve.payload import ApiError, as_object, reject_unknown, take
from canonym.serve.service import MAX_TOP, Service

__all__ = ["TYPES", "Query", "manifest", "parse_batch", "reconcile", "entity_types", "describe"]

TYPES = {"person": "Person", "organization": "Organization", "place": "Place", "other": "Other"}
IDENTIFIER_SPACE = "urn:canonym:entity"
SCHEMA_SPACE = "urn:canonym:schema"
PROPERTIES = {"country": "Country (ISO 3166-1 alpha-2 code, or a country's name)"}
DEFAULT_LIMIT = 5
_LINK_FLOOR = 0.80  # link()'s: a surname alone scores this, and is never sure
_QUERY_FIELDS = ("query", "type", "limit", "properties", "type_strict")


@dataclass(frozen=True)
class Query:
    """One reconciliation query, checked."""

    text: str
    types: tuple[str, ...] = ()
    type_strict: str = "any"
    limit: int = DEFAULT_LIMIT
    countries: tuple[str, ...] = ()  # as written by the client; read by ``_country_codes``


def entity_types(entity: Entity) -> list[dict[str, str]]:
    return [{"id": entity.type, "name": TYPES.get(entity.type, entity.type.title())}]


def describe(entity: Entity) -> str:
    """A line to tell namesakes apart: the description, else kind and country."""
    if entity.description:
        return entity.description
    bits = [entity.kind or TYPES.get(entity.type, entity.type).lower()]
    if entity.country:
        bits.append(entity.country)
    return ", ".join(bits)


def manifest(base: str, name: str = "canonym") -> dict[str, Any]:
    """The service manifest, its URLs under ``base`` (the server's address, no trailing /)."""
    types = [{"id": k, "name": v} for k, v in TYPES.items() if k != "other"]
    return {
        "versions": ["0.2"],
        "name": name,
        "identifierSpace": IDENTIFIER_SPACE,
        "schemaSpace": SCHEMA_SPACE,
        "view": {"url": f"{base}/entity/{{{{id}}}}"},
        "defaultTypes": types,
        "preview": {"url": f"{base}/reconcile/preview?id={{{{id}}}}", "width": 420, "height": 220},
        "suggest": {
            kind: {"service_url": base, "service_path": f"/reconcile/suggest/{kind}"}
            for kind in ("entity", "type", "property")
        },
    }


def parse_batch(raw: Any, max_queries: int) -> dict[str, Query]:
    """A query batch (a JSON object, or its text) checked; 422 naming the bad query."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as e:
            raise ApiError(400, f"'queries' is not JSON: {e.msg} at column {e.colno}") from None
        except RecursionError:
            raise ApiError(400, "'queries' nests too deeply; send a flat batch") from None
    batch = as_object(raw, "the query batch")
    if not batch:
        raise ApiError(422, 'the query batch is empty; send {"q0": {"query": "a name"}}')
    if len(batch) > max_queries:
        raise ApiError(422, f"{len(batch)} queries in one batch; send at most {max_queries}")
    return {qid: _parse_query(qid, q) for qid, q in batch.items()}


def _parse_query(qid: str, raw: Any) -> Query:
    where = f"query '{qid}': "
    q = as_object(raw, f"query '{qid}'")
    reject_unknown(q, _QUERY_FIELDS, where)
    text = take(q, "query", str, "", where=where)
    types_raw = q.get("type")
    if types_raw is not None and not isinstance(types_raw, str | list):
        raise ApiError(422, f"{where}'type' must be a type id or a list of them")
    types = (types_raw,) if isinstance(types_raw, str) else tuple(types_raw or ())
    for t in types:
        if not isinstance(t, str) or t.lower() not in TYPES:
            raise ApiError(422, f"{where}unknown type {t!r}; the types are: {', '.join(TYPES)}")
    strict = take(q, "type_strict", str, "any", where=where)
    if strict not in ("any", "should", "all"):
        raise ApiError(422, f"{where}'type_strict' must be any, should or all")
    limit = q.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or not 1 <= limit <= MAX_TOP:
        raise ApiError(422, f"{where}'limit' must be a number from 1 to {MAX_TOP}")
    countries = _parse_properties(q.get("properties") or [], where)
    if not text.strip() and not countries:
        raise ApiError(422, f"{where}'query' is missing or empty; send the name to reconcile")
    return Query(text, tuple(t.lower() for t in types), strict, int(limit), countries)


def _parse_properties(props: Any, where: str) -> tuple[str, ...]:
    if not isinstance(props, list):
        raise ApiError(422, f"{where}'properties' must be a list of {{pid, v}} objects")
    countries: list[str] = []
    for p in props:
        if not isinstance(p, dict) or "pid" not in p or "v" not in p:
            raise ApiError(422, f"{where}each property needs 'pid' and 'v'")
        if not isinstance(p["pid"], str) or p["pid"] not in PROPERTIES:
            known = ", ".join(PROPERTIES)
            raise ApiError(
                422, f"{where}unknown property {p['pid']!r}; the properties are: {known}"
            )
        for v in p["v"] if isinstance(p["v"], list) else [p["v"]]:
            value = v.get("id") if isinstance(v, dict) else v
            if not isinstance(value, str):
                raise ApiError(422, f'{where}a country must be a string or {{"id": ...}}')
            if value.strip():
                countries.append(value.strip())
    return tuple(countries)


def _country_codes(service: Service, written: tuple[str, ...]) -> set[str]:
    """ISO codes for what the client wrote: a code, a country's id or one of its names."""
    gz, codes = service.gazetteer, set()
    for value in written:
        if len(value) == 2 and value.isalpha():
            codes.add(value.upper())
            continue
        entity = gz.get(value) if value in gz else None
        if entity is None:
            linked = gz.link(value)
            entity = linked.entity if linked else None
        if entity is not None and entity.kind == "country" and entity.country:
            codes.add(entity.country)
    return codes


def _wanted(entity: Entity, q: Query, codes: set[str]) -> bool:
    if codes and entity.country and entity.country not in codes:
        return False
    # OpenRefine sends "should" with every typed query, and means the type as a filter.
    if not q.types:
        return True
    if q.type_strict == "all":
        return set(q.types) == {entity.type}
    return entity.type in q.types


def _answer(service: Service, q: Query) -> list[dict[str, Any]]:
    gz = service.gazetteer
    if not q.text.strip():
        return []
    codes = _country_codes(service, q.countries)
    # Filters drop candidates after ranking: ask for more than the limit.
    found: list[Match] = [
        m for m in gz.resolve(q.text, top=min(MAX_TOP, q.limit * 4 + 10))
        if _wanted(m.entity, q, codes)
    ]  # fmt: skip
    # As ``Gazetteer.link`` decides, but among the candidates the filters kept: a
    # type or a country may settle a name that is ambiguous on its own.
    lead = found[0].score - found[1].score if len(found) > 1 else 1.0
    sure = bool(found) and found[0].score > _LINK_FLOOR and lead >= gz.thresholds.margin
    out = []
    for i, m in enumerate(found[: q.limit]):
        features = [{"id": "name", "value": round(m.score, 4)}]
        if codes:
            features.append({"id": "country", "value": m.entity.country in codes})
        out.append(
            {
                "id": m.entity.id,
                "name": m.entity.name,
                "description": describe(m.entity),
                "score": round(m.score, 4),
                "match": sure and i == 0,
                "type": entity_types(m.entity),
                "features": features,
            }
        )
    return out


def reconcile(service: Service, batch: dict[str, Query]) -> dict[str, Any]:
    """The result batch: for each query id, its candidates."""
    with service.lock:
        return {qid: {"result": _answer(service, q)} for qid, q in batch.items()}
