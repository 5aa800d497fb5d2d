"""String normal forms: the one family every comparison of written forms goes through.

Reach for this module to compare two spellings as written: ``surface_norm`` is
how exact matching sees a surface (case, apostrophes, dashes and spaces do not
count), ``fold_text`` gives the plain ASCII words a name is scored on,
``fold_letters`` the ASCII letters one word is keyed on, and
``drop_leading_article`` a form without the article news copy leaves out.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

__all__ = ["APOSTROPHES", "surface_norm", "fold_text", "fold_letters", "drop_leading_article"]

# Every sign news text writes for an apostrophe (and the ayn and hamza of
# romanizations), in the order the tokenizer lists them.
APOSTROPHES = "'\u2019\u02bc\u2018`\u02bf\u02be\u00b4"
_APOS_TABLE = str.maketrans({c: "'" for c in APOSTROPHES[1:]})
_DASH_TABLE = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014"})


def surface_norm(text: str) -> str:
    """How exact matching sees a surface: NFC, case-folded, one kind of apostrophe and dash."""
    if text.isascii():
        return " ".join(text.lower().replace("`", "'").split())
    text = unicodedata.normalize("NFC", text).casefold()
    text = text.translate(_APOS_TABLE).translate(_DASH_TABLE)
    return " ".join(text.split())


def fold_text(text: str) -> str:
    """Plain lower-case ASCII words of a name, for comparing letters as written."""
    return " ".join("".join(c if c.isalnum() else " " for c in unidecode(text).lower()).split())


def fold_letters(word: str, table: dict[int, str] | None = None) -> str:
    """Lower-case ASCII letters and digits of one word, ``table`` applied to it first.

    Unlike ``fold_text`` it composes the word (NFC) before transliterating and keeps
    no separators: it is the fold a name key is built from.
    """
    if not word.isascii():
        word = unicodedata.normalize("NFC", word)
        if table is not None:
            word = word.translate(table)
        word = unidecode(word)
    return "".join(c for c in word.lower() if c.isalnum())


@lru_cache(maxsize=16)
def _article_re(articles: tuple[str, ...], before_word: bool) -> re.Pattern[str]:
    alternation = "|".join(map(re.escape, articles))
    if before_word:
        return re.compile(rf"^(?:{alternation})[-\s](?=\w)", re.IGNORECASE)
    return re.compile(rf"^(?:{alternation})[- ]", re.IGNORECASE)


def drop_leading_article(text: str, articles: tuple[str, ...], *, before_word: bool = True) -> str:
    """``text`` without one of ``articles`` opening it, joined by a hyphen or a space.

    With ``before_word`` (the rewriter's bare forms) any white space may join it and
    a word must follow; without (the linter's spelling comparison) a hyphen or a
    plain space joins it, whatever follows: each keeps the rule it was written with.
    """
    return _article_re(articles, before_word).sub("", text, count=1)
