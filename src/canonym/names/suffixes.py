"""Endings of names in running text: the German genitive ``Israels``, inflection.

Reach for this module to cut such an ending off a word, so that the name alone is
the word a match spans: ``peel_suffixes`` does it for a scanned text, driven by
``data/suffixes.yaml`` and by the first key pieces of gazetteer forms. Names whose
adjectives inflect inside them ("im Roten Meer") are indexed in each inflection
(``inflected_variants``), and ``is_inflection`` tells a rewriter that a name so
written is its form in that language's grammar.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping, Sequence
from functools import lru_cache
from itertools import compress, repeat

from canonym.data import load_data
from canonym.names.clitics import lead_key
from canonym.names.keys import KEY_FULL

__all__ = ["peel_suffixes", "inflected_variants", "is_inflection"]


@lru_cache(maxsize=1)
def _endings() -> tuple[tuple[str, ...], int]:
    gen = load_data("suffixes.yaml")["genitive"]
    return tuple(sorted(gen["endings"], key=len, reverse=True)), int(gen["min_rest"])


_BEFORE = 3  # words before an inflected last word that may open its name
_JOINS = (" ", "-", "\u2010", "\u2011")


def _capitalized(word: str) -> bool:
    """Whether a word may carry an ending after a name: capitalized, not all capitals
    ("USA"). Most words fail it, so it is tested before anything else."""
    return word[0].isupper() and not word.isupper()


def _cut(word: str, before: Sequence[str], opens: Container[str]) -> int:
    """How many trailing characters of ``word`` are an ending after a name (0: none).

    The stem must be a whole one-word form ("Israel" in "Israels"), or end a form the
    words ``before`` it open (nearest first: "Obersten Nationalen Sicherheitsrates");
    and the word must not go on a form the word before it opens ("States" in
    "United States").
    """
    if not _capitalized(word):
        return 0
    endings, min_rest = _endings()
    key = lead_key(word)
    if key in opens:
        return 0  # a word that is itself a form ("Paris")
    heads: list[str] = []  # the keys the words before open, longest last
    for b in before:
        k = lead_key(b)
        if not k:
            break
        heads.append(f"{k} {heads[-1]}" if heads else k)
    if heads and f"{heads[0]} {key}" in opens:
        return 0
    steps = opens if isinstance(opens, Mapping) else None
    for end in endings:
        n = len(end)
        stem = word[:-n]
        if not (word.endswith(end) and len(stem) >= min_rest):
            continue
        stem_key = lead_key(stem)
        # The stem is a one-word form ("Israels"), or ends a two-word form the word
        # before it opens ("Saudi-Arabiens", "Golf-Kooperationsrates").
        for k in (stem_key, *(f"{h} {stem_key}" for h in heads)):
            if steps.get(k, 0) & KEY_FULL if steps is not None else k in opens:
                return n
    return 0


def _letter_before_ending(word: str, endings: tuple[str, ...]) -> bool:
    """Whether an ending of ``word`` comes after a word character (not after an
    apostrophe or a mark): only there is it an ending glued to a name."""
    n = len(word)
    return any(
        word.endswith(e) and n > len(e) and _WORD_CHAR.match(word, n - len(e) - 1) is not None
        for e in endings
    )


_WORD_CHAR = re.compile(r"\w")


def peel_suffixes(
    text: str,
    words: list[str],
    starts: list[int],
    ends: list[int],
    gaps: list[str],
    opens: Container[str],
) -> None:
    """Move endings glued after names from the words into the gaps after them."""
    endings = _endings()[0]
    # Words that end so are picked out in C; of them only a capitalized one, with a
    # word character before its ending and none after the word in the text (where a
    # masked address may go on), may be a name with an ending glued on.
    size = len(text)
    for i in compress(range(len(words)), map(str.endswith, words, repeat(endings))):
        word = words[i]
        if not _capitalized(word) or not _letter_before_ending(word, endings):
            continue
        if ends[i] < size and _WORD_CHAR.match(text, ends[i]) is not None:
            continue
        before: list[str] = []
        j = i - 1
        while j >= 0 and len(before) < _BEFORE and gaps[j + 1] in _JOINS:
            before.append(words[j])
            j -= 1
        n = _cut(word, before, opens)
        if n:
            words[i] = word[:-n]
            ends[i] -= n
            gaps[i + 1] = word[-n:] + gaps[i + 1]  # a split leaves a gap after each word


@lru_cache(maxsize=1)
def _inflection() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], int]:
    data = load_data("suffixes.yaml")["inflection"]

    def longest_first(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
        return {lang: tuple(sorted(e, key=len, reverse=True)) for lang, e in table.items()}

    return longest_first(data["adjectives"]), longest_first(data["words"]), int(data["min_stem"])


_WORD_SPLIT = re.compile(r"([\s\-\u2011]+)")
_VARIANTS_LIMIT = 16  # a form with many adjectives is listed in its commonest few


def inflected_variants(form: str, lang: str) -> list[str]:
    """``form`` with the adjectives before its last word in every other ending.

    "Rotes Meer" gives "Rote Meer", "Roten Meer", "Roter Meer", "Rotem Meer"; a
    one-word form, or a language without adjective endings, gives nothing.
    """
    adjectives, _, min_stem = _inflection()
    endings = adjectives.get(lang)
    if not endings:
        return []
    parts = _WORD_SPLIT.split(form)
    words = parts[0::2]
    if len(words) < 2:
        return []
    out = [""]
    for w, gap in zip(words, [*parts[1::2], ""], strict=True):
        options = [w]
        if w is not words[-1] and w[:1].isupper():
            stem = next((w[: -len(e)] for e in endings if w.endswith(e)), None)
            if stem is not None and len(stem) >= min_stem:
                options = [stem + e for e in endings]
        out = [o + x + gap for o in out for x in options][:_VARIANTS_LIMIT]
    return [v for v in out if v != form]


def _stems(word: str, endings: tuple[str, ...], min_stem: int) -> set[str]:
    low = word.lower()
    return {low} | {
        low[: -len(e)] for e in endings if low.endswith(e) and len(low) - len(e) >= min_stem
    }


def is_inflection(surface: str, form: str, lang: str) -> bool:
    """Whether ``surface`` is ``form`` inflected in ``lang``: word for word the same
    stems ("Vereinigten Staaten" and "Vereinigte Staaten", "Huthis" and "Huthi")."""
    _, words, min_stem = _inflection()
    endings = words.get(lang)
    if not endings:
        return False
    a, b = _WORD_SPLIT.split(surface)[0::2], _WORD_SPLIT.split(form)[0::2]
    if len(a) != len(b):
        return False
    return all(
        _stems(x, endings, min_stem) & _stems(y, endings, min_stem)
        for x, y in zip(a, b, strict=True)
    )
