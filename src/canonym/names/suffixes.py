"""Endings glued after names in running text: the German genitive ``Israels``.

Reach for this module to cut such an ending off a word, so that the name alone is
the word a match spans: ``peel_suffixes`` does it for a scanned text, driven by
``data/suffixes.yaml`` and by the first key pieces of gazetteer forms.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Container, Mapping
from functools import lru_cache

from canonym.data import load_data
from canonym.names.clitics import lead_key
from canonym.names.keys import KEY_FULL

__all__ = ["peel_suffixes"]


@lru_cache(maxsize=1)
def _endings() -> tuple[tuple[str, ...], int, re.Pattern[str]]:
    gen = load_data("suffixes.yaml")["genitive"]
    endings = tuple(sorted(gen["endings"], key=len, reverse=True))
    alts = "|".join(re.escape(e) for e in endings)
    # A word that ends in one of the endings: one search of the text, in C; whether
    # the word is capitalized and what it keys to is checked on the hit.
    return endings, int(gen["min_rest"]), re.compile(rf"\w(?:{alts})(?!\w)")


def _cut(word: str, before: str | None, opens: Container[str]) -> int:
    """How many trailing characters of ``word`` are an ending after a name (0: none).

    The stem must be a whole one-word form ("Israel" in "Israels"), and the word must
    not go on a form the word before it opens ("States" in "United States").
    """
    endings, min_rest, _ = _endings()
    key = lead_key(word)
    if not word[0].isupper() or word.isupper() or key in opens:
        return 0  # "USA", or a word that is itself a form ("Paris")
    if before is not None and f"{lead_key(before)} {key}" in opens:
        return 0
    steps = opens if isinstance(opens, Mapping) else None
    for end in endings:
        n = len(end)
        stem = word[:-n]
        if not (word.endswith(end) and len(stem) >= min_rest):
            continue
        stem_key = lead_key(stem)
        whole = steps.get(stem_key, 0) & KEY_FULL if steps is not None else stem_key in opens
        if whole:
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
        n = _cut(word, words[i - 1] if i > 0 else None, opens)
        if n:
            words[i] = word[:-n]
            ends[i] -= n
            gaps[i + 1] = word[-n:] + gaps[i + 1]  # a split leaves a gap after each word
