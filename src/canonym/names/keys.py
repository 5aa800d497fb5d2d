"""Name keys: the forms under which transliteration variants of a name collide.

Reach for this module when two spellings must be compared: ``name_key`` maps
"Mohamed Chia al-Soudani", "Mohammed Shia al-Sudani" and محمد شياع السوداني to
the same key; ``skeleton`` drops the vowels, which Arabic script does not write
and Latin spellings disagree on, and is what candidate blocking works with.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from unidecode import unidecode

from canonym.data import load_data

__all__ = [
    "TOKEN_RE",
    "POSSESSIVE_RE",
    "Token",
    "Piece",
    "tokenize",
    "pieces",
    "name_key",
    "name_skeleton",
    "token_key",
    "skeleton",
    "romanize_arabic",
    "is_arabic_script",
    "script_of",
    "cap_like",
    "word_units",
    "is_article",
    "articles",
]

# A word: letters and digits, with the combining marks that Arabic and decomposed
# Latin text carry, and apostrophes inside a word ("Sana'a", "Asa'ib").
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d"
# One character class (an alternation is several times slower to scan); it admits
# the underscore, which news text does not put inside names.
_WORD = rf"[\w{_MARKS}]"
_APOS = "'\u2019\u02bc\u2018`\u02bf\u02be\u00b4"
_ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
# Possessive quantifiers: nothing after a word could make a shorter one match.
# Arabic script writes no apostrophes: one before an Arabic letter ends the word,
# so that "Department'ء" is the name and a stray letter, not one word of both.
TOKEN_RE = re.compile(rf"{_WORD}++(?:[{_APOS}](?![{_ARABIC_LETTERS}]){_WORD}++)*+")
# A possessive "'s" closing a word (the caller checks that a word comes before it:
# a lookbehind here would be tried at every position of the text).
POSSESSIVE_RE = re.compile(rf"[{_APOS}]s(?!{_WORD})")
_ARABIC_RE = re.compile(f"[{_ARABIC_LETTERS}]")
_HEBREW_RE = re.compile("[\u0590-\u05ff]")
_VOCALIZED_ARTICLE = re.compile("[\u0627\u0671][\u064b-\u065f\u0670]*\u0644[\u064b-\u065f]*")
_VOWELS = frozenset("aiu")
_HYPHENS = ("-", "\u2011")
_SKELETON_MERGE = str.maketrans({"s": "z", "p": "b", "K": "k"})
ACRONYM = "#"  # marks a key piece that is an acronym, kept letter for letter


class Token(NamedTuple):
    """A word of a text with its character span."""

    start: int
    end: int
    text: str


class Piece(NamedTuple):
    """One unit of a key, and the token it came from."""

    key: str
    token: int


def tokenize(text: str) -> list[Token]:
    """Split text into words, keeping spans; a possessive "'s" is not part of the word."""
    # tuple.__new__ skips the named tuple's Python-level constructor: this runs per word.
    new = tuple.__new__
    tokens = [new(Token, (m.start(), m.end(), m.group())) for m in TOKEN_RE.finditer(text)]
    for i, (start, end, word) in enumerate(tokens):
        # "Soudani's" names Soudani; "Ra's" (a cape) is too short to be a possessive.
        if word[-1] == "s" and len(word) > 4 and word[-2] in _APOS:
            tokens[i] = Token(start, end - 2, word[:-2])
    return tokens


def cap_like(word: str) -> bool:
    """Whether a word opens with a capital, or with a letter of a script without case."""
    c = word[0]
    return c.isupper() or (c >= "\u0370" and not c.islower())


def is_arabic_script(text: str) -> bool:
    return _ARABIC_RE.search(text) is not None


def script_of(text: str) -> str:
    """A coarse script label for a name: ``arabic``, ``hebrew`` or ``latin``."""
    if _ARABIC_RE.search(text):
        return "arabic"
    if _HEBREW_RE.search(text):
        return "hebrew"
    return "latin"


class _Letters:
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
def _letters() -> _Letters:
    return _Letters()


def romanize_arabic(word: str) -> str:
    """Romanize one Arabic-script word; the attached article becomes "al-".

    Arabic writes long vowels and leaves short ones out, so "السوداني" gives
    "al-swdani": the skeleton of the Latin spellings, which is what keys compare.
    """
    L = _letters()
    word = unicodedata.normalize("NFC", word)
    if word in L.words:
        return L.words[word]
    prefix = ""
    # The article, and the conjunction wa- glued before it ("والحشد").
    if word.startswith("و" + L.article) and len(word) > 4:
        word = word[1:]
    if word.startswith(L.article) and len(word) > 3:
        prefix, word = "al-", word[2:]
    elif (m := _VOCALIZED_ARTICLE.match(word)) and len(word) - m.end() > 1:
        # Fully vowelled text marks the article too: اَلْمَنْقَف is al-Manqaf.
        prefix, word = "al-", word[m.end() :]
    out: list[str] = []
    prev_vowel = True  # the start of a word reads a long-vowel letter as a glide
    last = len(word) - 1
    for n, ch in enumerate(word):
        if n == 0 and ch == "ع":
            # A word-initial ayn is heard as a vowel in Latin spellings: Ali, Abbas.
            out.append("a")
            prev_vowel = True
        elif ch in "هہ" and not prev_vowel and (n == last or word[n + 1] == "\u200c"):
            # A final heh after a consonant is a vowel ending: خامنه -> khamene.
            out.append("e")
            prev_vowel = True
        elif ch in L.consonants:
            out.append(L.consonants[ch])
            prev_vowel = False
        elif ch in L.long_vowels:
            vowel, glide = L.long_vowels[ch]
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


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], frozenset[str], dict[str, str], tuple[str, ...]]:
    data = load_data("particles.yaml")
    arts = data["articles"]
    always = frozenset(arts["always"])
    assimilated = frozenset(arts["assimilated"])
    particle_map = {v: k for k, vs in data["particles"].items() for v in vs}
    prefixes = tuple(sorted(data["attached_prefixes"], key=len, reverse=True))
    return always, assimilated, particle_map, prefixes


def fold(word: str) -> str:
    """Lower-case ASCII letters and digits of a word in any script."""
    if is_arabic_script(word):
        word = romanize_arabic(word)
    if not word.isascii():
        word = unidecode(unicodedata.normalize("NFC", word).translate(_letters().latin))
    return "".join(c for c in word.lower() if c.isalnum())


# Spelling conventions of French, German, Spanish and English press, rewritten to
# one: each rule maps a letter group to the class it shares with its variants.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"x", "ks"),
        (r"tsch", "x"),
        (r"dsch", "j"),
        (r"dzh?", "j"),  # Russian dzh, Polish dz and dż: Zendzhan, Zandżan / Zanjan
        (r"kh", "K"),  # its own class in keys; the skeleton lets it meet k
        (r"sch|sh|ch|cz", "x"),  # French ch, English sh, Polish cz
        (r"zh|dj", "j"),  # English j, French dj, German dsch
        (r"gh", "g"),
        (r"gu(?=[ei])", "g"),  # French and Spanish gu before e, i is a hard g: Naguib
        (r"ph", "f"),
        (r"th", "t"),
        (r"dh", "z"),  # Kadhimi / Kazimi
        (r"ck|q", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c", "k"),
        (r"v", "w"),
        (r"s(?=[bdglmnw])", "z"),  # a voiced s: German Hisbollah, English Hezbollah
        (r"(?:(?<=[aeiu])|^)ou(?=[aei])", "w"),  # French oui/oua: Zarqaoui, Ouardi
        (r"ou|oo|o", "u"),
        (r"ee|e", "i"),
        (r"(?<=[^aiu])a[wu](?=[^aiu]|$)", "u"),  # Arabic aw, often written o: Zawr, Zor
        (r"(?<=[^aiu])a(?:i|y(?![aiu]))", "i"),  # Arabic ay, often written e or ei: Dair, Deir
        (r"y(?![aiu])", "i"),  # y before a consonant or at the end is a vowel
        (r"(?<=[aiu])h$", ""),  # final h after a vowel: Fallujah / Falluja
        (r"(.)\1+", r"\1"),  # doubled letters
    )
)


@lru_cache(maxsize=200_000)
def token_key(folded: str) -> str:
    """The phonetic key of one folded word: "soudani" and "sudani" give "sudani"."""
    if folded.startswith(ACRONYM):
        return folded
    k = folded
    for pattern, repl in _RULES:
        k = pattern.sub(repl, k)
    return k


@lru_cache(maxsize=200_000)
def skeleton(key: str) -> str:
    """A token key without its vowels and inner glides: what Arabic script writes."""
    if not key or key.startswith(ACRONYM):
        return key
    # German and French write a voiced s where English writes z (Hisbollah,
    # Hezbollah): the skeleton, being the coarser key, lets them meet.
    # Arabic script has no p and writes kh as one letter close to k.
    key = key.translate(_SKELETON_MERGE)
    # A construct-state ta marbuta is written -at in Latin and not at all in
    # Arabic script (Harakat / حركة).
    if len(key) > 4 and key.endswith("at"):
        key = key[:-1]
    head, rest = key[0], key[1:]
    rest = "".join(c for c in rest if c not in "aiuwy")
    if head in _VOWELS:
        return rest
    return head + rest


@lru_cache(maxsize=200_000)
def _word_pieces(word: str) -> tuple[str, ...]:
    """Folded units of one word: particles mapped, glued particles split off."""
    always, assimilated, particle_map, prefixes = _tables()
    if is_arabic_script(word):
        word = romanize_arabic(word)
    out: list[str] = []
    for part in word.split("-"):
        if (
            2 <= len(part) <= 5
            and part.isupper()
            and part.isascii()
            and part.isalpha()
            and part.lower() not in always
        ):
            # An acronym is spelled, not pronounced: PKK and BBC must not meet. The
            # article in capitals ("AL MAYADEEN", "EL-BAGHDADI") is still the article.
            out.append(ACRONYM + part.lower())
            continue
        f = fold(part)
        if not f:
            continue
        if f in particle_map:
            out.append(particle_map[f])
            continue
        for pre in prefixes:
            if f.startswith(pre) and len(f) - len(pre) >= 3:
                out.extend([particle_map[pre], f[len(pre) :]])
                break
        else:
            out.append(f)
    return tuple(out)


def is_article(folded: str, next_key: str | None, *, strict: bool, joined: bool) -> bool:
    """Whether a folded word is the Arabic article before ``next_key``.

    In running text (``strict``) an assimilated form counts only when hyphenated
    to its word, so that English "as" or French "en" are never dropped.
    """
    always, assimilated, _, _ = _tables()
    if next_key is None:
        return False
    if folded in always:
        return True
    if folded in assimilated and (joined or not strict):
        consonant = token_key(folded)[1:]
        return next_key.startswith(consonant)
    return False


@lru_cache(maxsize=1)
def articles() -> frozenset[str]:
    """Every folded form of the Arabic article, plain and assimilated."""
    always, assimilated, _, _ = _tables()
    return always | assimilated


@lru_cache(maxsize=200_000)
def word_units(word: str) -> tuple[tuple[str, str], ...]:
    """A word's folded units with their keys, before articles are dropped."""
    return tuple((w, token_key(w)) for w in _word_pieces(word))


