"""The HTTP API answers as the command line does, and refuses bad input clearly."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient
from typer.testing import CliRunner

from canonym import Gazetteer
from canonym.cli.app import app as cli
from canonym.corpus.run import GazetteerSpec
from canonym.serve import SETTINGS_ENV, ServeSettings, Service, create_app, create_app_from_env

DATA = Path(__file__).resolve().parents[1] / "data"

MINI = ["--no-bundled", "-g", str(DATA / "mini.yaml")]
TEXTS = [
    "Hachd al-Chaabi fighters met Mohamed Chia al-Soudani in Bagdad.",
    "Tripoli and Mossoul.\n\nLa bande de Gaza et la Syrie.",
    "",
]
NAMES = ["Mohamed Chia al-Soudani", "Hisbolla", "Tripoli", "الموصل", "Nobody Atall"]


def cli_json(*args: str, input: str | None = None) -> Any:
    r = CliRunner().invoke(cli, [*args, "--format", "json"], input=input)
    return json.loads(r.stdout)


def test_health(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok" and r.json()["entities"] == 21


@pytest.mark.parametrize("text", TEXTS)
def test_normalize_is_the_cli_json(client: TestClient, text: str) -> None:
    expected = cli_json("normalize", "-", *MINI, "--translate", "never", input=text)
    del expected["file"]  # the API has no input file to name
    assert client.post("/normalize", json={"text": text}).json() == expected


def test_normalize_options_and_plain_text_body(client: TestClient) -> None:
    text = "Irak et la Syrie."
    expected = cli_json(
        "normalize", "-", *MINI, "--translate", "never", "--forms", "en", input=text
    )
    del expected["file"]
    got = client.post("/normalize", json={"text": text, "forms": "en"}).json()
    assert got == expected and got["text"] == "Iraq et la Syria."
    plain = client.post("/normalize", content="Irak", headers={"content-type": "text/plain"})
    assert plain.json()["text"] == "Iraq"


def test_translation_without_a_model_is_422(client: TestClient) -> None:
    text = "Les combattants du Hachd al-Chaabi sont arrivés à Mossoul hier soir, selon un témoin."
    r = client.post("/normalize", json={"text": text, "translate": "require"})
    assert r.status_code == 422 and "canonym models install fr" in r.json()["error"]
    kept = client.post("/normalize", json={"text": text, "translate": "auto"}).json()
    # Kept in French, with a warning, its names still resolved.
    assert kept["text"] == text and kept["warnings"]
    assert "popular-mobilization-forces" in {m["entity_id"] for m in kept["mentions"]}


@pytest.mark.parametrize("name", NAMES)
def test_resolve_is_the_cli_json(client: TestClient, name: str) -> None:
    expected = cli_json("resolve", name, *MINI, "--top", "3")
    assert client.post("/resolve", json={"name": name, "top": 3}).json() == expected


def test_resolve_with_context_and_explain_is_the_cli_json(
    make_client: Callable[..., TestClient],
) -> None:
    g = DATA / "homonyms.yaml"
    text = "Flights from Riyadh resumed on Monday."
    expected = cli_json(
        "resolve", "Tabuk", "--no-bundled", "-g", str(g), "--context", text, "--explain"
    )
    assert expected["explanation"]["linked"] == "tabuk-sa"
    with make_client(Gazetteer.load(g, use_cache=False)) as c:
        body = {"name": "Tabuk", "context": text, "explain": True}
        assert c.post("/resolve", json=body).json() == expected
        r = c.post("/resolve", json={"name": "Tabuk", "explain": "yes"})
        assert r.status_code == 422 and "'explain' must be true or false" in r.text


def test_detect_is_the_cli_json(client: TestClient, tmp_path: Path) -> None:
    text = TEXTS[1]
    f = tmp_path / "a.txt"
    f.write_text(text, encoding="utf-8")
    assert client.post("/detect", json={"text": text}).json() == cli_json("detect", str(f))


CASES = yaml.safe_load((DATA / "serve_errors.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['path']}:{c['says']}")
def test_bad_input_is_a_clear_json_error(client: TestClient, case: dict[str, Any]) -> None:
    if "json" in case:
        r = client.post(case["path"], json=case["json"])
    else:
        body = case["body"].encode("latin-1" if case.get("latin1") else "utf-8")
        kind = case.get("content_type", "application/json")
        r = client.post(case["path"], content=body, headers={"content-type": kind})
    assert r.status_code == case["status"], r.text
    assert r.json()["status"] == case["status"]
    assert case["says"] in r.json()["error"]


def test_deeply_nested_json_is_400(client: TestClient) -> None:
    r = client.post("/resolve", content=b"[" * 100_000 + b"]" * 100_000)
    assert r.status_code == 400 and "nests too deeply" in r.json()["error"]
    r = client.post("/reconcile", data={"queries": "[" * 100_000})
    assert r.status_code == 400 and "nests too deeply" in r.json()["error"]


def test_unknown_path_and_method_are_json(client: TestClient) -> None:
    r = client.get("/nothing")
    assert r.status_code == 404 and "no such endpoint: /nothing" in r.json()["error"]
    r = client.get("/resolve")
    assert r.status_code == 405 and "GET is not allowed" in r.json()["error"]


def test_body_over_the_limit_is_413(
    mini: Gazetteer, make_client: Callable[..., TestClient]
) -> None:
    c = make_client(mini, max_body_bytes=1000)
    ok = c.post("/resolve", json={"name": "Mosul" + " " * 900})
    assert ok.status_code == 200
    declared = c.post("/normalize", json={"text": "x" * 2000})
    assert declared.status_code == 413 and "--max-body-bytes" in declared.json()["error"]
    # A chunked body declares no length: it is counted as it arrives.
    streamed = c.post("/normalize", content=iter([b'{"text": "', b"x" * 600, b"x" * 600, b'"}']))
    assert streamed.status_code == 413


def test_a_bug_is_a_json_500(mini: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    c = TestClient(create_app(Service(mini)), raise_server_exceptions=False)
    monkeypatch.setattr(mini, "resolve", lambda *a, **k: 1 / 0)
    r = c.post("/resolve", json={"name": "Mosul"})
    assert r.status_code == 500 and "bug in canonym" in r.json()["error"]


def test_workers_load_the_gazetteer_once(monkeypatch: pytest.MonkeyPatch) -> None:
    loads = []
    real = GazetteerSpec.load

    def counting(self: GazetteerSpec) -> Gazetteer:
        loads.append(self)
        return real(self)

    monkeypatch.setattr(GazetteerSpec, "load", counting)
    settings = ServeSettings(GazetteerSpec((str(DATA / "mini.yaml"),), False, 0.95))
    monkeypatch.setenv(SETTINGS_ENV, settings.to_json())
    with TestClient(create_app_from_env()) as c:
        for name in NAMES:
            c.post("/resolve", json={"name": name})
        assert c.get("/health").json()["entities"] == 21
        assert c.app.state.service.gazetteer.thresholds.accept == 0.95  # type: ignore[attr-defined]
    assert len(loads) == 1


def test_settings_survive_the_trip_to_a_worker() -> None:
    s = ServeSettings(
        GazetteerSpec(("a.yaml", "b/"), False, 0.93), max_body_bytes=10, translate="auto"
    )
    assert ServeSettings.from_json(s.to_json()) == s
