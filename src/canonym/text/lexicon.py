"""Common words per language: how much evidence a capitalized word needs to be a name.

Reach for this module when a word matched a name only loosely (by key or fuzzily):
news capitalizes many words that are none (sentence openers, every German noun),
and a word that is common in its paragraph's language ("Seine", "Dach", "Yesterday")
links only to a form written exactly as it is. The lists are data
(``data/common_words/LANG.txt``, written by ``tools/common_words.py`` from wordfreq).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["common_words", "is_common"]


@cache
def common_words(lang: str) -> frozenset[str]:
    """The common words of ``lang``, lower case; empty for a language without a list."""
    path = resources.files("canonym").joinpath("data", "common_words", f"{lang}.txt")
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return frozenset()
    return frozenset(text.split())


def is_common(word: str, lang: str | None) -> bool:
    """Whether ``word`` is a common word of ``lang`` (``None``: of no language known)."""
    if lang is None or not word.isalpha() or (len(word) > 1 and word.isupper()):
        # An acronym ("IS", "AGI") or a dotted abbreviation ("U.S.") is written as a
        # name on purpose, whatever common word it also spells.
        return False
    return word.lower() in common_words(lang)
