"""Finding name spans in running text.

Reach for this module to list where names may stand in a text. ``Scan`` splits
a text into words with one call of the regular-expression engine and looks each
distinct word up once; ``find_spans`` walks the key pieces from each capitalized
word (and from the lower-case words that open a gazetteer form), trie-like, one
dictionary lookup per step as FlashText takes one per character, keeping the
longest gazetteer key; ``name_runs`` gives the capitalized word runs left over,
which the normalizer tries with fuzzy matching.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Container
from functools import lru_cache
from itertools import accumulate, compress
from operator import itemgetter
from typing import Final

from canonym.data import load_data
from canonym.gazetteer.index import KEY_FULL, KEY_PREFIX, Index
from canonym.names.keys import POSSESSIVE_RE, TOKEN_RE, articles, is_article, word_units

__all__ = [
    "Span",
    "Scan",
    "scan_text",
    "find_spans",
    "name_runs",
    "sentence_initial",
    "extend_over_article",
    "word_lists",
    "never_alone",
]

# What may stand between two words of one name: spaces, a hyphen, one line break,
# and the apostrophe of a plural possessive before a space ("Kurdistan Workers' Party").
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_INNER_SEP = re.compile(
    r"(?:['\u2019](?=[ \t\u00a0]))?"
    r"[ \t\u00a0]*(?:[-\u2010\u2011\u2013][ \t]*|\r?\n[ \t]*)?[ \t\u00a0]*"
)
_HYPHENS = ("-", "\u2011")
_SPLIT = re.compile(f"({TOKEN_RE.pattern})")  # words at odd positions, gaps at even
_OPENER = re.compile('[.!?:;\u061f\u06d4\u2022\n"\u201c\u00ab\u2018(]')


# A stretch of words that may be a name: first and last word (inclusive), and its
# joined key pieces. A plain tuple: one is built per name found.
Span = tuple[int, int, str]


# A word's facts that do not depend on the gazetteer, computed once per distinct word:
# capitalized or caseless (may open a match), capitalized (may open a name run),
# lower case (counts for the paragraph's script), caseless, first unit key, units,
# and its key pieces when no unit is an article (which the next word may drop).
_Info = tuple[bool, bool, bool, bool, str, tuple[tuple[str, str], ...], tuple[str, ...] | None]
_INFO: dict[str, _Info] = {}
_INFO_LIMIT = 200_000
_CAP_LIKE: Final = 0
_UPPER: Final = 1
_LOWER: Final = 2
_CASELESS: Final = 3
_KEY0: Final = 4
_UNITS: Final = 5
_PIECES: Final = 6
_get_cap_like = itemgetter(_CAP_LIKE)
_get_caseless = itemgetter(_CASELESS)
_get_key0 = itemgetter(_KEY0)


def _word_info(word: str) -> _Info:
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
        # One C-level split gives words and the gaps between them; offsets follow
        # from the running sum of their lengths.
        parts = _SPLIT.split(text)
        words = parts[1::2]
        offsets = list(accumulate(map(len, parts)))
        starts = offsets[0:-1:2]
        ends = offsets[1::2]
        gaps = parts[0::2]  # gaps[i] comes before word i
        for m in POSSESSIVE_RE.finditer(text):
            # "Soudani's" names Soudani; "Ra's" (a cape) is too short to be a possessive.
            i = bisect_left(ends, m.end())
            if i < len(ends) and ends[i] == m.end() and starts[i] < m.start() and len(words[i]) > 4:
                ends[i] -= 2
                words[i] = words[i][:-2]
                gaps[i + 1] = m.group() + gaps[i + 1]
        if len(_INFO) > _INFO_LIMIT:
            _INFO.clear()
        if opens is not None:
            _peel_clitics(text, words, starts, gaps, opens)
        infos = list(map(_INFO.get, words))
        if None in infos:
            for i, info in enumerate(infos):
                if info is None:
                    infos[i] = _INFO[words[i]] = _word_info(words[i])
        self.words: list[str] = words
        self.starts: list[int] = starts
        self.ends: list[int] = ends
        self.gaps: list[str] = gaps
        self.infos: list[_Info] = infos  # type: ignore[assignment]
        self.marked: set[int] = set()  # caseless words let into name runs
        self._pieces: dict[int, tuple[str, ...]] = {}
        self._caps: list[int] | None = None
        self._caseless: bool | None = None

    def __len__(self) -> int:
        return len(self.words)

    def joinable(self, i: int) -> bool:
        """Whether words ``i`` and ``i + 1`` may belong to one name."""
        if i + 1 >= len(self.words):
            return False
        sep = self.gaps[i + 1]
        return sep == " " or _INNER_SEP.fullmatch(sep) is not None

    def is_name_word(self, i: int) -> bool:
        """Whether word ``i`` may start or continue a name run."""
        return self.infos[i][_UPPER] or i in self.marked

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
        if info[_PIECES] is not None:
            return info[_PIECES]
        hit = self._pieces.get(i)
        if hit is not None:
            return hit
        units = info[_UNITS]
        arts = articles()
        out: list[str] = []
        last = len(units) - 1
        for j, (unit, key) in enumerate(units):
            if unit in arts:
                if j < last:
                    drop = is_article(unit, units[j + 1][1], strict=True, joined=True)
                else:
                    drop = is_article(
                        unit, self._next_key(i), strict=True, joined=self._hyphen_after(i)
                    )
                if drop:
                    continue
            out.append(key)
        found = self._pieces[i] = tuple(out)
        return found

    def _next_key(self, i: int) -> str | None:
        for t in range(i + 1, len(self.words)):
            if self.infos[t][_UNITS]:
                return self.infos[t][_KEY0]
        return None

    def _hyphen_after(self, i: int) -> bool:
        return i + 1 < len(self.words) and self.gaps[i + 1] in _HYPHENS


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


def scan_text(text: str, opens: Container[str] | None = None) -> Scan:
    """Tokenize ``text``; with ``opens`` (the first key pieces of gazetteer forms),
    words with a clitic glued before a name (``l'Iran``, ``لحزب``) are split at it."""
    return Scan(text, opens)


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


def _lead(word: str) -> str:
    """The first key piece of a word, a leading article dropped as keys drop it."""
    info = _INFO.get(word)
    if info is None:
        info = _INFO[word] = _word_info(word)
    units = info[_UNITS]
    if not units:
        return ""
    if info[_PIECES] is None and len(units) > 1 and units[0][0] in articles():
        return units[1][1]
    return units[0][1]


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
        if word[n].isupper() and _lead(word) not in opens and _lead(word[n:]) in opens:
            return n
        return 0
    cands = proclitics.get(word[0])
    if cands is None or _lead(word) in opens:
        return 0  # بغداد, لبنان: a name that begins with a clitic's letter
    for pre in cands:
        n = len(pre)
        if word.startswith(pre) and len(word) - n >= ar_min and _lead(word[n:]) in opens:
            return n
    return 0


def _peel_clitics(
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


def mark_name_words(scan: Scan, covered: set[int]) -> None:
    """Let words of a caseless script (Arabic, Hebrew) start name runs in Latin paragraphs.

    A paragraph is Latin when its lower-case Latin words outnumber its caseless-script
    words, names found so far left out of the count: rewriting a name cannot change
    the verdict, so normalizing twice gives what normalizing once gave.
    """
    if not scan.has_caseless():
        return
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(scan.text)]
    para_of = [bisect_left(breaks, s) for s in scan.starts]
    votes: dict[int, int] = {}
    for i, info in enumerate(scan.infos):
        if i in covered:
            continue
        if info[_CASELESS]:
            votes[para_of[i]] = votes.get(para_of[i], 0) - 1
        elif info[_LOWER]:
            votes[para_of[i]] = votes.get(para_of[i], 0) + 1
    for i, info in enumerate(scan.infos):
        if info[_CASELESS] and votes.get(para_of[i], 0) > 0:
            scan.marked.add(i)


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
    if lows:
        opens = sorted({*opens, *lows})
    pieces_of = scan.pieces_of
    gaps = scan.gaps
    inner_sep = _INNER_SEP.fullmatch
    alone = never_alone()
    out: list[Span] = []
    free = 0  # the first word not inside a match
    for s in opens:
        if s < free:
            continue
        ps = infos[s][_PIECES]
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
                    if sep != " " and inner_sep(sep) is None:
                        u = n
                        break
                    ps = infos[u][_PIECES]
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
            not infos[s][_CAP_LIKE]
            and key not in lower_keys
            and (last == s or not any(infos[x][_CAP_LIKE] for x in range(s + 1, last + 1)))
        ):
            # Lower-case words only: a name only if the gazetteer writes it so
            # ("peshmergas"); "said" is not a town named Said.
            continue
        if last == s and scan.words[s] in alone:
            continue
        if not whole:
            continue  # a glued particle ("Abdel" of "Abdelaziz") may not end a match
        # Only a word without key pieces (an article) may be taken in before the match.
        first = s if s == 0 or infos[s - 1][_PIECES] else extend_over_article(scan, s)
        out.append((first, last, key))
        free = last + 1
    return out


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
        if not (gap in _HYPHENS or (gap == " " and word == "al")):
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
    heads = {t for t in caps if is_name_word(t)} if scan.has_caseless() else set(caps)
    joinable = scan.joinable
    alone = never_alone()
    runs: list[tuple[int, int]] = []
    free = 0
    for t in sorted(heads - covered):
        if t < free:
            continue
        low = words[t].lower()
        if low in stop or low in titles:
            continue
        end = t
        while end + 1 < n and joinable(end) and end + 1 not in covered:
            nlow = words[end + 1].lower()
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
