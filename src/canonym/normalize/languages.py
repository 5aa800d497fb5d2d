"""Which language each paragraph of a text is written in, for the forms it takes.

The names in a paragraph are not read, only the words around them. A paragraph
too short to tell (a dateline, a name alone) takes the language most
of the document's letters are written in; a document that says nothing is English.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

from canonym.text.language import NEWS_LANGUAGES, detect_language

__all__ = ["AUTO", "FORMS_CHOICES", "ParagraphLanguages", "forms_problem", "words_language"]

AUTO = "auto"
# What ``forms`` may be: each paragraph's own language, or one of the languages
# canonym reads (a code outside them would silently write no form at all).
FORMS_CHOICES = (AUTO, *NEWS_LANGUAGES)
# A line end, maybe spaces or tabs, and a line end. The groups are atomic: the
# "\r\n" of one Windows line end must not give back its "\n" to read as two.
_BREAK = re.compile(r"(?>\r\n?|\n)[ \t]*(?>\r\n?|\n)")
_MIN_CONFIDENCE = 0.5
_LOWER_WORD = re.compile(r"\b[^\W\d_A-Z\u00c0-\u00de]{2,}\b")
_MIN_WORDS = 3
# A capitalized word: the word boundary is tested after its capital (no letter
# before it), so that the engine skips ahead to capitals.
# Captured, so that a split gives the words at odd positions.
_CAPITALIZED = re.compile(r"([A-Z\u00c0-\u00de](?<!\w.)[\w'\u2019-]*)")


def forms_problem(forms: str) -> str | None:
    """What is wrong with a ``forms`` value, or None when it is one of ``FORMS_CHOICES``."""
    if forms in FORMS_CHOICES:
        return None
    codes = ", ".join(NEWS_LANGUAGES)
    return f"unknown forms {forms!r}: use auto, or one of the language codes {codes}"


@lru_cache(maxsize=20_000)
def _detect(paragraph: str) -> str | None:
    # Capitals (a headline) mislead the detectors: they read the words in lower case.
    d = detect_language(paragraph.lower() if paragraph.isupper() else paragraph)
    if d.method == "default" or d.confidence < _MIN_CONFIDENCE:
        return None
    return d.lang


def _blanked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with the characters of ``spans`` (which may overlap) made spaces."""
    parts: list[str] = []
    pos = 0
    for a, b in sorted(spans):
        a = max(a, pos)
        if b > a:
            parts.append(text[pos:a])
            parts.append(" " * (b - a))
            pos = b
    parts.append(text[pos:])
    return "".join(parts)


def _blank_capitalized(text: str) -> str:
    """``text`` with each capitalized word made spaces, done in C: a split puts the
    words at odd positions, each replaced by as many spaces as it has characters."""
    parts = _CAPITALIZED.split(text)
    parts[1::2] = map(" ".__mul__, map(len, parts[1::2]))
    return "".join(parts)


@lru_cache(maxsize=256)
def words_language(text: str) -> str:
    """The language of the words of ``text`` that are not names, for the choices that
    hang on it (whether a capitalized word is a common word of the text).

    The capitalized words are left out, as in ``ParagraphLanguages``: they are what
    gets rewritten, so a text whose language they decided ("al-Sudani Irak of
    Soudani" reads as French, the same with "Sudani" as Turkish) would read
    otherwise once normalized, and normalizing twice would not give what once gave.
    A text whose other words cannot tell is in no known language (``und``).
    """
    if text.isupper():
        lang = _detect(text)  # a headline in capitals: its words are all it has
    else:
        lang = _uncapitalized_language(_blank_capitalized(text), text)
    return lang or "und"


def _uncapitalized_language(words: str, named: str) -> str | None:
    """The language of a paragraph read from ``words``, the paragraph ``named`` with
    its capitalized words blanked; None where they cannot tell."""
    lang = _detect(words) if words.strip() else None
    if lang is None and len(_LOWER_WORD.findall(words)) >= _MIN_WORDS:
        # German capitalizes every noun: without its capitalized words a German
        # paragraph says too little, so read them too, when enough lower-case
        # words say the paragraph is prose, not a string of names.
        lang = _detect(named)
    return lang


class ParagraphLanguages:
    """The language at each offset of ``text`` (``forms`` other than ``auto`` forces one)."""

    def __init__(self, text: str, forms: str = AUTO, names: Sequence[tuple[int, int]] = ()) -> None:
        self.forced = None if forms == AUTO else forms
        self._starts: list[int] = []
        self._langs: list[str | None] = []
        if self.forced is not None:
            return
        # The names are left out: they are what is being rewritten, and a paragraph
        # of names ("Hashd al-Shaabi met Sudani") is in no language of its own.
        named = _blanked(text, names)
        # So are the capitalized words, names not found among them: "met Mohamad
        # Shiya" is not French.
        text = _blank_capitalized(named)
        pos = 0
        weight: dict[str, int] = {}
        for m in [*_BREAK.finditer(text), None]:
            end = len(text) if m is None else m.start()
            para = text[pos:end]
            lang = _uncapitalized_language(para, named[pos:end])
            if lang is not None:
                weight[lang] = weight.get(lang, 0) + len(para)
            self._starts.append(pos)
            self._langs.append(lang)
            if m is not None:
                pos = m.end()
        self.document = max(weight, key=lambda k: weight[k]) if weight else "en"

    def at(self, offset: int) -> str:
        """The language of the paragraph holding ``offset``."""
        if self.forced is not None:
            return self.forced
        i = max(bisect_right(self._starts, offset) - 1, 0)
        return self._langs[i] or self.document
