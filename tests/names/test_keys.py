"""Name keys: transliteration variants collide, different names do not."""

import csv
from pathlib import Path

import pytest

from canonym.names.keys import name_key, name_skeleton
from canonym.names.romanize import romanize_arabic
from canonym.text.tokenize import tokenize

DATA = Path(__file__).resolve().parents[1] / "data"


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", rows("key_pairs.csv"), ids=lambda r: f"{r['a']}|{r['b']}")
def test_key_pairs(row: dict[str, str]) -> None:
    same = name_key(row["a"]) == name_key(row["b"])
    assert same == (row["same_key"] == "yes"), (name_key(row["a"]), name_key(row["b"]), row["note"])


@pytest.mark.parametrize("row", rows("skeleton_pairs.csv"), ids=lambda r: f"{r['a']}|{r['b']}")
def test_skeleton_pairs(row: dict[str, str]) -> None:
    same = name_skeleton(row["a"]) == name_skeleton(row["b"])
    assert same == (row["same_skeleton"] == "yes"), (
        name_skeleton(row["a"]),
        name_skeleton(row["b"]),
    )


def test_arabic_article_and_long_vowels() -> None:
    assert romanize_arabic("السوداني") == "al-sudani"
    assert romanize_arabic("الله") == "allah"
    # A word-initial waw is a consonant, after a consonant it is a long vowel.
    assert romanize_arabic("وليد") == "wlid"  # the short a is not written


def test_article_not_dropped_in_running_text_unless_hyphenated() -> None:
    # "as" before a word starting with s is an English word, not an article, in prose.
    assert name_key("as Sakhar") == name_key("Sakhar")  # in a name, spaced forms count
    from canonym.names.keys import pieces

    text = "known as Sakhar"
    keys = [p.key for p in pieces(tokenize(text), text, strict=True)]
    assert "as" in keys
