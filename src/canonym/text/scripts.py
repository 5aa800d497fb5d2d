"""Which script a text is written in: the one place that knows the Unicode ranges.

Reach for this module to ask whether a word is in Arabic script, to label a
name's script (coarse for keys, fine for gazetteer statistics), to count the
letters of each script in a text (language detection) or to decide whether a
stretch of prose is mostly Latin (the rewriter's script policy).
"""

from __future__ import annotations

import re

__all__ = [
    "ARABIC_BLOCK",
    "ARABIC_LETTERS",
    "HEBREW",
    "CYRILLIC",
    "LATIN",
    "PERSIAN_ONLY",
    "URDU_ONLY",
    "is_arabic_script",
    "script_of",
    "form_script",
    "script_counts",
    "arabic_script_language",
    "latin_letter_share",
]

# The Arabic block proper, and with its supplements, extensions and presentation
# forms. Keys and tokens use the wide set, so that any Arabic-script letter is
# romanized; statistics and language detection count the block proper, as they
# always have (widening them would change their figures on presentation forms).
ARABIC_BLOCK = "\u0600-\u06ff"
ARABIC_LETTERS = ARABIC_BLOCK + "\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
HEBREW = "\u0590-\u05ff"
CYRILLIC = "\u0400-\u04ff"
# Basic Latin, Latin-1 and Extended-A/B letters; the statistics also count Latin
# Extended Additional (Vietnamese, scholarly romanizations), the rewriter does not.
_LATIN_CORE = "A-Za-z\u00c0-\u024f"
LATIN = _LATIN_CORE + "\u1e00-\u1eff"
PERSIAN_ONLY = "\u067e\u0686\u0698\u06af\u06a9\u06cc"  # پ چ ژ گ ک ی
URDU_ONLY = "\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2"  # ٹ ڈ ڑ ں ھ ہ ے

_ARABIC_RE = re.compile(f"[{ARABIC_LETTERS}]")
_ARABIC_BLOCK_RE = re.compile(f"[{ARABIC_BLOCK}]")
_HEBREW_RE = re.compile(f"[{HEBREW}]")
_CYRILLIC_RE = re.compile(f"[{CYRILLIC}]")
_LATIN_RE = re.compile(f"[{LATIN}]")
_PERSIAN_RE = re.compile(f"[{PERSIAN_ONLY}]")
_URDU_RE = re.compile(f"[{URDU_ONLY}]")
_ANY_LETTER = re.compile(r"[^\W\d_]")
# The letters among the Latin core: all of it but the signs × and ÷ (counted in C).
_LATIN_CORE_LETTER = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
_COUNTED = {"hebrew": _HEBREW_RE, "cyrillic": _CYRILLIC_RE, "arabic": _ARABIC_BLOCK_RE}


def is_arabic_script(text: str) -> bool:
    """Whether any letter of ``text`` is in Arabic script (Arabic, Persian, Urdu, Kurdish)."""
    return _ARABIC_RE.search(text) is not None


def script_of(text: str) -> str:
    """A coarse script label for a name: ``arabic``, ``hebrew`` or ``latin`` (anything else)."""
    if _ARABIC_RE.search(text):
        return "arabic"
    if _HEBREW_RE.search(text):
        return "hebrew"
    return "latin"


def form_script(text: str) -> str:
    """The script a name is written in: latin, arabic, persian, hebrew, cyrillic or other."""
    if _ARABIC_BLOCK_RE.search(text):
        return "persian" if _PERSIAN_RE.search(text) else "arabic"
    if _HEBREW_RE.search(text):
        return "hebrew"
    if _CYRILLIC_RE.search(text):
        return "cyrillic"
    if _LATIN_RE.search(text):
        return "latin"
    return "other"


def script_counts(text: str) -> dict[str, int]:
    """Letters of ``text`` in each caseless or Cyrillic script: hebrew, cyrillic, arabic."""
    return {name: len(rx.findall(text)) for name, rx in _COUNTED.items()}


def arabic_script_language(text: str) -> str:
    """The language an Arabic-script text is in, by the letters only it uses: ur, fa or ar."""
    if _URDU_RE.search(text):
        return "ur"
    if _PERSIAN_RE.search(text):
        return "fa"
    return "ar"


def latin_letter_share(text: str) -> float | None:
    """The share of the letters of ``text`` that are Latin, or None when it has none.

    The rewriter's verdict on a paragraph's script, once its names are known. The
    scanner decides earlier, before any name is resolved, by votes of whole words
    (``normalize.scan.mark_name_words``): words are all it has at that point, and
    making the two one would change which names are found or rewritten.
    """
    letters = len(_ANY_LETTER.findall(text))
    if not letters:
        return None
    return len(_LATIN_CORE_LETTER.findall(text)) / letters
