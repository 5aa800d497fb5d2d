"""How proposed entities are named and typed: English spellings, per-language forms,
and the words around a name."""

import csv
from pathlib import Path

import pytest

from canonym.jobs.naming import (
    english_spelling,
    guess_country,
    guess_type,
    is_cue_word,
    language_forms,
)

DATA = Path(__file__).resolve().parents[1] / "data"
with (DATA / "proposal_types.csv").open(encoding="utf-8") as f:
    TYPED = list(csv.DictReader(f))


@pytest.mark.parametrize("row", TYPED, ids=[f"{r['type']}:{r['context'][:30]}" for r in TYPED])
def test_the_words_around_a_mention_type_the_name(row: dict[str, str]) -> None:
    assert guess_type([row["name"]], [(row["name"], row["context"])]) == row["type"]


def test_the_commonest_type_wins_and_a_tie_falls_back() -> None:
    name = "Marwaniyeh Tahta"
    place = (name, f"Shelling hit the town of {name} overnight.")
    person = (name, f"The commander {name} appeared.")
    assert guess_type([name], [place, place, person]) == "place"
    assert guess_type([name], [place, person]) == "person"  # no clear vote: two words


def test_the_names_own_words_decide_when_they_agree() -> None:
    in_town = ("Saraya al-Hadid", "Fighting went on in Saraya al-Hadid, people said.")
    assert guess_type(["Saraya al-Hadid"], [in_town]) == "organization"
    port = "Port Authority of Ras Marwan"  # a place word and an organization word: context
    assert guess_type([port], [(port, f"Fighters of {port} left.")]) == "organization"


GHARAWI = ("Abou Sajjad al-Gharaoui", "Abu Sajad al-Ghrawi", "Abu Sajjad al-Gharawi")


@pytest.mark.parametrize(
    ("after", "kind"),
    [(", Lebanon, overnight.", "place"), (", Lebanon and Syria.", "place"),
     (", Lebanon's envoy, spoke.", "person"), (", Hezbollah's envoy, spoke.", "person")],
)  # fmt: skip
def test_a_country_after_a_comma_places_the_name(after: str, kind: str) -> None:
    name = "Marwaniyeh Tahta"
    mention = (name, f"Reports came from {name}{after}")
    assert guess_type([name], [mention], _lebanon) == kind


def _lebanon(text: str) -> str | None:
    return "LB" if text == "Lebanon" else "" if text == "Levant" else None


def test_a_place_is_in_the_country_written_beside_it_when_they_agree() -> None:
    name = "Marwaniyeh Tahta"
    lb, levant = (name, f"Rain fell on {name}, Lebanon."), (name, f"Rain fell on {name}, Levant.")
    assert guess_country([lb, lb, levant], _lebanon) == "LB"
    other = (name, f"Rain fell on {name}, Syria.")
    assert guess_country([lb, other], lambda t: {"Lebanon": "LB", "Syria": "SY"}.get(t)) is None


# (spellings with their count, {spelling: {document language: count}}, the name chosen)
NAMED = [
    # One each in English copy: the French romanization loses, then the closest to all.
    (
        [("Abou Sajjad al-Gharaoui", 1), ("Abu Sajad al-Ghrawi", 1), ("Abu Sajjad al-Gharawi", 1)],
        {
            s: {"en": 1}
            for s in ("Abou Sajjad al-Gharaoui", "Abu Sajad al-Ghrawi", "Abu Sajjad al-Gharawi")
        },
        "Abu Sajjad al-Gharawi",
    ),
    # French copy writes its spelling more often; English copy decides.
    (
        [("Abou Haïdar al-Zoubaidi", 5), ("Abu Haidar al-Zubaidi", 2)],
        {"Abou Haïdar al-Zoubaidi": {"fr": 5}, "Abu Haidar al-Zubaidi": {"en": 2}},
        "Abu Haidar al-Zubaidi",
    ),
    # German romanizations lose a tie too.
    (
        [("Dschamal Schahrani", 1), ("Jamal Shahrani", 1)],
        {"Dschamal Schahrani": {"en": 1}, "Jamal Shahrani": {"en": 1}},
        "Jamal Shahrani",
    ),
    # No English copy: the commonest spelling, a Latin one before Arabic script.
    (
        [("زرونده قلبهاري", 4), ("Zarvandeh Qolbahari", 1)],
        {"زرونده قلبهاري": {"ar": 4}, "Zarvandeh Qolbahari": {"fr": 1}},
        "Zarvandeh Qolbahari",
    ),
]


@pytest.mark.parametrize(("spellings", "by_language", "name"), NAMED)
def test_proposals_are_named_by_the_english_spelling(
    spellings: list[tuple[str, int]], by_language: dict[str, dict[str, int]], name: str
) -> None:
    assert english_spelling(spellings, by_language) == name


def test_each_language_gets_the_spelling_its_documents_write_in_its_script() -> None:
    spellings = [
        ("Abou Haïdar al-Zoubaidi", 5),
        ("Abu Haidar al-Zubaidi", 4),
        ("أبو حيدر الزبيدي", 2),
    ]
    by_language = {
        "Abou Haïdar al-Zoubaidi": {"fr": 5},
        "Abu Haidar al-Zubaidi": {"en": 3, "de": 1, "ar": 1},
        "أبو حيدر الزبيدي": {"ar": 2},
    }
    forms = language_forms(spellings, by_language, "Abu Haidar al-Zubaidi")
    assert forms == {"fr": ["Abou Haïdar al-Zoubaidi"], "ar": ["أبو حيدر الزبيدي"]}  # de: the name


@pytest.mark.parametrize("word", ["Commander", "Kommandeur", "province", "Milices"])
def test_words_that_type_names_are_not_names(word: str) -> None:
    assert is_cue_word(word)


@pytest.mark.parametrize("word", ["Zarvandeh", "Commander Zarvandeh"])
def test_names_are_not_cue_words(word: str) -> None:
    assert not is_cue_word(word)
