"""Finding name spans in running text.

Reach for this module to list where names may stand in a scanned text (``Scan``,
from ``canonym.names.running``, re-exported here): ``find_spans`` walks the key
pieces from each capitalized word (and from the lower-case words that open a
gazetteer form), trie-like, one dictionary lookup per step as FlashText takes
one per character, keeping the longest gazetteer key; ``name_runs`` gives the
capitalized word runs left over, which the normalizer tries with fuzzy matching.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate, compress, pairwise
from operator import itemgetter

from canonym.gazetteer.index import Index
from canonym.names.clitics import never_alone
from canonym.names.keys import HYPHENS, KEY_FULL, KEY_PREFIX, name_key
from canonym.names.particles import particles
from canonym.names.running import (
    CAP_LIKE,
    CASELESS,
    INNER_SEP,
    KEY0,
    LOWER,
    PIECES,
    UPPER,
    Scan,
    scan_text,
)
from canonym.text.normalize import fold_text
from canonym.text.scripts import script_of

__all__ = [
    "Span",
    "Scan",
    "scan_text",
    "find_spans",
    "name_runs",
    "sentence_initial",
    "extend_over_article",
    "glued",
    "mark_name_words",
    "word_lists",
    "plain_lower",
    "never_alone",
]

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_OPENER = re.compile('[.!?:;\u061f\u06d4\u2022\n"\u201c\u00ab\u2018(]')
_get_key0 = itemgetter(KEY0)
_get_lower, _get_caseless = itemgetter(LOWER), itemgetter(CASELESS)
_get_upper = itemgetter(UPPER)
_APOSTROPHES = "'\u2019"


# A stretch of words that may be a name: first and last word (inclusive), and its
# joined key pieces. A plain tuple: one is built per name found.
Span = tuple[int, int, str]


@lru_cache(maxsize=50_000)
def plain_lower(word: str) -> str:
    """A word as the word lists hold it: lower case, and accents dropped from Latin
    letters ("Según" is "segun", "Président" "president"); other scripts as written."""
    low = word.lower()
    if low.isascii() or script_of(low) != "latin":
        return low
    return fold_text(low) or low


@lru_cache(maxsize=1)
def word_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Stopwords, titles, and the lower-case words that may stand inside a name."""
    p = particles()
    return p.stopwords, p.titles, p.inner


def mark_name_words(scan: Scan, covered: set[int]) -> None:
    """Let words of a caseless script (Arabic, Hebrew) start name runs in Latin paragraphs.

    A paragraph is Latin when its lower-case Latin words outnumber its caseless-script
    words, names found so far left out of the count: rewriting a name cannot change
    the verdict, so normalizing twice gives what normalizing once gave. (The rewriter
    later counts letters instead: ``canonym.text.scripts.latin_letter_share``.)
    """
    if not scan.has_caseless():
        return
    infos = scan.infos
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(scan.text)]
    # Paragraph k holds words bounds[k] to bounds[k + 1]; the words of each kind are
    # counted by running sums (in C), the covered ones taken out after.
    bounds = [0, *(bisect_right(scan.starts, b) for b in breaks), len(infos)]
    lower = [0, *accumulate(map(_get_lower, infos))]
    caseless = [0, *accumulate(map(_get_caseless, infos))]
    inside = sorted(covered)  # the covered words of each paragraph, found by bisection
    for a, b in pairwise(bounds):
        if caseless[b] == caseless[a]:
            continue  # no word to let in
        vote = lower[b] - lower[a] - (caseless[b] - caseless[a])
        for i in inside[bisect_left(inside, a) : bisect_left(inside, b)]:
            vote += infos[i][CASELESS] - infos[i][LOWER]
        if vote > 0:
            scan.marked.update(compress(range(a, b), map(_get_caseless, infos[a:b])))


