"""Name keys: the forms under which transliteration variants of a name collide.

Reach for this module when two spellings must be compared: ``name_key`` maps
"Mohamed Chia al-Soudani", "Mohammed Shia al-Sudani" and محمد شياع السوداني to
the same key; ``skeleton`` drops the vowels, which Arabic script does not write
and Latin spellings disagree on, and is what candidate blocking works with.

It is the one piece builder: gazetteer forms are keyed by ``pieces`` over all
their words, running text word by word as the scanner reaches it; both drop an
article through ``unit_pieces``, so a form and the same words in a text agree.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from canonym.names.particles import particles
from canonym.names.romanize import latin_table, romanize_arabic
from canonym.text.normalize import fold_letters
from canonym.text.scripts import is_arabic_script
from canonym.text.tokenize import Token, is_dotted, tokenize

__all__ = [
    "KEY_FULL",
    "KEY_PREFIX",
    "ACRONYM",
    "HYPHENS",
    "Piece",
    "pieces",
    "unit_pieces",
    "article_last",
    "name_key",
    "name_skeleton",
    "skeleton_tokens",
    "fold",
    "token_key",
    "skeleton",
    "word_units",
    "is_article",
    "articles",
]

# Flags of a key in the index's walk table: a whole form ends here, a longer one goes on.
KEY_FULL, KEY_PREFIX = 1, 2

_VOWELS = frozenset("aiu")
# The gaps that join an article to its word ("al-Sudani", with a non-breaking hyphen too).
HYPHENS = ("-", "\u2011")
_SKELETON_MERGE = str.maketrans({"s": "z", "p": "b", "K": "k"})
ACRONYM = "#"  # marks a key piece that is an acronym, kept letter for letter
Units = tuple[tuple[str, str], ...]  # a word's folded units and their keys


class Piece(NamedTuple):
    """One unit of a key, and the token it came from."""

    key: str
    token: int


def fold(word: str) -> str:
    """Lower-case ASCII letters and digits of a word in any script."""
    if is_arabic_script(word):
        word = romanize_arabic(word)
    return fold_letters(word, latin_table())


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
        # -iya, -iyah, -iyeh, -iye and -ia are one ending (Hamidiyah, Hamidiyeh,
        # Hamidia), as are -iyy- and -i- inside a word.
        (r"yy", "y"),
        (r"iyih?$", "ia"),
        (r"iy(?=[aiu])", "i"),
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
    p = particles()
    always, particle_map = p.always, p.particle_map
    if is_arabic_script(word):
        word = romanize_arabic(word)
    if is_dotted(word):
        # "U.S." is the acronym US, spelled letter for letter.
        return (ACRONYM + word.replace(".", "").lower(),)
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
        for pre in p.attached_prefixes:
            if f.startswith(pre) and len(f) - len(pre) >= 3:
                out.extend([particle_map[pre], f[len(pre) :]])
                break
        else:
            out.extend(_glued_article(f, p.glued_articles, p.glued_min_rest))
    return tuple(out)


def _glued_article(f: str, glued: tuple[str, ...], min_rest: int) -> tuple[str, ...]:
    """A folded word with an article glued to it ("errachidia") as article and word.

    Not before an e: French and English words open so (Essence, Ennemi).
    """
    if len(f) - 2 >= min_rest and f[3] in "aiou" and f[:3] in glued:
        return (f[:2], f[2:])  # the article is dropped before its consonant later
    return (f,)


def is_article(folded: str, next_key: str | None, *, strict: bool, joined: bool) -> bool:
    """Whether a folded word is the Arabic article before ``next_key``.

    In running text (``strict``) an assimilated form counts only when hyphenated
    to its word, so that English "as" or French "en" are never dropped.
    """
    if next_key is None:
        return False
    p = particles()
    if folded in p.always:
        return True
    if folded in p.assimilated and (joined or not strict):
        # The consonant after the vowel; Russian spellings write that vowel eh (Ehr-).
        consonant = token_key(folded)[1:].removeprefix("h")
        return next_key.startswith(consonant)
    return False


def articles() -> frozenset[str]:
    """Every folded form of the Arabic article, plain and assimilated."""
    return particles().articles


@lru_cache(maxsize=200_000)
def word_units(word: str) -> Units:
    """A word's folded units with their keys, before articles are dropped."""
    return tuple((w, token_key(w)) for w in _word_pieces(word))


def article_last(units: Units) -> bool:
    """Whether a word ends in a unit that may be an article: only then does the
    word after it (``unit_pieces``' ``next_key`` and ``hyphen_after``) matter."""
    return bool(units) and units[-1][0] in particles().articles


def unit_pieces(
    units: Units, next_key: str | None, hyphen_after: bool, *, strict: bool
) -> tuple[str, ...]:
    """The key pieces one word contributes: its units' keys, articles dropped.

    An article unit is dropped before the unit that follows it: inside the word
    ("al-Sudani") always joined to it; the word's last unit before ``next_key``,
    the first unit key of the next word with any, joined when ``hyphen_after``.
    """
    arts = particles().articles
    out: list[str] = []
    last = len(units) - 1
    for j, (unit, key) in enumerate(units):
        if unit in arts:
            if j < last:
                drop = is_article(unit, units[j + 1][1], strict=strict, joined=True)
            else:
                drop = is_article(unit, next_key, strict=strict, joined=hyphen_after)
            if drop:
                continue
        out.append(key)
    return tuple(out)


def pieces(tokens: list[Token], text: str, *, strict: bool = False) -> list[Piece]:
    """Key pieces of a token sequence, articles dropped, particles normalized.

    ``strict`` keys as running text is keyed (see ``is_article``); gazetteer forms
    are keyed leniently, since in a name a spaced "as" before an s is the article.
    """
    units = [word_units(t.text) for t in tokens]
    n = len(tokens)
    out: list[Piece] = []
    new = tuple.__new__  # skips the named tuple's Python-level constructor
    for i, us in enumerate(units):
        if not us:
            continue
        next_key, hyphen = None, False
        if article_last(us):
            later = next((u for u in units[i + 1 :] if u), None)
            next_key = later[0][1] if later else None
            hyphen = i + 1 < n and text[tokens[i].end : tokens[i + 1].start] in HYPHENS
        for key in unit_pieces(us, next_key, hyphen, strict=strict):
            out.append(new(Piece, (key, i)))
    return out


@lru_cache(maxsize=100_000)
def name_key(name: str) -> str:
    """The key of a whole name: its token keys joined by spaces."""
    return " ".join(p.key for p in pieces(tokenize(name), name))


def skeleton_tokens(key: str) -> list[str]:
    """The skeletons of a key's tokens, those left empty (a vowel alone) dropped."""
    return [s for s in (skeleton(k) for k in key.split()) if s]


def name_skeleton(name: str) -> str:
    return " ".join(skeleton_tokens(name_key(name)))
