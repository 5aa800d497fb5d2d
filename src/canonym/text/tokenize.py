"""Words of a text with their spans: the one word pattern and the possessive rule.

Reach for this module to split a name or a text into words: ``TOKEN_RE`` is the
word both gazetteer forms and running text are cut with, ``possessive_stem`` the
one rule that says "Soudani's" names Soudani, and ``tokenize`` both applied.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from canonym.text.normalize import APOSTROPHES
from canonym.text.scripts import ARABIC_LETTERS

__all__ = ["TOKEN_RE", "POSSESSIVE_RE", "Token", "tokenize", "possessive_stem", "cap_like"]

# A word: letters and digits, with the combining marks that Arabic and decomposed
# Latin text carry, and apostrophes inside a word ("Sana'a", "Asa'ib").
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d"
# One character class (an alternation is several times slower to scan); it admits
# the underscore, which news text does not put inside names.
_WORD = rf"[\w{_MARKS}]"
# Possessive quantifiers: nothing after a word could make a shorter one match.
# Arabic script writes no apostrophes: one before an Arabic letter ends the word,
# so that "Department'ء" is the name and a stray letter, not one word of both.
TOKEN_RE = re.compile(rf"{_WORD}++(?:[{APOSTROPHES}](?![{ARABIC_LETTERS}]){_WORD}++)*+")
# A possessive "'s" closing a word, for a scan of a whole text (a lookbehind for the
# word before it would be tried at every position): ``possessive_stem`` decides.
POSSESSIVE_RE = re.compile(rf"[{APOSTROPHES}]s(?!{_WORD})")


class Token(NamedTuple):
    """A word of a text with its character span."""

    start: int
    end: int
    text: str


def possessive_stem(word: str) -> str | None:
    """The word a possessive "'s" closes ("Soudani's" -> "Soudani"), else None.

    "Ra's" (a cape) is too short to be a possessive: the word must be longer than four.
    """
    if len(word) > 4 and word[-1] == "s" and word[-2] in APOSTROPHES:
        return word[:-2]
    return None


def tokenize(text: str) -> list[Token]:
    """Split text into words, keeping spans; a possessive "'s" is not part of the word."""
    # tuple.__new__ skips the named tuple's Python-level constructor: this runs per word.
    new = tuple.__new__
    tokens = [new(Token, (m.start(), m.end(), m.group())) for m in TOKEN_RE.finditer(text)]
    for i, (start, end, word) in enumerate(tokens):
        stem = possessive_stem(word)
        if stem is not None:
            tokens[i] = Token(start, end - 2, stem)
    return tokens


def cap_like(word: str) -> bool:
    """Whether a word opens with a capital, or with a letter of a script without case."""
    c = word[0]
    return c.isupper() or (c >= "\u0370" and not c.islower())
