"""``canonym review``: what it checks before serving, and what it serves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import canonym.review
from canonym.cli.app import app

from .conftest import MINI

pytest.importorskip("starlette")
G = ["--no-bundled", "-g", str(MINI)]


def test_a_missing_database_is_one_line_and_exit_2(tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["review", str(tmp_path / "none.db"), *G])
    assert r.exit_code == 2
    assert "none.db: no such corpus database" in r.output
    assert not (tmp_path / "none.db").exists()


def test_output_and_into_are_one_or_the_other(corpus_db: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["review", str(corpus_db), "-o", "a.yaml", "--into", "b.yaml", *G])
    assert r.exit_code == 2 and "not both" in r.output


def test_a_file_that_is_not_a_corpus_database(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("not sqlite at all\n" * 100, encoding="utf-8")
    r = CliRunner().invoke(app, ["review", str(bad), *G])
    assert r.exit_code == 2 and "notes.db" in r.output and "Traceback" not in r.output


def test_serves_on_localhost_and_exports_beside_the_database(
    corpus_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: dict[str, Any] = {}

    def fake_serve(application: Any, *, host: str, port: int) -> None:
        served.update(app=application, host=host, port=port)

    monkeypatch.setattr(canonym.review, "serve", fake_serve)
    r = CliRunner().invoke(app, ["review", str(corpus_db), "--port", "8811", *G])
    assert r.exit_code == 0, r.output
    assert "http://127.0.0.1:8811/" in r.output
    assert str(corpus_db.with_suffix(".review.yaml")) in r.output
    assert (served["host"], served["port"]) == ("127.0.0.1", 8811)
    assert "warning" not in r.output


def test_warns_when_the_gazetteer_is_not_the_one_of_the_run(
    corpus_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(canonym.review, "serve", lambda *a, **k: None)
    r = CliRunner().invoke(app, ["review", str(corpus_db), "--accept", "0.97", *G])
    assert r.exit_code == 0 and "filled with another gazetteer" in r.output
