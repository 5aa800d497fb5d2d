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


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # Only the words around the names say the language: respelling a name
        # leaves it as it was, so a second normalization reads the text as the first did.
        ("Le président Mohamed Chia al-Soudani est arrivé à Bagdad hier soir.", "fr"),
        ("Le président Mohammed Shia al-Sudani est arrivé à Baghdad hier soir.", "fr"),
        ("Der Ministerpräsident traf sich am Montag mit den Vertretern der Hisbollah.", "de"),
        ("al-Sudani Irak of Soudani", "und"),  # names alone: no language
        ("al-Sudani Iraq of Sudani", "und"),
    ],
)
def test_words_language_leaves_names_out(text: str, lang: str) -> None:
    from canonym.normalize.languages import words_language

    assert words_language(text) == lang


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_one_line_end_is_no_paragraph_break(end: str) -> None:
    from canonym.normalize.languages import ParagraphLanguages

    french = "Le président est arrivé hier soir à la capitale avec les ministres."
    english = "The president arrived last night in the capital with the ministers."
    one = ParagraphLanguages(french + end + english)
    assert one.at(0) == one.at(len(french) + len(end))
    two = ParagraphLanguages(french + end * 2 + english)
    assert (two.at(0), two.at(len(french) + 2 * len(end))) == ("fr", "en")
