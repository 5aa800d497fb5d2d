"""Clitics glued before names in running text: ``l'Iran``, ``d'Erbil``, ``لحزب``.

Reach for this module to split such a word at its clitic, so that the name alone
is the word a match spans: ``peel_clitics`` does it for a scanned text, driven
by ``data/clitics.yaml`` and by the first key pieces of gazetteer forms.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Container
from functools import lru_cache

from canonym.data import load_data
from canonym.names.keys import articles, word_units

__all__ = [
    "peel_clitics",
    "never_alone",
    "lead_key",
    "proclitic_splits",
    "has_article",
    "definite_reading",
]


@lru_cache(maxsize=1)
def _clitics() -> tuple[
    dict[str, tuple[str, ...]], int, dict[str, tuple[str, ...]], int, frozenset[str]
]:
    data = load_data("clitics.yaml")
    el, ar = data["elision"], data["arabic"]
    # Elided prefixes by the apostrophe's position: one dict lookup finds them.
    elided: dict[str, list[str]] = {}
    for pre in el["prefixes"]:
        for apo in el["apostrophes"]:
            elided.setdefault(pre[0], []).append(pre + apo)
    proclitics: dict[str, list[str]] = {}
    for pre in ar["prefixes"]:
        proclitics.setdefault(pre[0], []).append(pre)
    # Shortest first: the fewest letters peeled that leave a name are the clitic.
    by_len = {k: tuple(sorted(v, key=len)) for k, v in elided.items()}
    ar_len = {k: tuple(sorted(v, key=len)) for k, v in proclitics.items()}
    return by_len, int(el["min_rest"]), ar_len, int(ar["min_rest"]), frozenset(data["never_alone"])


@lru_cache(maxsize=1)
def _may_peel() -> re.Pattern[str]:
    """Where a clitic may be glued on: an apostrophe (elision), or a proclitic letter at
    a word's start. One search of the text, in C: each is a single character test, so
    a text with neither costs almost nothing."""
    data = load_data("clitics.yaml")
    apostrophes = re.escape(_apostrophes())
    letters = re.escape("".join(sorted({p[0] for p in data["arabic"]["prefixes"]})))
    # One character class (an alternation or a look-behind would test every position
    # the slow way); whether a proclitic letter starts its word is checked on the hit.
    return re.compile(f"[{apostrophes}{letters}]")


@lru_cache(maxsize=1)
def _apostrophes() -> str:
    return "".join(load_data("clitics.yaml")["elision"]["apostrophes"])


def never_alone() -> frozenset[str]:
    """Words that end names but name no one on their own (الله)."""
    return _clitics()[4]


def lead_key(word: str) -> str:
    """The first key piece of a word, a leading article dropped as keys drop it."""
    units = word_units(word)
    if not units:
        return ""
    if len(units) > 1 and units[0][0] in articles():
        return units[1][1]
    return units[0][1]


_ARTICLE = "\u0627\u0644"  # ال
_LIL = "\u0644\u0644"  # لل: li- before the article, its alif dropped


def _peel(word: str, opens: Container[str]) -> int:
    """How many leading characters of ``word`` are a clitic before a name (0: none)."""
    elided, el_min, proclitics, ar_min, _ = _clitics()
    low = word[:8].lower()
    for pre in elided.get(low[0], ()):
        n = len(pre)
        if not low.startswith(pre) or len(word) - n < el_min:
            continue
        if word[n].islower():
            # "L'attaque" opening a sentence is an article and a common noun, not
            # Latakia (Lattaquié): a name after elision keeps its own capital. In
            # lower case the word stays whole, as forms write it ("droits de l'homme").
            return n if word[0].isupper() else 0
        if word[n].isupper() and lead_key(word) not in opens and lead_key(word[n:]) in opens:
            return n
        return 0
    splits = proclitic_splits(word, ar_min)
    for n in splits:
        # A proclitic before the article (والعراق, بالعراق): the name keeps its article,
        # and the key, which reads وال as an article, would hide the clitic.
        if (
            word.startswith(_ARTICLE, n)
            and len(word) - n >= ar_min + 2
            and lead_key(word[n:]) in opens
        ):
            return n
    if lead_key(word) in opens:
        return 0  # بغداد, لبنان: a name that begins with a clitic's letter
    for n in splits:
        if lead_key(word[n:]) in opens:
            return n
    return 0


def proclitic_splits(word: str, min_rest: int) -> tuple[int, ...]:
    """The lengths of the Arabic proclitics ``word`` may begin with, shortest first,
    each leaving at least ``min_rest`` letters (والبرلمان: 1 for و, 2 for وا is none).

    Only letters: whether the rest is a name or a word is the caller's question.
    """
    cands = _clitics()[2].get(word[:1])
    if cands is None:
        return ()
    return tuple(len(p) for p in cands if word.startswith(p) and len(word) - len(p) >= min_rest)


def has_article(word: str) -> bool:
    """Whether an Arabic word carries the article, behind proclitics too (والحمد, للحوثيين)."""
    return definite_reading(word) is not None


def definite_reading(word: str) -> tuple[int, str] | None:
    """An Arabic word with the article, as the proclitic before it leaves it: how many
    letters the proclitic takes, and the word with the article (والبرلمان is 1 and
    البرلمان; للبرلمان, li- before the article whose alif is dropped, 2 and البرلمان).
    ``None`` for a word without the article."""
    if word.startswith(_ARTICLE) and len(word) > 2:
        return 0, word
    for n in proclitic_splits(word, 3):
        if word[:n].endswith(_LIL):
            return n, _ARTICLE + word[n:]
        if word.startswith(_ARTICLE, n):
            return n, word[n:]
    return None


def peel_clitics(
    text: str, words: list[str], starts: list[int], gaps: list[str], opens: Container[str]
) -> None:
    """Move clitics glued before names from the words into the gaps before them.

    The name alone is then the word, so a mention spans it and the clitic stays in
    the text as written: ``l'Iran`` rewrites ``Iran``, ``لحزب الله`` rewrites ``حزب الله``.
    """
    seen = -1
    for hit in _may_peel().finditer(text):
        i = bisect_right(starts, hit.start()) - 1  # the word the hit is in
        if i <= seen or i < 0 or hit.start() >= starts[i] + len(words[i]):
            continue  # a word already tried, or a hit in a gap
        if hit.start() > starts[i] and hit.group() not in _apostrophes():
            continue  # a proclitic's letter inside a word
        seen = i
        word = words[i]
        n = _peel(word, opens)
        if n:
            gaps[i] += word[:n]
            words[i] = word[n:]
            starts[i] += n
