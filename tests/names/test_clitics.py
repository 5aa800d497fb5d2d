"""Arabic proclitics read off a word: which letters may be one, and the article behind them."""

from __future__ import annotations

import pytest

from canonym.names.clitics import definite_reading, has_article, proclitic_splits


@pytest.mark.parametrize(
    ("word", "min_rest", "splits"),
    [
        ("وبالمدينة", 3, (1, 2)),  # و, then وب
        ("فللمدينة", 3, (1, 2, 3)),  # ف, فل, فلل
        ("وزير", 4, ()),  # و leaves too little
        ("وزير", 3, (1,)),
        ("مدينة", 1, ()),  # no proclitic letter
        ("", 1, ()),
    ],
)
def test_proclitic_splits_shortest_first(word: str, min_rest: int, splits: tuple[int, ...]) -> None:
    assert proclitic_splits(word, min_rest) == splits


@pytest.mark.parametrize(
    ("word", "reading"),
    [
        ("المدينة", (0, "المدينة")),
        ("والمدينة", (1, "المدينة")),
        ("بالمدينة", (1, "المدينة")),
        ("للمدينة", (2, "المدينة")),  # li- before the article drops its alif
        ("وللمدينة", (3, "المدينة")),
        ("مدينة", None),
        ("ومدينة", None),
    ],
)
def test_definite_reading(word: str, reading: tuple[int, str] | None) -> None:
    assert definite_reading(word) == reading
    assert has_article(word) == (reading is not None)
