"""Finding name spans in running text.

Reach for this module to list where names may stand in a text. ``find_spans``
makes one pass over the text's key pieces, trie-like (each step one dictionary
lookup, like FlashText), keeping the longest gazetteer key at each position;
``name_runs`` gives the capitalized word runs left over, which the normalizer
tries with fuzzy matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from canonym.index import Index
from canonym.keys import Piece, Token, pieces, tokenize
from canonym.resources import load_data

__all__ = [
    "Span",
    "Scan",
    "scan_text",
    "find_spans",
    "name_runs",
    "sentence_initial",
    "extend_over_article",
    "word_lists",
]

# What may stand between two words of one name: spaces, a hyphen, one line break.
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_INNER_SEP = re.compile(r"[ \t\u00a0]*(?:[-\u2010\u2011\u2013][ \t]*|\r?\n[ \t]*)?[ \t\u00a0]*")
_OPENER = re.compile('[.!?:;\u061f\u06d4\u2022\n"\u201c\u00ab\u2018(]')


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of tokens ``[first, last]`` that may be a name."""

    first: int  # token index
    last: int  # token index, inclusive
    key: str  # the joined key pieces ("" for fuzzy runs)


@dataclass
class Scan:
    """A tokenized text with its key pieces."""

    text: str
    tokens: list[Token]
    pieces: list[Piece]
    joinable: list[bool]  # joinable[i]: token i and i+1 may belong to one name
    keyed: set[int]  # tokens that contribute a key piece (articles do not)
    name_word: list[bool]  # tokens that may start or continue a name run
    cap_like: list[bool]  # capitalized, or in a script without case
    caseless: list[bool]  # in a script without case (Arabic, Hebrew)
    para_of: list[int]  # the paragraph each token is in


@lru_cache(maxsize=1)
def word_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    data = load_data("particles.yaml")
    stop = frozenset(data["stopwords"])
    titles = frozenset(data["titles"])
    arts = data["articles"]
    inner = frozenset(
        [
            *arts["always"],
            *arts["assimilated"],
            *(p for ps in data["particles"].values() for p in ps),
        ]
    )
    return stop, titles, inner


def scan_text(text: str) -> Scan:
    tokens = tokenize(text)
    n = len(tokens)
    joinable = [False] * n
    para_of = [0] * n
    caseless = [
        (c := tok.text[0]) >= "\u0370" and not c.isupper() and not c.islower() for tok in tokens
    ]
    para = 0
    for i in range(n - 1):
        sep = text[tokens[i].end : tokens[i + 1].start]
        if sep == " ":
            joinable[i] = True
        else:
            joinable[i] = _INNER_SEP.fullmatch(sep) is not None
            if "\n" in sep and _PARAGRAPH_BREAK.search(sep):
                para += 1
        para_of[i + 1] = para
    # Until mark_name_words, only capitals say "name": a word of a caseless script
    # may name something only in a Latin-script paragraph.
    cap_like = [tok.text[0].isupper() or caseless[i] for i, tok in enumerate(tokens)]
    name_word = [tok.text[0].isupper() for tok in tokens]
    ps = pieces(tokens, text, strict=True)
    return Scan(
        text, tokens, ps, joinable, {p.token for p in ps}, name_word, cap_like, caseless, para_of
    )


def mark_name_words(scan: Scan, covered: set[int]) -> None:
    """Let words of a caseless script (Arabic, Hebrew) start name runs in Latin paragraphs.

    A paragraph is Latin when its lower-case Latin words outnumber its caseless-script
    words, names found so far left out of the count: rewriting a name cannot change
    the verdict, so normalizing twice gives what normalizing once gave.
    """
    votes: dict[int, int] = {}
    for i, tok in enumerate(scan.tokens):
        if i in covered:
            continue
        if scan.caseless[i]:
            votes[scan.para_of[i]] = votes.get(scan.para_of[i], 0) - 1
        elif tok.text[0].islower():
            votes[scan.para_of[i]] = votes.get(scan.para_of[i], 0) + 1
    for i in range(len(scan.tokens)):
        if scan.caseless[i] and votes.get(scan.para_of[i], 0) > 0:
            scan.name_word[i] = True


