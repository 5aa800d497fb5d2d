"""Which language a text is written in, the same answer every run.

Reach for this module before translating or when counting the languages a name
appears in. The script decides where it can (Arabic letters used only by Persian
or Urdu, Hebrew, Cyrillic); langdetect, seeded so that it is deterministic,
decides among languages that share the Latin or Arabic script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Detection", "detect_language"]

_SAMPLE = 600  # characters: enough for langdetect to be sure, bounded cost on long texts
_MIN_LETTERS = 12  # fewer letters than this is a name or a dateline, not a language

_SCRIPTS = {
    "hebrew": re.compile("[\u0590-\u05ff]"),
    "cyrillic": re.compile("[\u0400-\u04ff]"),
    "arabic": re.compile("[\u0600-\u06ff]"),
}
_PERSIAN_ONLY = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")  # پ چ ژ گ ک ی
_URDU_ONLY = re.compile("[\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2]")  # ٹ ڈ ڑ ں ھ ہ ے
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Detection:
    """A language code (ISO 639-1, or ``und`` when undecided) and a confidence in [0, 1]."""

    lang: str
    confidence: float
    method: str  # script | langdetect | default


@lru_cache(maxsize=1)
def _factory_seeded() -> bool:
    from langdetect import DetectorFactory  # type: ignore[import-untyped]

    DetectorFactory.seed = 0  # langdetect samples at random unless seeded
    return True


def detect_language(text: str, *, default: str = "und") -> Detection:
    """Detect the language of ``text``; too little text gives ``default``."""
    sample = text[:_SAMPLE]
    letters = _LETTER.findall(sample)
    if len(letters) < _MIN_LETTERS:
        return Detection(default, 0.0, "default")
    counts = {name: len(rx.findall(sample)) for name, rx in _SCRIPTS.items()}
    script, n = max(counts.items(), key=lambda kv: kv[1])
    if n > len(letters) / 2:
        if script == "hebrew":
            return Detection("he", 0.99, "script")
        if script == "arabic":
            if _URDU_ONLY.search(sample):
                return Detection("ur", 0.9, "script")
            if _PERSIAN_ONLY.search(sample):
                return Detection("fa", 0.95, "script")
            return Detection("ar", 0.95, "script")
    _factory_seeded()
    from langdetect import detect_langs
    from langdetect.lang_detect_exception import (  # type: ignore[import-untyped]
        LangDetectException,
    )

    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return Detection(default, 0.0, "default")
    return Detection(str(best.lang), float(best.prob), "langdetect")