def pieces(tokens: list[Token], text: str, *, strict: bool = False) -> list[Piece]:
    """Key pieces of a token sequence, articles dropped, particles normalized."""
    always, assimilated, _, _ = _tables()
    articles = always | assimilated
    units: list[tuple[str, int, bool]] = []  # folded unit, token index, hyphen-joined to next
    last = len(tokens) - 1
    word_pieces = _word_pieces
    for i, tok in enumerate(tokens):
        words = word_pieces(tok.text)
        if len(words) == 1:
            w = words[0]
            # Whether a word is hyphen-joined matters only for an article.
            joined = w in articles and i < last and text[tok.end : tokens[i + 1].start] in _HYPHENS
            units.append((w, i, joined))
        else:
            joined = i < last and text[tok.end : tokens[i + 1].start] in _HYPHENS
            for j, w in enumerate(words):
                units.append((w, i, joined if j == len(words) - 1 else True))
    out: list[Piece] = []
    n_units = len(units)
    key_of = token_key
    new = tuple.__new__  # skips the named tuple's Python-level constructor
    for n, (w, i, joined) in enumerate(units):
        if w in articles and n + 1 < n_units:
            if is_article(w, key_of(units[n + 1][0]), strict=strict, joined=joined):
                continue
        out.append(new(Piece, (key_of(w), i)))
    return out


@lru_cache(maxsize=100_000)
def name_key(name: str) -> str:
    """The key of a whole name: its token keys joined by spaces."""
    return " ".join(p.key for p in pieces(tokenize(name), name))


def name_skeleton(name: str) -> str:
    return " ".join(s for s in (skeleton(k) for k in name_key(name).split()) if s)
