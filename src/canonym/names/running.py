"""Running text as words and key pieces, worked out only where a scanner asks.

Reach for this module to key a text rather than a name: ``scan_text`` splits it
into words with one call of the regular-expression engine, looks each distinct
word up once, and ``Scan.pieces_of`` gives a word's key pieces through the same
piece builder gazetteer forms are keyed with (``keys.unit_pieces``, strict).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Container
from itertools import accumulate, compress
from operator import itemgetter
from typing import Final

from canonym.names.clitics import lead_key, peel_clitics
from canonym.names.keys import (
    HYPHENS,
    article_last,
    articles,
    name_key,
    unit_pieces,
    word_units,
)
from canonym.names.suffixes import peel_suffixes
from canonym.text.protect import mask_protected
from canonym.text.tokenize import (
    POSSESSIVE_RE,
    TOKEN_RE,
    dotted_spans,
    is_dotted,
    possessive_stem,
)

__all__ = [
    "Scan",
    "scan_text",
    "WordInfo",
    "INNER_SEP",
    "CAP_LIKE",
    "UPPER",
    "LOWER",
    "CASELESS",
    "KEY0",
    "UNITS",
    "PIECES",
]

# What may stand between two words of one name: spaces, a hyphen, one line break,
# and the apostrophe of a plural possessive before a space ("Kurdistan Workers' Party").
INNER_SEP = re.compile(
    r"(?:['\u2019](?=[ \t\u00a0]))?"
    r"[ \t\u00a0]*(?:[-\u2010\u2011\u2013][ \t]*|\r?\n[ \t]*)?[ \t\u00a0]*"
)
_SPLIT = re.compile(f"({TOKEN_RE.pattern})")  # words at odd positions, gaps at even

# A word's facts that do not depend on the gazetteer, computed once per distinct word:
# capitalized or caseless (may open a match), capitalized (may open a name run),
# lower case (counts for the paragraph's script), caseless, first unit key, units,
# and its key pieces when no unit is an article (which the next word may drop).
WordInfo = tuple[bool, bool, bool, bool, str, tuple[tuple[str, str], ...], tuple[str, ...] | None]
_INFO: dict[str, WordInfo] = {}
_INFO_LIMIT = 200_000
CAP_LIKE: Final = 0
UPPER: Final = 1
LOWER: Final = 2
CASELESS: Final = 3
KEY0: Final = 4
UNITS: Final = 5
PIECES: Final = 6
_get_cap_like = itemgetter(CAP_LIKE)
_get_caseless = itemgetter(CASELESS)


def _word_info(word: str) -> WordInfo:
    c = word[0]
    upper, lower = c.isupper(), c.islower()
    caseless = c >= "\u0370" and not upper and not lower
    units = word_units(word)
    arts = articles()
    plain = None if any(u in arts for u, _ in units) else tuple(k for _, k in units)
    key0 = units[0][1] if units else ""
    return (upper or caseless, upper, lower, caseless, key0, units, plain)


class Scan:
    """A tokenized text; key pieces and joins are worked out only where asked for.

    Running text is mostly words that open no name, so nothing is computed per word
    beyond one dictionary lookup: the scanner visits only capitalized words and the
    few lower-case words the gazetteer opens a name with.
    """

    __slots__ = (
        "text",
        "words",
        "starts",
        "ends",
        "gaps",
        "infos",
        "marked",
        "_pieces",
        "_caps",
        "_caseless",
    )

    def __init__(self, text: str, opens: Container[str] | None = None) -> None:
        self.text = text
        # URLs, handles, markup and code are scanned blanked out (offsets kept): no
        # name is found inside them, nor across them.
        masked = mask_protected(text)
        # One C-level split gives words and the gaps between them; offsets follow
        # from the running sum of their lengths.
        parts = _SPLIT.split(masked)
        words = parts[1::2]
        offsets = list(accumulate(map(len, parts)))
        starts = offsets[0:-1:2]
        ends = offsets[1::2]
        gaps = parts[0::2]  # gaps[i] comes before word i
        # The possessive rule of ``tokenize``, looked for in one search of the text.
        for m in POSSESSIVE_RE.finditer(masked):
            i = bisect_left(ends, m.end())
            if i < len(ends) and ends[i] == m.end():
                stem = possessive_stem(words[i])
                if stem is not None:
                    ends[i] -= 2
                    words[i] = stem
                    gaps[i + 1] = m.group() + gaps[i + 1]
        _merge_dotted(masked, words, starts, ends, gaps)
        if len(_INFO) > _INFO_LIMIT:
            _INFO.clear()
        if opens is not None:
            peel_clitics(text, words, starts, gaps, opens)
            peel_suffixes(text, words, starts, ends, gaps, opens)
        infos = list(map(_INFO.get, words))
        if None in infos:
            for i, info in enumerate(infos):
                if info is None:
                    infos[i] = _INFO[words[i]] = _word_info(words[i])
        # Joining two caseless words leaves a caseless one: the answer holds after it.
        caseless = any(map(_get_caseless, infos)) if opens is not None else None  # type: ignore[arg-type]
        if caseless:
            _join_split_words(words, starts, ends, gaps, infos, opens)  # type: ignore[arg-type]
        if opens is not None and _CAPS_WORD.search(masked) is not None:
            _read_headline_words(words, infos, opens)  # type: ignore[arg-type]
        self.words: list[str] = words
        self.starts: list[int] = starts
        self.ends: list[int] = ends
        self.gaps: list[str] = gaps
        self.infos: list[WordInfo] = infos  # type: ignore[assignment]
        self.marked: set[int] = set()  # caseless words let into name runs
        self._pieces: dict[int, tuple[str, ...]] = {}
        self._caps: list[int] | None = None
        self._caseless: bool | None = caseless

    def __len__(self) -> int:
        return len(self.words)

    def joinable(self, i: int) -> bool:
        """Whether words ``i`` and ``i + 1`` may belong to one name."""
        if i + 1 >= len(self.words):
            return False
        sep = self.gaps[i + 1]
        return sep == " " or INNER_SEP.fullmatch(sep) is not None

    def joins_over_period(self, i: int) -> bool:
        """Whether word ``i + 1`` may continue a listed name over ". " after word ``i``.

        Only after an abbreviation ("U.S. Army", Spanish "EE. UU."), and only for
        the exact walk, which goes on only where a gazetteer form does.
        """
        if i + 1 >= len(self.words) or self.gaps[i + 1] != ". ":
            return False
        word = self.words[i]
        return is_dotted(word) or (len(word) <= 3 and word.isupper() and word.isalpha())

    def is_name_word(self, i: int) -> bool:
        """Whether word ``i`` may start or continue a name run."""
        return self.infos[i][UPPER] or i in self.marked

    def has_caseless(self) -> bool:
        """Whether a word is in a script without case (Arabic, Hebrew)."""
        if self._caseless is None:
            self._caseless = any(map(_get_caseless, self.infos))
        return self._caseless

    def cap_like_words(self) -> list[int]:
        """The words that open with a capital or a caseless letter, in order."""
        if self._caps is None:
            self._caps = list(compress(range(len(self.infos)), map(_get_cap_like, self.infos)))
        return self._caps

    def span_text(self, first: int, last: int) -> str:
        return self.text[self.starts[first] : self.ends[last]]

    def pieces_of(self, i: int) -> tuple[str, ...]:
        """The key pieces word ``i`` contributes: its units' keys, articles dropped."""
        info = self.infos[i]
        if info[PIECES] is not None:
            return info[PIECES]
        hit = self._pieces.get(i)
        if hit is not None:
            return hit
        units = info[UNITS]
        next_key, hyphen = None, False
        if article_last(units):
            next_key, hyphen = self._next_key(i), self._hyphen_after(i)
        found = self._pieces[i] = unit_pieces(units, next_key, hyphen, strict=True)
        return found

    def _next_key(self, i: int) -> str | None:
        for t in range(i + 1, len(self.words)):
            if self.infos[t][UNITS]:
                return self.infos[t][KEY0]
        return None

    def _hyphen_after(self, i: int) -> bool:
        return i + 1 < len(self.words) and self.gaps[i + 1] in HYPHENS


