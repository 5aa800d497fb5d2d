"""Endings glued after names in running text: the German genitive ``Israels``.

Reach for this module to cut such an ending off a word, so that the name alone is
the word a match spans: ``peel_suffixes`` does it for a scanned text, driven by
``data/suffixes.yaml`` and by the first key pieces of gazetteer forms.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Container
from functools import lru_cache

from canonym.data import load_data
from canonym.names.clitics import lead_key

__all__ = ["peel_suffixes"]


@lru_cache(maxsize=1)
def _endings() -> tuple[tuple[str, ...], int, re.Pattern[str]]:
    gen = load_data("suffixes.yaml")["genitive"]
    endings = tuple(sorted(gen["endings"], key=len, reverse=True))
    alts = "|".join(re.escape(e) for e in endings)
    # A word that ends in one of the endings: one search of the text, in C; whether
    # the word is capitalized and what it keys to is checked on the hit.
    return endings, int(gen["min_rest"]), re.compile(rf"\w(?:{alts})(?!\w)")


def _cut(word: str, opens: Container[str]) -> int:
    """How many trailing characters of ``word`` are an ending after a name (0: none)."""
    endings, min_rest, _ = _endings()
    if not word[0].isupper() or word.isupper() or lead_key(word) in opens:
        return 0  # "USA", or a word that is itself a form ("Paris")
    for end in endings:
        n = len(end)
        stem = word[:-n]
        if word.endswith(end) and len(stem) >= min_rest and lead_key(stem) in opens:
            return n
    return 0


def peel_suffixes(
    text: str,
    words: list[str],
    starts: list[int],
    ends: list[int],
    gaps: list[str],
    opens: Container[str],
) -> None:
    """Move endings glued after names from the words into the gaps after them."""
    pattern = _endings()[2]
    for hit in pattern.finditer(text):
        i = bisect_right(starts, hit.start()) - 1
        if i < 0 or ends[i] != hit.end():
            continue  # not the end of a word (an apostrophe, a peeled possessive)
        word = words[i]
        n = _cut(word, opens)
        if n:
            words[i] = word[:-n]
            ends[i] -= n
            gaps[i + 1] = word[-n:] + gaps[i + 1]  # a split leaves a gap after each word
