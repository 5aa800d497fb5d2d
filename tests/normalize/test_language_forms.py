"""Golden pairs: the forms each paragraph's language takes (tests/data/language_forms.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from canonym import Gazetteer
from canonym.normalize.normalizer import Normalizer

ROWS = list(
    csv.DictReader(
        (Path(__file__).parents[1] / "data" / "language_forms.csv").open(encoding="utf-8")
    )
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


@pytest.mark.parametrize("row", ROWS, ids=[r["note"] for r in ROWS])
def test_language_forms(gazetteer: Gazetteer, row: dict[str, str]) -> None:
    n = Normalizer(gazetteer, forms=row["forms"])
    out = n.normalize(row["input"]).text
    assert out == row["output"], row["note"]
    assert n.normalize(out).text == out  # normalizing again changes nothing


def test_mentions_carry_language_and_english_canonical(gazetteer: Gazetteer) -> None:
    r = Normalizer(gazetteer).normalize(
        "Les États-Unis ont annoncé hier une nouvelle aide pour le pays."
    )
    d = r.mentions[0].to_dict()
    assert (d["entity_id"], d["canonical"]) == ("united-states", "United States")
    assert (d["written"], d["language"], d["form_language"]) == ("États-Unis", "fr", "fr")
