"""The data tables are parsed from YAML once and read back from JSON after that."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

import canonym.data as data


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CANONYM_CACHE_DIR", str(tmp_path))
    data.load_data.cache_clear()
    yield tmp_path
    data.load_data.cache_clear()


def test_a_table_parsed_once_is_read_back_without_yaml(
    fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = data.load_data("particles.yaml")
    assert (fresh / "table-particles.json").is_file()
    data.load_data.cache_clear()

    def no_yaml(*args: object, **kwargs: object) -> object:
        raise AssertionError("parsed the YAML again")

    monkeypatch.setattr(yaml, "load", no_yaml)
    assert data.load_data("particles.yaml") == parsed


def test_a_table_whose_yaml_changed_is_parsed_again(fresh: Path) -> None:
    parsed = data.load_data("letters.yaml")
    kept = fresh / "table-letters.json"
    kept.write_text(json.dumps({"digest": "0" * 64, "value": {"planted": 1}}), encoding="utf-8")
    data.load_data.cache_clear()
    assert data.load_data("letters.yaml") == parsed
    assert json.loads(kept.read_text(encoding="utf-8"))["value"] == parsed


def test_a_damaged_file_is_a_miss(fresh: Path) -> None:
    parsed = data.load_data("suffixes.yaml")
    (fresh / "table-suffixes.json").write_bytes(b"\x00{not json")
    data.load_data.cache_clear()
    assert data.load_data("suffixes.yaml") == parsed


def test_a_table_json_cannot_hold_stays_yaml(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data, "data_bytes", lambda name: b"1: one\n2: two\n")
    assert data.load_data("numbers.yaml") == {1: "one", 2: "two"}  # int keys
    assert not (fresh / "table-numbers.json").exists()


def test_an_unwritable_cache_only_costs_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("CANONYM_CACHE_DIR", str(blocker / "cache"))  # under a file
    data.load_data.cache_clear()
    try:
        assert data.load_data("idioms.yaml") == yaml.safe_load(data.data_bytes("idioms.yaml"))
    finally:
        data.load_data.cache_clear()
