"""Readings of a name in Arabic script: each letter's possible Latin key letters, weighted.

Reach for this module to compare an Arabic-script name with Latin forms without
choosing one romanization first. ``arabic_slots`` turns a name into a sequence
of slots, one per letter, each a few key-letter readings with a cost (from
``data/script_readings.yaml``); ``match.align`` finds the cheapest way to read
the slots as a form's key.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from unidecode import unidecode

from canonym.data import load_data
from canonym.names.keys import articles, fold, name_key, token_key, word_units
from canonym.names.particles import particles
from canonym.names.romanize import VOCALIZED_ARTICLE, letters, romanize_arabic
from canonym.text.normalize import fold_letters
from canonym.text.scripts import is_arabic_script
from canonym.text.tokenize import tokenize

__all__ = [
    "Slot",
    "Slots",
    "ReadingCosts",
    "arabic_slots",
    "borrowing_endings",
    "glide_as_vowel",
    "latin_slots",
    "latin_name_slots",
    "opens_with_article",
    "reading_costs",
    "turkish_reading",
    "with_other_letters",
    "without_final_t",
    "SPACE",
]

Slot = tuple[tuple[str, float], ...]  # the readings of one letter: (key letters, cost)


class Slots(tuple[Slot, ...]):
    """A name's slots, hashed once: alignments look them up for every candidate key,
    and hashing the nested readings costs more than a short walk."""

    _hash: int

    @property
    def floors(self) -> dict[str, Any]:
        """What alignments keep about these slots, by script (``match.align``)."""
        try:
            return self._floors
        except AttributeError:
            self._floors: dict[str, Any] = {}
            return self._floors

    def __hash__(self) -> int:
        try:
            return self._hash
        except AttributeError:
            self._hash = super().__hash__()
            return self._hash

    def __reduce__(self) -> tuple[type[Slots], tuple[tuple[Slot, ...]]]:
        # Not the hash: string hashes differ from one process to the next.
        return Slots, (tuple(self),)


# Between words: a space in the key, or none (a compound written in one word).
SPACE: Slot = ((" ", 0.0),)
GLIDES = frozenset("wy")


@dataclass(frozen=True, slots=True)
class ReadingCosts:
    """What an alignment pays for key letters no reading accounts for, and the like."""

    unmatched_vowel: float
    unmatched_glide: float
    unmatched_h: float
    unmatched_space: float
    unmatched_other: float
    dropped_vowel: float
    dropped_other: float
    substitute_vowel: float
    substitute_glide: float
    substitute_other: float
    unmatched_edge_vowel: float


class _Table:
    def __init__(self) -> None:
        data = load_data("script_readings.yaml")
        self.letters = {k: _slot(v) for k, v in data["letters"].items()}
        self.initial = {k: _slot(v) for k, v in data["initial"].items()}
        self.final = {k: _slot(v) for k, v in data["final"].items()}
        self.silent = frozenset(data["silent"])
        self.doubled = float(data["doubled"])
        self.fused_article = tuple(_slot(v) for v in data["fused_article"])
        self.latin = {k: _slot(v, keyed=True) for k, v in data["latin_letters"].items()}
        self.endings = [(str(e), float(c)) for e, c in data["latin_endings"]]
        self.e_as_a = float(data["latin_e_as_a"])
        self.borrowing = tuple(str(e) for e in data["borrowing_endings"])
        self.other_letters = str.maketrans(data["other_letters"])
        self.turkish = str.maketrans(data["turkish_letters"])
        self.turkish_cost = float(data["turkish_cost"])
        self.turkish_marks = frozenset(data["turkish_marks"])
        self.turkish_unmarked_cost = float(data["turkish_unmarked_cost"])
        d, s = data["dropped"], data["substitute"]
        self.costs = {}
        for script, u in (("arabic", data["unmatched"]), ("latin", data["latin_unmatched"])):
            self.costs[script] = ReadingCosts(
                u["vowel"], u["glide"], u["h"], u["space"], u["other"],
                d["vowel"], d["other"], s["vowel"], s["glide"], s["other"],
                u.get("edge_vowel", u["vowel"]),
            )  # fmt: skip


def _as_key(latin: str) -> str:
    # A lone glide stays a glide: the key rules would read y as a vowel.
    if latin in GLIDES:
        return latin
    return token_key(latin) if latin else ""


def _slot(options: list[list[object]], *, keyed: bool = False) -> Slot:
    best: dict[str, float] = {}
    for latin, cost in options:
        k = str(latin) if keyed else _as_key(str(latin))
        c = float(cost)  # type: ignore[arg-type]
        if k not in best or c < best[k]:
            best[k] = c
    return tuple(sorted(best.items(), key=lambda kv: kv[1]))


@lru_cache(maxsize=1)
def _table() -> _Table:
    return _Table()


def borrowing_endings() -> tuple[str, ...]:
    """Key endings a language adds whole to a name it borrows (Lithuanian -as)."""
    return _table().borrowing


def with_other_letters(name: str) -> str | None:
    """An Arabic-script name with each letter read two ways (ض as d or z) written
    the other way, to look up the candidates of that reading; None if it has none."""
    other = name.translate(_table().other_letters)
    return other if other != name else None


def glide_as_vowel(key: str) -> str | None:
    """The key of a name in Arabic script with the و or ي opening a word read as the
    vowel u or i (وجده is Oujda, يفرن Ifrane), or None when no word opens on one.

    The romanization reads them as the glides w and y, which the skeleton keeps, so
    the forms that write a vowel there are looked up under this key too.
    """
    words = key.split(" ")
    read = [_OPENING_VOWEL.get(w[0], w[0]) + w[1:] if len(w) > 2 else w for w in words]
    return " ".join(read) if read != words else None


_OPENING_VOWEL = {"w": "u", "y": "i"}


def without_final_t(key: str) -> str | None:
    """The key of a name in Arabic script with the t of a short word's -at ending
    left out (هرات, رباط), or None when no word has one.

    The skeleton drops that t from a Latin key of more than four letters (Herat,
    Rabat: the -at of a construct state), which the Arabic key, without its short
    vowels, seldom has: the forms are looked up under this key too.
    """
    words = key.split(" ")
    read = [w[:-1] if len(w) <= 4 and len(w) > 2 and w.endswith("at") else w for w in words]
    return " ".join(read) if read != words else None


@lru_cache(maxsize=50_000)
def turkish_reading(form: str) -> tuple[str, float] | None:
    """A Latin form read as Turkish spelling writes its sounds (ş sh, ç ch, c j),
    lower-cased, and what that reading costs; None when nothing changes."""
    low = form.lower()
    t = _table()
    read = low.translate(t.turkish)
    if read == low:
        return None
    # c alone is k or s in most spellings (Ceres): only letters that mark Turkish
    # spelling make the reading cheap.
    marked = bool(t.turkish_marks.intersection(low))
    return read, t.turkish_cost if marked else t.turkish_unmarked_cost


def reading_costs(script: str = "arabic") -> ReadingCosts:
    """The alignment costs for a name in ``script`` ("arabic" or "latin")."""
    return _table().costs[script]


@lru_cache(maxsize=50_000)
def latin_slots(key: str) -> tuple[Slot, ...]:
    """The slots of a Latin name's key: each key letter with the letters other
    romanizations write for it (``latin_letters`` of the table)."""
    t = _table()
    out: list[Slot] = []
    for i, word in enumerate(key.split(" ")):
        if i:
            out.append(SPACE)
        slots = [t.latin.get(ch, ((ch, 0.0),)) for ch in word]
        for ending, cost in t.endings:
            if len(word) > len(ending) + 2 and word.endswith(ending):
                share = cost / len(ending)
                for j in range(len(word) - len(ending), len(word)):
                    slots[j] = _droppable(slots[j], share)
                break
        out.extend(slots)
    return Slots(out)


# The letters keys read as i that Persian, Turkish and Azerbaijani spellings write
# where others write a (Yezd and Yazd, Zendzhan and Zanjan, Yəzd).
_E_AS_A = str.maketrans("eéèêëəEÉÈÊËƏ", "aaaaaaAAAAAA")


@lru_cache(maxsize=50_000)
def latin_name_slots(name: str) -> tuple[Slot, ...]:
    """``latin_slots`` of a Latin name's key, in which a key i written e may also be
    read as a, at the cost ``latin_e_as_a``: the key reads e and i alike, while an
    i written i read as a makes another word (Salimiya is not Salamiya)."""
    key = name_key(name)
    slots = latin_slots(key)
    other = name_key(name.translate(_E_AS_A))
    if other == key or len(other) != len(key):
        return slots  # no e, or one the key rules merge: the letters do not line up
    out = list(slots)
    for j, (a, b) in enumerate(zip(key, other, strict=True)):
        if a == b:
            continue
        if (a, b) != ("i", "a"):
            return slots
        out[j] = _with_reading(out[j], "a", _table().e_as_a)
    return tuple(out)


def _with_reading(slot: Slot, letter: str, cost: float) -> Slot:
    kept = [(k, c) for k, c in slot if k != letter]
    return tuple(sorted([*kept, (letter, cost)], key=lambda kv: kv[1]))


def _droppable(slot: Slot, cost: float) -> Slot:
    kept = [(k, c) for k, c in slot if k]
    return (*kept, ("", min(cost, *(c for k, c in slot if not k), cost)))


def _fixed(key: str) -> list[Slot]:
    return [((ch, 0.0),) for ch in key]


def _word_slots(word: str) -> list[Slot]:
    t, L = _table(), letters()
    word = unicodedata.normalize("NFC", word)
    if word in L.words:
        return _fixed(token_key(L.words[word]))
    # The article (and wa- before it), as romanize_arabic reads it: keys drop it.
    if word.startswith("و" + L.article) and len(word) > 4:
        word = word[1:]
    fused: list[Slot] = []
    if word.startswith(L.article) and len(word) > 3:
        word, fused = word[2:], list(t.fused_article)
    elif (m := VOCALIZED_ARTICLE.match(word)) and len(word) - m.end() > 1:
        word = word[m.end() :]  # the article of fully vowelled text: اَلْمَنْصُورَة
        fused = list(t.fused_article)
    p = particles()
    folded = fold_letters(romanize_arabic(word))
    if folded in p.particle_map:
        return _fixed(token_key(p.particle_map[folded]))
    chars = [c for c in word if c not in t.silent]
    # Keys drop the article, but French spellings fuse it to the word
    # (Laghouat, Laayoune): it may be read as its vowel and its l, or nothing.
    out: list[Slot] = fused
    last = len(chars) - 1
    # A letter written twice is two sounds (سنندج is Sanandaj): Arabic writes a
    # doubled consonant once, and the key collapses the Latin double.
    for n, ch in enumerate(chars):
        if n == 0 and ch in t.initial:
            out.append(t.initial[ch])
        elif n == last and n > 0 and ch in t.final:
            out.append(t.final[ch])
        elif n > 0 and ch == chars[n - 1] and ch in t.letters:
            # Kurdish and Urdu spellings write a doubled consonant twice where
            # Arabic writes it once (عەممان for عمان): the second may be that.
            out.append(_droppable(t.letters[ch], t.doubled))
        elif ch in t.letters:
            out.append(t.letters[ch])
        else:
            plain = token_key(fold_letters(unidecode(ch))) if ch.isalnum() else ""
            if plain:
                out.extend(_fixed(plain))
    return out


@lru_cache(maxsize=50_000)
def arabic_slots(name: str) -> tuple[Slot, ...]:
    """The slots of a name's words, a ``SPACE`` between words; Latin words keyed as written."""
    words: list[list[Slot]] = []
    for tok in tokenize(name):
        if is_arabic_script(tok.text):
            slots = _word_slots(tok.text)
        else:
            slots = _fixed(token_key(fold(tok.text)))
        if slots:
            words.append(slots)
    out: list[Slot] = []
    for i, w in enumerate(words):
        if i:
            out.append(SPACE)
        out.extend(w)
    return Slots(out)


# The letters every spelling of the article opens on (al, el, ar, ul, ال).
_ARTICLE_OPENS = frozenset("AaEeUuIiاٱ")


@lru_cache(maxsize=200_000)
def opens_with_article(name: str) -> bool:
    """Whether a name opens with the Arabic article, in either script (الرس, Ar Rass)."""
    if name[:1] not in _ARTICLE_OPENS:
        return False  # most forms: not worth tokenizing
    toks = tokenize(name)
    if not toks:
        return False
    units = word_units(toks[0].text)
    return bool(units) and units[0][0] in articles() and (len(units) > 1 or len(toks) > 1)