def find_spans(scan: Scan, ix: Index) -> list[Span]:
    """Longest gazetteer-key matches, left to right, without overlaps.

    A match opens on a capitalized (or caseless-script) word, or on a lower-case word
    that opens some gazetteer form; from there it walks the key pieces trie-like,
    each step one set lookup, as FlashText walks characters.
    """
    infos = scan.infos
    n = len(infos)
    steps, lower_keys = ix.key_steps, ix.lower_keys
    opens = scan.cap_like_words()
    lows = list(compress(range(n), map(ix.lower_lead.__contains__, map(_get_key0, infos))))
    # A lower-case word hyphenated to a capitalized one may open a form that writes it
    # with a capital ("nord-Liban" for Nord-Liban): the capital after it makes it a name.
    gaps = scan.gaps
    hyphened = compress(opens, map(HYPHENS.__contains__, map(gaps.__getitem__, opens)))
    lows += [c - 1 for c in hyphened if c and infos[c - 1][LOWER] and infos[c - 1][KEY0] in steps]
    if lows:
        opens = sorted({*opens, *lows})
    pieces_of = scan.pieces_of
    gap_kinds = _GAP_KINDS
    over_period = scan.joins_over_period
    alone = never_alone()
    out: list[Span] = []
    free = 0  # the first word not inside a match
    for s in opens:
        if s < free:
            continue
        ps = infos[s][PIECES]
        if ps is None:
            ps = pieces_of(s)
        if not ps:
            continue
        cur = ps[0]
        step = steps.get(cur)
        if step is None:
            continue  # the common case: a word that opens no name
        best = None
        t, k = s, 0
        while True:
            if step & KEY_FULL:
                best = (t, cur, k + 1 == len(ps))
            if not step & KEY_PREFIX:
                break
            if k + 1 < len(ps):
                k += 1
            else:
                # The next word with a key piece, over joins only (an article has none).
                u = t + 1
                while u < n:
                    sep = gaps[u]
                    kind = _JOINS if sep == " " else gap_kinds.get(sep)
                    if kind is None:
                        kind = _gap_kind(sep)
                    if kind != _JOINS and not (kind == _PERIOD and over_period(u - 1)):
                        if kind != _GLUED:
                            u = n
                            break
                        # A form written with an elision or a possessive inside
                        # ("province d'Anbar", "Lebanon’s parliament"): the peeled
                        # clitic joins the next word again, as the form's key has it.
                        glued = _GLUED_GAP.fullmatch(sep)
                        ps = _glued_pieces(glued.group(1) if glued else "", scan.words[u])
                        break
                    ps = infos[u][PIECES]
                    if ps is None:
                        ps = pieces_of(u)
                    if ps:
                        break
                    u += 1
                if u >= n:
                    break
                t, k = u, 0
            cur = cur + " " + ps[k]
            step = steps.get(cur)
            if step is None:
                break
        if best is None:
            continue
        last, key, whole = best
        if (
            not infos[s][CAP_LIKE]
            and key not in lower_keys
            and (last == s or not any(infos[x][CAP_LIKE] for x in range(s + 1, last + 1)))
        ):
            # Lower-case words only: a name only if the gazetteer writes it so
            # ("peshmergas"); "said" is not a town named Said.
            continue
        if last == s and scan.words[s] in alone:
            continue
        if not whole:
            continue  # a glued particle ("Abdel" of "Abdelaziz") may not end a match
        # Only a word without key pieces (an article) may be taken in before the match.
        first = s if s == 0 or infos[s - 1][PIECES] else extend_over_article(scan, s)
        out.append((first, last, key))
        free = last + 1
    return out


def glued(text: str, start: int, end: int) -> tuple[str | None, str | None]:
    """The clitic glued before ``text[start:end]`` and the ending glued after it, if any.

    Names are matched without them ("l'Iran" spans "Iran", "Israels" "Israel"), so
    whatever letters touch a span's edges were peeled off it.
    """
    a = start
    while a > 0 and (text[a - 1].isalpha() or text[a - 1] in _APOSTROPHES):
        a -= 1
    b = end
    while b < len(text) and text[b].isalpha():
        b += 1
    return (text[a:start] or None), (text[end:b] or None)