def find_spans(scan: Scan, ix: Index) -> list[Span]:
    """Longest gazetteer-key matches, left to right, without overlaps."""
    out: list[Span] = []
    keys = [p.key for p in scan.pieces]
    toks = [p.token for p in scan.pieces]
    n = len(keys)
    i = 0
    by_key, prefixes, lower_keys = ix.by_key, ix.key_prefixes, ix.lower_keys
    cap_like, joinable = scan.cap_like, scan.joinable
    while i < n:
        cur = keys[i]
        if cur not in prefixes and cur not in by_key:
            i += 1  # the common case: a word that starts no name
            continue
        best = -1
        j = i
        while True:
            if cur in by_key:
                best = j
            if cur not in prefixes or j + 1 >= n:
                break
            t, u = toks[j], toks[j + 1]
            if u != t and not all(joinable[t:u]):
                break
            j += 1
            cur = cur + " " + keys[j]
        if best < 0:
            i += 1
            continue
        first, last = toks[i], toks[best]
        key = " ".join(keys[i : best + 1])
        if key not in lower_keys and not any(cap_like[first : last + 1]):
            # Lower-case words only: a name only if the gazetteer writes it so
            # ("peshmergas"); "said" is not a town named Said. Cheapest to drop here.
            i += 1
            continue
        # A glued particle piece ("Abdel" of "Abdelaziz") may not end a match mid-word.
        if best + 1 < n and toks[best + 1] == last:
            i += 1
            continue
        if i > 0 and toks[i - 1] == first:
            i += 1
            continue
        out.append(Span(extend_over_article(scan, first), last, key))
        i = best + 1
    return out


def extend_over_article(scan: Scan, first: int) -> int:
    """Extend a span back over dropped articles written before it ("al-Noujaba").

    A hyphenated article always belongs to the name; a spaced one only when it is
    "al": Spanish and French "el", "an", "es" are words of the sentence.
    """
    _, _, inner = word_lists()
    while first > 0:
        prev = first - 1
        if prev in scan.keyed or not scan.joinable[prev]:
            break
        gap = scan.text[scan.tokens[prev].end : scan.tokens[first].start]
        word = scan.tokens[prev].text.lower()
        hyphen = gap in ("-", "\u2011")
        if word not in inner or not (hyphen or (gap == " " and word == "al")):
            break
        first = prev
    return first


def sentence_initial(scan: Scan, t: int) -> bool:
    """Whether token ``t`` opens a sentence, a line or a quotation."""
    if t == 0:
        return True
    before = scan.text[scan.tokens[t - 1].end : scan.tokens[t].start]
    return _OPENER.search(before) is not None


def name_runs(scan: Scan, covered: set[int]) -> list[tuple[int, int]]:
    """Runs of capitalized or Arabic-script words outside ``covered`` tokens.

    Lower-case articles and particles may stand inside a run (``Abou Bakr al-Baghdadi``);
    titles and sentence-opening function words are left out of it.
    """
    stop, titles, inner = word_lists()
    toks = scan.tokens
    runs: list[tuple[int, int]] = []
    t = 0
    n = len(toks)
    while t < n:
        tok = toks[t]
        low = tok.text.lower()
        if t in covered or not scan.name_word[t] or low in stop or low in titles:
            t += 1
            continue
        end = t
        while end + 1 < n and scan.joinable[end] and end + 1 not in covered:
            nxt = toks[end + 1]
            nlow = nxt.text.lower()
            if scan.name_word[end + 1] and nlow not in stop and nlow not in titles:
                end += 1
            elif (
                nlow in inner and end + 2 < n and scan.joinable[end + 1] and scan.name_word[end + 2]
            ):
                end += 1
            else:
                break
        runs.append((t, end))
        t = end + 1
    return runs
