"""Each action of the review page, through its HTTP interface: what the database and the
exported file hold afterwards."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

from canonym.corpus.schema import SCHEMA_VERSION

pytest.importorskip("starlette")
pytest.importorskip("multipart")
from starlette.testclient import TestClient  # noqa: E402

from canonym.corpus.decisions import NEW_ENTITY  # noqa: E402
from canonym.corpus.store import Store  # noqa: E402
from canonym.gazetteer.core import Gazetteer  # noqa: E402
from canonym.jobs.aliases import build_alias_table  # noqa: E402
from canonym.review import Review, create_app  # noqa: E402
from canonym.review.pages import anchor  # noqa: E402

from .conftest import MINI  # noqa: E402

TOKEN = "test-token"


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    return tmp_path / "reviewed.yaml"


@pytest.fixture()
def client(corpus_db: Path, gz: Gazetteer, layers: list[Any], out: Path) -> TestClient:
    app = create_app(Review(corpus_db, gz), out, layers=layers, token=TOKEN)
    return TestClient(app, base_url="http://127.0.0.1")


def post(client: TestClient, path: str, **fields: str) -> Any:
    return client.post(path, data={"token": TOKEN, **fields}, follow_redirects=False)


def decisions(db: Path) -> dict[tuple[str, str], str]:
    with sqlite3.connect(db) as c:
        return {(k, s): d for k, s, d in c.execute("SELECT kind, subject, decision FROM decisions")}


def rejections(db: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(db) as c:
        return {(e, s) for e, s in c.execute("SELECT entity_id, surface FROM rejections")}


def exported(client: TestClient, out: Path) -> list[dict[str, Any]]:
    r = post(client, "/export")
    assert r.status_code == 303, r.text
    return list(yaml.safe_load(out.read_text(encoding="utf-8"))["entities"] or [])


def test_page_escapes_document_text_and_marks_arabic(client: TestClient) -> None:
    page = client.get("/").text
    assert "<img" not in page
    assert "Hisbollah</mark> &lt;img src=x onerror=alert(1)&gt;" in page
    assert "<mark>Hachd al-Chaabi</mark>" in page
    assert '<bdi dir="rtl">الموصّل</bdi>' in page
    assert "Abu Haidar al-Zubaidi" in page and "Jamal Karim Hassan" in page
    assert page.count('<script src="review.js">') == 1
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


def shown(page: str) -> set[str]:
    """The proposals and the pending or decided spellings a page lists."""
    return set(re.findall(r'data-(?:proposal|spelling)="([^"]*)"', page))


def test_filters_by_type_language_status_and_count(client: TestClient) -> None:
    assert {"Abu Haidar al-Zubaidi", "Hachd al-Chaabi", "Jamal Karim Hassan"} <= shown(
        client.get("/").text
    )
    fr = shown(client.get("/?lang=fr").text)
    assert "Abu Haidar al-Zubaidi" in fr and "Samir Fadel Nouri" not in fr
    places = shown(client.get("/?type=place").text)
    assert "الموصّل" in places and not places & {"Hachd al-Chaabi", "Jamal Karim Hassan"}
    assert "Samir Fadel Nouri" not in shown(client.get("/?min_count=3").text)
    known = shown(client.get("/?status=known").text)
    assert "Mossoul" in known and "Hachd al-Chaabi" not in known


def test_long_lists_come_in_pages_most_frequent_first(client: TestClient) -> None:
    page = client.get("/?show=1").text
    assert "Abu Haidar al-Zubaidi" in shown(page) and "Samir Fadel Nouri" not in shown(page)
    assert '<a href="./?show=201">Show 2 more</a>' in page


def test_accept_as_alias_is_saved_and_exported(
    client: TestClient, corpus_db: Path, out: Path
) -> None:
    at = anchor("e", "popular-mobilization-forces")
    r = post(client, "/spelling", entity="popular-mobilization-forces", surface="Hachd al-Chaabi",
             action="alias", at=at, back="type=organization")  # fmt: skip
    assert r.status_code == 303 and r.headers["location"].endswith(f"#{at}")
    assert r.headers["location"].startswith("./?type=organization&msg=")
    assert ("variant", "popular-mobilization-forces\tHachd al-Chaabi") in decisions(corpus_db)
    entries = exported(client, out)
    assert {"extend": "popular-mobilization-forces", "aliases": ["Hachd al-Chaabi"]} in entries
    loaded = Gazetteer.load(MINI, out, use_cache=False)
    assert "Hachd al-Chaabi" in loaded.get("popular-mobilization-forces").aliases


def test_accept_as_a_language_form(client: TestClient, out: Path) -> None:
    post(client, "/spelling", entity="hezbollah", surface="Hisbollah", action="form", lang="de")
    assert {"extend": "hezbollah", "forms": {"de": ["Hisbollah"]}} in exported(client, out)
    loaded = Gazetteer.load(MINI, out, use_cache=False)
    assert loaded.get("hezbollah").forms_for("de")[0] == "Hisbollah"


def test_bad_language_code_is_refused(client: TestClient, corpus_db: Path) -> None:
    r = post(client, "/spelling", entity="hezbollah", surface="Hisbollah", action="form",
             lang="<b>")  # fmt: skip
    assert r.status_code == 400 and "not a language code" in r.text
    assert "<b>" not in r.text.split("<main>")[0]
    assert decisions(corpus_db) == {}


def test_reject_spelling_is_remembered_and_undone(
    client: TestClient, corpus_db: Path, gz: Gazetteer, out: Path
) -> None:
    post(client, "/spelling", entity="mosul", surface="الموصّل", action="reject")
    assert ("mosul", "الموصّل") in rejections(corpus_db)
    with Store(corpus_db) as st:
        table = build_alias_table(st, gz)
    [v] = [v for v in table.variants if v.variant == "الموصّل"]
    assert v.status == "rejected"
    assert all("الموصّل" not in e.aliases for e in table.patch_entities(gz))
    assert exported(client, out) == []
    with Store(corpus_db) as st:  # a rejection is no result: a rebuild keeps it
        st.reset_results()
        assert st.rejected() == {("mosul", "الموصّل")}
    post(client, "/spelling", entity="mosul", surface="الموصّل", action="undo")
    assert rejections(corpus_db) == set() and decisions(corpus_db) == {}


def test_edit_proposal_then_accept(client: TestClient, corpus_db: Path, out: Path) -> None:
    key = "Jamal Karim Hassan"
    r = post(client, "/proposal", key=key, action="edit", id="jamal-hassan",
             name="Jamal K. Hassan", type="person")  # fmt: skip
    assert r.status_code == 303
    post(client, "/proposal", key=key, action="accept")
    [entry] = exported(client, out)
    assert entry == {"id": "jamal-hassan", "name": "Jamal K. Hassan", "type": "person",
                     "aliases": ["Jamal Karim Hassan"]}  # fmt: skip
    assert Gazetteer.load(MINI, out, use_cache=False).link(key).entity.id == "jamal-hassan"


def test_an_accepted_proposal_keeps_its_forms_per_language(client: TestClient, out: Path) -> None:
    post(client, "/proposal", key="Abu Haidar al-Zubaidi", action="accept")
    [entry] = exported(client, out)
    assert entry["name"] == "Abu Haidar al-Zubaidi"
    assert entry["forms"] == {"fr": ["Abou Haïdar al-Zoubaidi"]}  # as the French article writes it
    assert "aliases" not in entry


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [("id", "Iraq!", "lower-case"), ("id", "iraq", "attach instead"),
     ("type", "city", "not one of"), ("name", "bad\u202ename", "control characters")],
)  # fmt: skip
def test_edit_refuses_bad_values(
    client: TestClient, corpus_db: Path, field: str, value: str, says: str
) -> None:
    fields = {"id": "new-one", "name": "New One", "type": "person", field: value}
    r = post(client, "/proposal", key="Jamal Karim Hassan", action="edit", **fields)
    assert r.status_code == 400 and says in r.text
    assert decisions(corpus_db) == {}


def test_merge_two_proposals_into_one_entity(client: TestClient, out: Path) -> None:
    post(client, "/proposal", key="Samir Fadel Nouri", action="merge", into="Jamal Karim Hassan")
    page = client.get("/").text
    assert "merged into Jamal Karim Hassan" in page
    post(client, "/proposal", key="Jamal Karim Hassan", action="accept")
    [entry] = exported(client, out)
    assert entry["id"] == "new-jamal-karim-hassan"
    assert entry["aliases"] == ["Samir Fadel Nouri"]
    r = post(client, "/proposal", key="Jamal Karim Hassan", action="merge",
             into="Samir Fadel Nouri")  # fmt: skip
    assert r.status_code == 400 and "into itself" in r.text


def test_attach_to_a_known_entity_with_search(client: TestClient, out: Path) -> None:
    found = client.get("/search", params={"q": "Hizbolah"}).json()
    assert found[0]["id"] == "hezbollah"
    assert client.get("/search", params={"q": ""}).json() == []
    r = post(client, "/proposal", key="Abu Haidar al-Zubaidi", action="attach", entity="nope")
    assert r.status_code == 400 and "no entity with the id" in r.text
    post(client, "/proposal", key="Abu Haidar al-Zubaidi", action="attach", entity="hezbollah")
    [entry] = exported(client, out)
    assert entry == {"extend": "hezbollah",
                     "aliases": ["Abu Haidar al-Zubaidi", "Abou Haïdar al-Zoubaidi"]}  # fmt: skip


def test_rejected_proposal_is_not_proposed_again(
    client: TestClient, corpus_db: Path, gz: Gazetteer
) -> None:
    post(client, "/proposal", key="Samir Fadel Nouri", action="reject")
    assert (NEW_ENTITY, "Samir Fadel Nouri") in rejections(corpus_db)
    with Store(corpus_db) as st:
        names = [p.name for p in build_alias_table(st, gz).proposals]
    assert "Samir Fadel Nouri" not in names and "Jamal Karim Hassan" in names
    # A later review shows it, as rejected, so that it can be taken back.
    again = Review(corpus_db, gz).proposal("Samir Fadel Nouri")
    assert again.status == "rejected"
    post(client, "/proposal", key="Samir Fadel Nouri", action="undo")
    assert rejections(corpus_db) == set()


def test_export_into_merges_with_validation(
    corpus_db: Path, gz: Gazetteer, layers: list[Any], tmp_path: Path
) -> None:
    mine = tmp_path / "my-names.yaml"
    mine.write_text("# my names\nentities:\n  - id: someone\n    name: Some One\n"
                    "    type: person\n", encoding="utf-8")  # fmt: skip
    client = TestClient(create_app(Review(corpus_db, gz), mine, layers=layers, into=True,
                                   token=TOKEN), base_url="http://127.0.0.1")  # fmt: skip
    post(client, "/spelling", entity="hezbollah", surface="Hisbollah", action="alias")
    post(client, "/proposal", key="Jamal Karim Hassan", action="accept")
    r = post(client, "/export")
    assert r.status_code == 303 and "merged%20into" in r.headers["location"]
    text = mine.read_text(encoding="utf-8")
    assert text.startswith("# my names\n")
    loaded = Gazetteer.load(MINI, mine, use_cache=False)
    assert "Hisbollah" in loaded.get("hezbollah").aliases
    assert loaded.link("Jamal Karim Hassan").entity.id == "new-jamal-karim-hassan"
    # A target that does not validate is refused, and left as it was.
    mine.write_text("entities:\n  - id: hezbollah\n    name: Again\n    type: other\n")
    r = post(client, "/export")
    assert r.status_code == 400 and "nothing written" in r.text
    assert "Again" in mine.read_text(encoding="utf-8")


def test_decisions_outlive_the_server(corpus_db: Path, gz: Gazetteer) -> None:
    Review(corpus_db, gz).accept_spelling("hezbollah", "Hisbollah", lang="de")
    Review(corpus_db, gz).edit_proposal("Jamal Karim Hassan", id="jkh", name="J. K. Hassan",
                                        type="person")  # fmt: skip
    later = Review(corpus_db, gz)
    [s] = [s for e in later.entities() for s in e.spellings if s.variant.variant == "Hisbollah"]
    assert (s.status, s.lang) == ("accepted", "de")
    assert later.proposal("Jamal Karim Hassan").id == "jkh"


def test_foreign_forms_and_hosts_are_refused(client: TestClient, corpus_db: Path) -> None:
    r = client.post("/spelling", data={"token": "guess", "entity": "hezbollah",
                                       "surface": "Hisbollah", "action": "alias"})  # fmt: skip
    assert r.status_code == 403
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    r = post(client, "/spelling", entity="hezbollah", surface="Hisbollah", action="alias",
             at='x"><script>', back="msg=%0d%0aSet-Cookie:%20a=b&type=person")  # fmt: skip
    assert (
        r.headers["location"].startswith("./?type=person&msg=") and "#" not in r.headers["location"]
    )
    assert set(decisions(corpus_db)) == {("variant", "hezbollah\tHisbollah")}


def test_an_older_database_gains_the_review_tables(corpus_db: Path) -> None:
    with sqlite3.connect(corpus_db) as c:
        c.execute("DROP TABLE decisions")
        c.execute("DROP TABLE rejections")
        c.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    with Store(corpus_db) as st:
        assert st.get_meta("schema") == SCHEMA_VERSION
        assert st.rejected() == set()
        assert st.counts()["documents"] == 9


@pytest.mark.parametrize(("decided_type", "country"), [("place", "LB"), ("person", None)])
def test_an_accepted_place_keeps_the_country_it_was_proposed_in(
    decided_type: str, country: str | None
) -> None:
    from canonym.jobs.aliases import Proposal
    from canonym.review.model import ACCEPTED, ProposalView
    from canonym.review.output import overlay_entries

    proposal = Proposal(
        id="new-marwaniyeh-tahta", name="Marwaniyeh Tahta", type="place",
        variants=[("Marwaniyeh Tahta", 3)], count=3, documents=2, languages=["en"],
        example="", country="LB",
    )  # fmt: skip
    view = ProposalView("Marwaniyeh Tahta", proposal, proposal.id, proposal.name,
                        decided_type, ACCEPTED)  # fmt: skip

    class Decided:
        def entities(self) -> list[Any]:
            return []

        def proposals(self) -> list[ProposalView]:
            return [view]

    [entity] = overlay_entries(Decided())  # type: ignore[arg-type]
    assert getattr(entity, "country", None) == country