_CAPS_WORD = re.compile(r"[A-Z]{3}")  # a short word in capitals may be one


def _read_headline_words(words: list[str], infos: list[WordInfo], opens: Container[str]) -> None:
    """Read a short word in capitals as a word, not an acronym, inside a line of capitals.

    "NAIM" alone is read letter for letter, as acronyms are ("IS" is not "is"); in
    "HEZBOLLAH CHIEF NAIM KASSEM" it is the given name. Only where the acronym opens
    no name and the word does, and not for two letters ("TV", "US" stay acronyms).
    """
    n = len(words)
    # Only words in capitals may be read as acronyms (their key opens with "#"):
    # picked out in C first.
    for i in compress(range(n), map(str.isupper, words)):
        key0 = infos[i][KEY0]
        if not key0.startswith("#") or key0 in opens or len(words[i]) < 3:
            continue
        if not any(0 <= j < n and len(words[j]) > 1 and words[j].isupper() for j in (i - 1, i + 1)):
            continue
        alt = _word_info(words[i].capitalize())
        if alt[KEY0] in opens:
            infos[i] = alt


def _merge_dotted(
    text: str, words: list[str], starts: list[int], ends: list[int], gaps: list[str]
) -> None:
    """Make each dotted abbreviation one word ("U.S." rather than "U" and "S")."""
    for start, end in reversed(dotted_spans(text)):
        i = bisect_left(starts, start)
        if i >= len(starts) or starts[i] != start:
            continue
        j = i
        while j + 1 < len(words) and ends[j + 1] <= end:
            j += 1
        after = gaps[j + 1][end - ends[j] :]
        words[i : j + 1] = [text[start:end]]
        starts[i : j + 1] = [start]
        ends[i : j + 1] = [end]
        gaps[i + 1 : j + 2] = [after]


