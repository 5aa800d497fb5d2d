"""The reconciliation service, as OpenRefine calls it; every response checked against
the Reconciliation Service API 0.2 schemas."""

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from canonym import Entity, Gazetteer

Conforms = Callable[[str, Any], None]


def reconcile(client: TestClient, conforms: Conforms, batch: dict[str, Any]) -> dict[str, Any]:
    """POSTs the batch as OpenRefine does (a form field), checking both ways."""
    conforms("reconciliation-query-batch.json", batch)
    r = client.post("/reconcile", data={"queries": json.dumps(batch)})
    assert r.status_code == 200, r.text
    conforms("reconciliation-result-batch.json", r.json())
    return r.json()  # type: ignore[no-any-return]


def ids(answer: dict[str, Any]) -> list[str]:
    return [c["id"] for c in answer["result"]]


def test_manifest(client: TestClient, conforms: Conforms) -> None:
    m = client.get("/reconcile").json()
    conforms("manifest.json", m)
    assert m["versions"] == ["0.2"]
    assert {t["id"] for t in m["defaultTypes"]} == {"person", "organization", "place"}
    view = m["view"]["url"].replace("{{id}}", "mosul")
    assert client.get(view.removeprefix("http://testserver")).status_code == 200
    preview = m["preview"]["url"].replace("{{id}}", "mosul")
    assert "Mosul" in client.get(preview.removeprefix("http://testserver")).text
    for kind in ("entity", "type", "property"):
        assert client.get(m["suggest"][kind]["service_path"], params={"prefix": "p"}).is_success


def test_batch_results(client: TestClient, conforms: Conforms) -> None:
    got = reconcile(client, conforms, {
        "q0": {"query": "Mohamed Chia al-Soudani"},
        "q1": {"query": "Hisbolla", "type": "organization", "limit": 3},
        "q2": {"query": "Nobody Atall"},
        "q3": {"query": "Tripoli"},
    })  # fmt: skip
    best = got["q0"]["result"][0]
    assert best["id"] == "mohammed-shia-al-sudani" and best["match"] is True
    assert best["name"] == "Mohammed Shia al-Sudani" and best["score"] == 1.0
    assert best["type"] == [{"id": "person", "name": "Person"}]
    assert best["description"] == "Prime Minister of Iraq."
    assert ids(got["q1"]) == ["hezbollah"] and got["q1"]["result"][0]["match"] is True
    assert got["q2"]["result"] == []
    # Two places are called Tripoli: candidates both, neither sure.
    assert set(ids(got["q3"])) == {"tripoli-libya", "tripoli-lebanon"}
    assert not any(c["match"] for c in got["q3"]["result"])


def test_type_filters_and_limit(client: TestClient, conforms: Conforms) -> None:
    got = reconcile(client, conforms, {
        "person": {"query": "Tripoli", "type": "person"},
        "places": {"query": "Tripoli", "type": ["place", "organization"], "limit": 1},
        # As OpenRefine sends a query against a type.
        "should": {"query": "Massoud Barzani", "type": "place", "type_strict": "should"},
        "someone": {"query": "Massoud Barzani", "type": "person", "type_strict": "should"},
        "all": {"query": "Tripoli", "type": ["place", "person"], "type_strict": "all"},
    })  # fmt: skip
    assert got["person"]["result"] == []
    assert len(got["places"]["result"]) == 1
    assert got["should"]["result"] == []
    assert ids(got["someone"]) == ["masoud-barzani"]
    assert got["all"]["result"] == []


def test_country_property_settles_a_namesake(client: TestClient, conforms: Conforms) -> None:
    got = reconcile(client, conforms, {
        "lb": {"query": "Tripoli", "properties": [{"pid": "country", "v": "LB"}]},
        "ly": {"query": "Tripoli", "properties": [{"pid": "country", "v": ["ly"]}]},
        "obj": {"query": "Tripoli", "properties": [{"pid": "country", "v": {"id": "LB"}}]},
    })  # fmt: skip
    for qid, expected in (
        ("lb", "tripoli-lebanon"),
        ("ly", "tripoli-libya"),
        ("obj", "tripoli-lebanon"),
    ):
        assert ids(got[qid]) == [expected]
        assert got[qid]["result"][0]["match"] is True
        assert {"id": "country", "value": True} in got[qid]["result"][0]["features"]


def test_country_by_name() -> None:
    from canonym.serve import Service, create_app

    gz = Gazetteer.from_entities([
        Entity("lebanon", "Lebanon", "place", kind="country", country="LB", aliases=("Liban",)),
        Entity("tripoli-lebanon", "Tripoli", "place", country="LB"),
        Entity("tripoli-libya", "Tripoli", "place", country="LY"),
    ])  # fmt: skip
    c = TestClient(create_app(Service(gz)))
    batch = {"q": {"query": "Tripoli", "properties": [{"pid": "country", "v": "Liban"}]}}
    assert ids(c.post("/reconcile", json=batch).json()["q"]) == ["tripoli-lebanon"]


