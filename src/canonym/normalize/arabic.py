"""Names in Arabic-script paragraphs spelled in ways no gazetteer lists.

Reach for this module to understand how an Arabic paragraph gets a fuzzy pass.
Arabic script has no capitals, so the runs of capitalized words that Latin text
offers (``name_runs``) do not exist: any word may be a name. ``arabic_windows``
offers instead the stretches of words, outside function words and names already
found, whose first and last words share a skeleton with some gazetteer form; only
those are resolved, at the stricter acceptance Arabic script gets. A window that
matches nothing is not reported as an unknown name: most Arabic words are not
names, and a missed one is no different from a common word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import compress
from operator import itemgetter

from canonym.gazetteer.index import Index
from canonym.match.resolve import Match
from canonym.names.keys import skeleton
from canonym.names.running import CASELESS
from canonym.normalize.scan import Scan, word_lists
from canonym.text.scripts import is_arabic_script as arabic

__all__ = ["arabic_windows", "arabic_finds"]

# Words in a window: Arabic names of people run to four words (with nasab more, but
# those are listed in shorter forms too); longer windows only slow the pass.
MAX_WORDS = 4
# One word alone must be this long to be tried: short Arabic words are mostly
# function words and common nouns that share a skeleton with some name.
MIN_LETTERS_ALONE = 5
_AS_WRITTEN = ("exact", "alias")
_get_caseless = itemgetter(CASELESS)


def arabic_windows(scan: Scan, covered: set[int], ix: Index) -> Iterator[list[tuple[int, int]]]:
    """For each run of candidate words, its windows (first, last), longest first per start.

    A candidate word is in a script without case, outside ``covered`` and outside
    the words the scan let into Latin runs (those are the Latin pass's), and is no
    function word or title.
    """
    stop, titles, _ = word_lists()
    infos, words = scan.infos, scan.words
    n = len(words)

    def candidate(i: int) -> bool:
        w = words[i]
        return (
            infos[i][CASELESS]
            and i not in covered
            and i not in scan.marked
            and w not in stop
            and w not in titles
        )

    lead: dict[int, bool] = {}
    tail: dict[int, bool] = {}

    def blocks(i: int) -> tuple[bool, bool]:
        # Whether the word's first (last) key piece has a skeleton some form has.
        if i not in lead:
            ps = scan.pieces_of(i)
            lead[i] = bool(ps) and ix.block(skeleton(ps[0])) is not None
            tail[i] = bool(ps) and ix.block(skeleton(ps[-1])) is not None
        return lead[i], tail[i]

    free = 0  # the first word after the last run
    # Only words in a script without case may be candidates: picked out in C.
    for i in compress(range(n), map(_get_caseless, infos)):
        if i < free or not candidate(i):
            continue
        j = i
        while j + 1 < n and scan.joinable(j) and candidate(j + 1):
            j += 1
        windows = []
        for s in range(i, j + 1):
            if not blocks(s)[0]:
                continue
            for e in range(min(j, s + MAX_WORDS - 1), s - 1, -1):
                if e == s and len(words[s]) < MIN_LETTERS_ALONE:
                    continue
                if blocks(e)[1]:
                    windows.append((s, e))
        if windows:
            yield windows
        free = j + 1


def arabic_finds(
    scan: Scan, covered: set[int], ix: Index, link: Callable[[str], Match | None]
) -> list[tuple[int, int, Match]]:
    """Fuzzy finds in Arabic-script stretches: (first, last, match), left to right.

    From each start the longest window that links wins; the next search starts
    after it. ``link`` resolves a surface (memoized by the caller).
    """
    text, starts, ends = scan.text, scan.starts, scan.ends
    out: list[tuple[int, int, Match]] = []
    for windows in arabic_windows(scan, covered, ix):
        free = -1
        for s, e in windows:
            if s < free:
                continue
            surface = text[starts[s] : ends[e]]
            m = link(surface)
            if m is None or (s == e and (m.method not in _AS_WRITTEN or not arabic(m.matched))):
                # One Arabic word read loosely finds a place in many a common noun or
                # adjective (مدينة is a city, not Medina; السوري is Syrian, not Syria):
                # alone, it must be a form as written in its script; a longer name
                # carries enough letters to be read.
                continue
            if len(m.matched.split()) != e - s + 1:
                continue  # part of a longer name, or a name with words around it
            out.append((s, e, m))
            free = e + 1
    return out