# What a gap between two words lets a walk do: go on (a join), go on after an
# abbreviation only (". "), go on over a glued clitic, or stop. Worked out once per
# distinct gap: a text has few.
_JOINS, _PERIOD, _GLUED, _STOPS = range(4)
_GAP_KINDS: dict[str, int] = {}
_GAP_KINDS_LIMIT = 10_000


def _gap_kind(sep: str) -> int:
    if len(_GAP_KINDS) >= _GAP_KINDS_LIMIT:
        _GAP_KINDS.clear()
    if INNER_SEP.fullmatch(sep) is not None:
        kind = _JOINS
    elif sep == ". ":
        kind = _PERIOD  # as ``Scan.joins_over_period`` reads it
    elif _GLUED_GAP.fullmatch(sep) is not None:
        kind = _GLUED
    else:
        kind = _STOPS
    _GAP_KINDS[sep] = kind
    return kind


# A gap a peeled clitic leaves before a word (" d'", " l’") or a possessive after one
# ("’s "): group 1 holds the elided letters, empty for a possessive.
_GLUED_GAP = re.compile("(?: ([^\\W\\d_]{1,6})['\u2019]|['\u2019]s )")


@lru_cache(maxsize=10_000)
def _glued_pieces(clitic: str, word: str) -> tuple[str, ...]:
    key = name_key(clitic + word) if clitic else name_key(word)
    return tuple(key.split())


def extend_over_article(scan: Scan, first: int) -> int:
    """Extend a span back over dropped articles written before it ("al-Noujaba").

    A hyphenated article always belongs to the name; a spaced one only when it is
    "al": Spanish and French "el", "an", "es" are words of the sentence.
    """
    _, _, inner = word_lists()
    while first > 0:
        prev = first - 1
        word = scan.words[prev].lower()
        if word not in inner or scan.pieces_of(prev):
            break
        gap = scan.gaps[first]
        # Spaced, only before a capital: Spanish "al aeropuerto" is a + el.
        if not (gap in HYPHENS or (gap == " " and word == "al" and scan.infos[first][CAP_LIKE])):
            break
        first = prev
    return first


def sentence_initial(scan: Scan, t: int) -> bool:
    """Whether word ``t`` opens a sentence, a line or a quotation."""
    if t == 0:
        return True
    before = scan.gaps[t]
    return _OPENER.search(before) is not None


def name_runs(scan: Scan, covered: set[int]) -> list[tuple[int, int]]:
    """Runs of capitalized or Arabic-script words outside ``covered`` words.

    Lower-case articles and particles may stand inside a run (``Abou Bakr al-Baghdadi``);
    titles and sentence-opening function words are left out of it.
    """
    stop, titles, inner = word_lists()
    words = scan.words
    n = len(words)
    is_name_word = scan.is_name_word
    # Capitalized words, and the caseless ones let in: all among the cap-like words,
    # which are all capitalized in a text without caseless ones.
    caps = scan.cap_like_words()
    if scan.has_caseless():
        # The capitalized ones and those let in (all caseless, so among the cap-like),
        # picked out in C.
        infos = scan.infos
        heads = {*compress(caps, map(_get_upper, map(infos.__getitem__, caps))), *scan.marked}
    else:
        heads = set(caps)
    joinable = scan.joinable
    alone = never_alone()
    runs: list[tuple[int, int]] = []
    free = 0
    for t in sorted(heads - covered):
        if t < free:
            continue
        low = plain_lower(words[t])
        if low in stop or low in titles:
            continue
        end = t
        while end + 1 < n and joinable(end) and end + 1 not in covered:
            nlow = plain_lower(words[end + 1])
            if is_name_word(end + 1) and nlow not in stop and nlow not in titles:
                end += 1
            elif nlow in inner and end + 2 < n and joinable(end + 1) and is_name_word(end + 2):
                end += 1
            else:
                break
        free = end + 1
        if t == end and words[t] in alone:
            continue
        runs.append((t, end))
    return runs
