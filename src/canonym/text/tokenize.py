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

__all__ = [
    "TOKEN_RE",
    "POSSESSIVE_RE",
    "Token",
    "tokenize",
    "possessive_stem",
    "cap_like",
    "dotted_spans",
    "is_dotted",
]

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
POSSESSIVE_RE = re.compile(rf"[{APOSTROPHES}][sS](?!{_WORD})")


# A dotted abbreviation ("U.S.", "U.N.", "U.S.A."): one word, not single letters.
# Its own search after the word split, as the possessive rule is: an alternation in
# TOKEN_RE would slow the scan of every word. The look-behind (no letter or period
# before the first capital) comes after that capital, so that the engine skips
# ahead to capitals instead of trying the look-behind at every position.
_DOTTED_RE = re.compile(r"[A-Z](?<![\w.].)\.(?:[A-Z]\.)*[A-Z](?!\w)\.?")
# After an abbreviation's last period, what says a sentence may end there: then the
# period is left outside the word, so that rewriting the name keeps the full stop.
_SENTENCE_AFTER = re.compile(r"[ \t]*(?:$|\r?\n)|\s+[\"'\u201c\u00ab(\[]*[A-Z\u00c0-\u00de]")


def dotted_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of dotted abbreviations in ``text``.

    The closing period belongs to the word unless a sentence may end after it
    ("the U.S. military", but "sanctions by the U.S. The ...").
    """
    if "." not in text:
        return []
    out = []
    for m in _DOTTED_RE.finditer(text):
        start, end = m.span()
        if text[end - 1] == "." and _SENTENCE_AFTER.match(text, end) is not None:
            end -= 1
        out.append((start, end))
    return out


def is_dotted(word: str) -> bool:
    """Whether a word is a dotted abbreviation, with or without its last period."""
    return len(word) > 2 and word[1] == "." and _DOTTED_RE.fullmatch(word) is not None


class Token(NamedTuple):
    """A word of a text with its character span."""

    start: int
    end: int
    text: str


def possessive_stem(word: str) -> str | None:
    """The word a possessive "'s" closes ("Soudani's" -> "Soudani"), else None.

    "Ra's" (a cape) is too short to be a possessive: the word must be longer than four.
    """
    if len(word) > 4 and word[-2] in APOSTROPHES:
        # In capitals too ("TURKEY’S"), where the stem is in capitals.
        if word[-1] == "s" or (word[-1] == "S" and word[:-2].isupper()):
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
    for start, end in reversed(dotted_spans(text)):
        first = next(i for i, t in enumerate(tokens) if t.start == start)
        last = first
        while last + 1 < len(tokens) and tokens[last + 1].end <= end:
            last += 1
        tokens[first : last + 1] = [Token(start, end, text[start:end])]
    return tokens


def cap_like(word: str) -> bool:
    """Whether a word opens with a capital, or with a letter of a script without case."""
    c = word[0]
    return c.isupper() or (c >= "\u0370" and not c.islower())