def test_every_way_of_sending_a_batch_agrees(client: TestClient, conforms: Conforms) -> None:
    batch = {"q0": {"query": "Mossoul"}, "q1": {"query": "Irak", "type": "place"}}
    text = json.dumps(batch)
    answers = [
        client.post("/reconcile", data={"queries": text}),
        client.post("/reconcile", files={"queries": (None, text)}),  # multipart
        client.post("/reconcile", json=batch),
        client.post("/reconcile", json={"queries": batch}),
        client.post("/reconcile", json={"queries": text}),
        client.get("/reconcile", params={"queries": text}),
    ]
    for r in answers:
        assert r.status_code == 200, r.text
        conforms("reconciliation-result-batch.json", r.json())
        assert r.json() == answers[0].json()
        assert r.headers["access-control-allow-origin"] == "*"
    assert ids(answers[0].json()["q0"]) == ["mosul"]


def test_a_query_id_named_queries_is_a_query(client: TestClient) -> None:
    got = client.post("/reconcile", json={"queries": {"query": "Mosul"}}).json()
    assert ids(got["queries"]) == ["mosul"]


def test_batch_size_is_bounded(mini: Gazetteer, make_client: Callable[..., TestClient]) -> None:
    c = make_client(mini, max_queries=2)
    batch = {f"q{i}": {"query": "Mosul"} for i in range(3)}
    r = c.post("/reconcile", json=batch)
    assert r.status_code == 422 and "at most 2" in r.json()["error"]


@pytest.mark.parametrize(
    ("prefix", "kind", "expected"),
    [
        ("Hez", None, "hezbollah"),
        ("hezb", None, "hezbollah"),
        ("Mossou", None, "mosul"),  # a variant's prefix
        ("الموص", None, "mosul"),  # in Arabic script
        ("Mohammed S", "person", "mohammed-shia-al-sudani"),
        ("Hisbolla", None, "hezbollah"),  # no form opens so; the resolver finds it
    ],
)
def test_suggest_entity(
    client: TestClient, conforms: Conforms, prefix: str, kind: str | None, expected: str
) -> None:
    params = {"prefix": prefix, **({"type": kind} if kind else {})}
    got = client.get("/reconcile/suggest/entity", params=params).json()
    conforms("suggest-entities-response.json", got)
    assert got["result"][0]["id"] == expected


def test_suggest_entity_types_and_paging(client: TestClient, conforms: Conforms) -> None:
    path = "/reconcile/suggest/entity"
    people = client.get(path, params={"prefix": "Ba", "type": "person"}).json()["result"]
    assert people and all(e["notable"][0]["id"] == "person" for e in people)
    first = client.get(path, params={"prefix": "Ba", "limit": "1"}).json()["result"]
    second = client.get(path, params={"prefix": "Ba", "limit": "1", "cursor": "1"}).json()
    conforms("suggest-entities-response.json", second)
    assert len(first) == 1 and first[0]["id"] != second["result"][0]["id"]
    assert client.get(path, params={"prefix": "Ba", "cursor": "-1"}).status_code == 422
    assert client.get(path, params={"prefix": ""}).json() == {"result": []}


def test_suggest_types_and_properties(client: TestClient, conforms: Conforms) -> None:
    types = client.get("/reconcile/suggest/type", params={"prefix": "pe"}).json()
    conforms("suggest-types-response.json", types)
    assert types["result"] == [{"id": "person", "name": "Person"}]
    every = client.get("/reconcile/suggest/type").json()
    assert {t["id"] for t in every["result"]} >= {"person", "organization", "place"}
    props = client.get("/reconcile/suggest/property", params={"prefix": "co"}).json()
    conforms("suggest-properties-response.json", props)
    assert props["result"][0]["id"] == "country"


def test_preview_shows_forms_escaped() -> None:
    from canonym.serve import Service, create_app

    tricky = Entity(
        "x-1", "<script>alert(1)</script>", "organization", aliases=("حزب الله",),
        description="A & B", forms={"fr": ("Le <b>X</b>",)}, wikidata="Q1",
    )  # fmt: skip
    c = TestClient(create_app(Service(Gazetteer.from_entities([tricky]))))
    page = c.get("/reconcile/preview", params={"id": "x-1"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert "<script>alert" not in text and "&lt;script&gt;" in text
    assert "Le &lt;b&gt;X&lt;/b&gt;" in text and "A &amp; B" in text and "حزب الله" in text
    assert re.search(r"<th>French</th>", text) and "wikidata.org/wiki/Q1" in text
    assert c.get("/entity/x-1").status_code == 200
    missing = c.get("/reconcile/preview", params={"id": "nope"})
    assert missing.status_code == 404 and "nope" in missing.json()["error"]
    assert c.get("/reconcile/preview").status_code == 422
