"""Which language a text is written in, the same answer every run.

Reach for this module before translating or when counting the languages a name
appears in. The script decides where it can (Arabic letters used only by Persian
or Urdu, Hebrew, Cyrillic); then a count of function words, when one Latin-script
language clearly dominates; then lingua-language-detector when it is installed
(more accurate on headlines, see bench/quality.py), else langdetect, seeded so
that it is deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from canonym.data import load_data
from canonym.text.scripts import arabic_script_language, script_counts

__all__ = ["Detection", "detect_language"]

_SAMPLE = 600  # characters: enough for langdetect to be sure, bounded cost on long texts
_MIN_LETTERS = 12  # fewer letters than this is a name or a dateline, not a language
_MIN_WORDS = 3  # one or two words are a name ("Hashd al-Shaabi"), not a language

_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Detection:
    """A language code (ISO 639-1, or ``und`` when undecided) and a confidence in [0, 1]."""

    lang: str
    confidence: float
    method: str  # script | function-words | lingua | langdetect | default


_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _function_words() -> dict[str, str]:
    """Each function word and the one language it marks."""
    table: dict[str, list[str]] = load_data("function_words.yaml")
    owner: dict[str, str] = {}
    for lang, words in table.items():
        for w in words:
            owner[w] = lang if w not in owner else ""  # shared words mark nothing
    return {w: lang for w, lang in owner.items() if lang}


def _by_function_words(sample: str) -> Detection | None:
    """A clear majority of one language's function words, or None to ask langdetect."""
    owner = _function_words()
    counts: dict[str, int] = {}
    for w in _WORD.findall(sample.lower()):
        lang = owner.get(w)
        if lang:
            counts[lang] = counts.get(lang, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    best, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if n >= 6 and n >= 4 * second:
        return Detection(best, n / (n + second + 1), "function-words")
    return None


# Languages of the news canonym's users read; lingua decides among these only,
# which makes it both faster and surer than over all 75 it knows.
NEWS_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "tr", "ru", "ar", "fa", "ur", "he")


@lru_cache(maxsize=1)
def _lingua() -> Any:
    """lingua-language-detector when installed (more accurate on headlines), else None."""
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ImportError:
        return None
    codes = [getattr(IsoCode639_1, c.upper()) for c in NEWS_LANGUAGES]
    # Low accuracy mode loads trigram models only: 0.06 s and 30 MiB at first use
    # instead of 0.9 s and 200 MiB, which a one-article command run would spend on
    # nothing else; after the script and function-word checks it is as right on
    # the benchmark paragraphs (bench/quality.py).
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


@lru_cache(maxsize=1)
def _factory_seeded() -> bool:
    from langdetect import DetectorFactory

    DetectorFactory.seed = 0  # langdetect samples at random unless seeded
    return True


def detect_language(text: str, *, default: str = "und") -> Detection:
    """Detect the language of ``text``; too little text gives ``default``."""
    # The stages of normalizing ask for one document's language several times.
    return _detect_sample(text[:_SAMPLE], default)


@lru_cache(maxsize=256)
def _detect_sample(sample: str, default: str) -> Detection:
    letters = _LETTER.findall(sample)
    if len(letters) < _MIN_LETTERS or len(sample.split()) < _MIN_WORDS:
        return Detection(default, 0.0, "default")
    counts = script_counts(sample)
    script, n = max(counts.items(), key=lambda kv: kv[1])
    if n > len(letters) / 2:
        if script == "hebrew":
            return Detection("he", 0.99, "script")
        if script == "arabic":
            lang = arabic_script_language(sample)
            return Detection(lang, 0.9 if lang == "ur" else 0.95, "script")
    upper = sum(map(str.isupper, letters))
    if upper > len(letters) - upper:
        # A headline or a line in capitals: detectors model running text in lower case
        # ("HEZBOLLAH CHIEF VOWS" read as written looks French to them).
        sample = sample.lower()
    fast = _by_function_words(sample)
    if fast is not None:
        return fast
    lingua = _lingua()
    if lingua is not None:
        values = lingua.compute_language_confidence_values(sample)
        if values and values[0].value > 0:
            top = values[0]
            # Rounded: lingua's sums differ in the last bits from run to run.
            code = top.language.iso_code_639_1.name.lower()
            return Detection(code, round(float(top.value), 4), "lingua")
        return Detection(default, 0.0, "default")
    _factory_seeded()
    from langdetect import detect_langs
    from langdetect.lang_detect_exception import (
        LangDetectException,
    )

    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return Detection(default, 0.0, "default")
    return Detection(str(best.lang), round(float(best.prob), 4), "langdetect")