# Arabic letters that never join the next one: a space typed after one inside a word
# (قا آني for قاآني) hardly shows, and splits the word.
_NON_JOINING = frozenset("\u0627\u0623\u0625\u0622\u062f\u0630\u0631\u0632\u0648\u0624\u0621")
_FRAGMENT = 3  # letters at most in the part before such a space


def _join_split_words(
    words: list[str],
    starts: list[int],
    ends: list[int],
    gaps: list[str],
    infos: list[WordInfo],
    opens: Container[str],
) -> None:
    """Make one word of an Arabic word split by a space after a non-joining letter,
    where the parts together open a gazetteer form and apart do not. The word is read
    without the space; its offsets still cover what is written."""
    short = [
        i
        for i in compress(range(len(words) - 1), map(_get_caseless, infos))
        if len(words[i]) <= _FRAGMENT and words[i][-1] in _NON_JOINING and gaps[i + 1] == " "
    ]
    for i in reversed(short):
        w, nxt = words[i], words[i + 1]
        if not infos[i + 1][CASELESS] or lead_key(w + nxt) not in opens:
            continue
        if name_key(f"{w} {nxt}") in opens:
            continue  # أبو ظبي: two words a form writes apart
        words[i : i + 2] = [w + nxt]
        ends[i : i + 2] = [ends[i + 1]]
        infos[i : i + 2] = [_word_info(w + nxt)]
        del starts[i + 1], gaps[i + 1]


def scan_text(text: str, opens: Container[str] | None = None) -> Scan:
    """Tokenize ``text``; with ``opens`` (the first key pieces of gazetteer forms),
    words with a clitic glued before a name (``l'Iran``, ``لحزب``) are split at it."""
    return Scan(text, opens)
