"""Arabic-script letters in Latin: the letter map of ``data/letters.yaml``, read once.

Reach for this module to romanize an Arabic, Persian, Urdu or Kurdish word the way
name keys compare it (``romanize_arabic``), or for the table that spells Latin
letters with diacritics (š, ḫ) as English writes them (``latin_table``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

from canonym.data import load_data

__all__ = ["VOCALIZED_ARTICLE", "Letters", "letters", "latin_table", "romanize_arabic"]

VOCALIZED_ARTICLE = re.compile("[\u0627\u0671][\u064b-\u065f\u0670]*\u0644[\u064b-\u065f]*")


class Letters:
    """The tables of ``data/letters.yaml``: letters, marks, the article and exceptions."""

    def __init__(self) -> None:
        data = load_data("letters.yaml")
        self.consonants: dict[str, str] = data["consonants"]
        self.vowels: dict[str, str] = data["vowels"]
        self.long_vowels: dict[str, list[str]] = data["long_vowels"]
        self.marks: dict[str, str] = data["marks"]
        self.silent = frozenset(data["silent"])
        self.article: str = data["article"]
        self.words: dict[str, str] = data["words"]
        latin: dict[str, str] = data["latin"]
        both = {**latin, **{k.upper(): v.capitalize() for k, v in latin.items()}}
        self.latin = str.maketrans(both)


@lru_cache(maxsize=1)
def letters() -> Letters:
    return Letters()


def latin_table() -> dict[int, str]:
    """Latin letters that write one sound English writes with two, in both cases."""
    return letters().latin


# Pairs of letters that the Latin key rules read as one sound (dz as j, sh, kh, th):
# written by two Arabic letters, they are two sounds.
_DIGRAPHS = frozenset({"dz", "dj", "zh", "sh", "kh", "th", "dh", "ph", "gh"})


def _joined(before: str, after: str) -> bool:
    return (before[-1:] + after[:1]) in _DIGRAPHS


def romanize_arabic(word: str) -> str:
    """Romanize one Arabic-script word; the attached article becomes "al-".

    Arabic writes long vowels and leaves short ones out, so "السوداني" gives
    "al-swdani": the skeleton of the Latin spellings, which is what keys compare.
    """
    L = letters()
    word = unicodedata.normalize("NFC", word)
    if word in L.words:
        return L.words[word]
    prefix = ""
    # The article, and the conjunction wa- glued before it ("والحشد").
    if word.startswith("و" + L.article) and len(word) > 4:
        word = word[1:]
    if word.startswith(L.article) and len(word) > 3:
        prefix, word = "al-", word[2:]
    elif (m := VOCALIZED_ARTICLE.match(word)) and len(word) - m.end() > 1:
        # Fully vowelled text marks the article too: اَلْمَنْقَف is al-Manqaf.
        prefix, word = "al-", word[m.end() :]
    out: list[str] = []
    prev_vowel = True  # the start of a word reads a long-vowel letter as a glide
    last = len(word) - 1
    for n, ch in enumerate(word):
        if n == 0 and ch == "ئ" and n < last:
            # Kurdish and Uyghur write a word-initial vowel on the seat ئ (ئارام,
            # ئەمین): the letter after it is that vowel, not a glide.
            prev_vowel = False
            continue
        if ch == "ى" and 0 < n < last:
            # Alif maqsura ends Arabic words; inside one (Uyghur, Kazakh) it is i.
            out.append("i")
            prev_vowel = True
            continue
        if n == 0 and ch == "ع":
            # A word-initial ayn is heard as a vowel in Latin spellings: Ali, Abbas.
            out.append("a")
            prev_vowel = True
        elif ch in "هہ" and not prev_vowel and (n == last or word[n + 1] == "\u200c"):
            # A final heh after a consonant is a vowel ending: خامنه -> khamene.
            out.append("e")
            prev_vowel = True
        elif ch in L.consonants:
            if out and not prev_vowel and _joined(out[-1], L.consonants[ch]):
                # Two letters Latin would read as one sound (د ز is not dz, س ه not
                # sh): the short vowel left unwritten between them keeps them apart.
                out.append("a")
            out.append(L.consonants[ch])
            prev_vowel = False
        elif ch in L.long_vowels:
            vowel, glide = L.long_vowels[ch]
            if out and out[-1] == vowel and n > 0 and word[n - 1] in L.marks:
                continue  # a vowel mark before its own long vowel: one long vowel
            if n == 0 and glide == "y" and n < last and word[1] in L.consonants:
                # Arabic words open on a consonant: a y before another consonant
                # carries an unwritten vowel (يثرب is Yathrib), and is not the vowel i
                # that a y before a consonant is in Latin spellings.
                out.append("ya")
                prev_vowel = True
                continue
            out.append(glide if prev_vowel else vowel)
            prev_vowel = not prev_vowel
        elif ch in L.vowels:
            out.append(L.vowels[ch])
            prev_vowel = True
        elif ch in L.marks:
            out.append(L.marks[ch])
            prev_vowel = prev_vowel or bool(L.marks[ch])
        elif ch in L.silent:
            continue
        else:
            out.append(unidecode(ch))
    return prefix + "".join(out)
