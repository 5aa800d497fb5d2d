"""How a match in running text stands to the capitalized words around it.

Reach for this module to see why a match is dropped, kept, or read again as part
of a longer name: a word read by key beside unknown capitals belongs to another
name (``loose_in_run``); a part of a person's name beside them opens to the fuzzy
pass (``open_to_fuzzy``), whose finds then settle what stands (``settle_opened``);
common words of the text's language are told from given names and unknown names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, TypeVar

from canonym.names.clitics import proclitic_splits
from canonym.names.particles import particles
from canonym.normalize.languages import words_language
from canonym.normalize.scan import Scan, plain_lower, sentence_initial, word_lists
from canonym.text.lexicon import is_common


class Candidate(Protocol):
    """What these rules read of a candidate (``canonym.normalize.candidates.Candidate``)."""

    @property
    def first(self) -> int: ...
    @property
    def last(self) -> int: ...
    @property
    def short(self) -> bool: ...
    @property
    def fields(self) -> tuple[str, str, str, str, float] | None: ...


C = TypeVar("C", bound=Candidate)

__all__ = [
    "loose_in_run",
    "open_to_fuzzy",
    "settle_opened",
    "common_word",
    "is_common_word",
    "unknown_run",
    "headline_words",
    "heads_a_name",
]

# The gap an elided "de"/"di" leaves after peeling ("Golfe d'Aden", "Golfo dell'Oman").
_ELIDED_OF = re.compile("[ \t]+[^\\W\\d_]{1,4}['\u2019]")


def loose_in_run(scan: Scan, c: Candidate, covered: set[int]) -> bool:
    """Whether one word matched by key, not as written, stands beside capitalized
    words that matched nothing: it is then part of another name ("Sabah" in a
    prince's full name is not the Saba news agency)."""
    if c.fields is None or c.fields[3] != "key":
        return False
    if c.first != c.last and (
        c.fields[2] == "person" or any(scan.pieces_of(w) for w in range(c.first, c.last))
    ):
        # More than one word of the name, or a person's surname, which the fuzzy pass
        # may join to the given names before it; "al-Sabah" read as the news agency is
        # one word, its article aside.
        return False
    inner = word_lists()[2]
    n = len(scan.words)
    for w, joined, step in ((c.first - 1, c.first - 1, -1), (c.last + 1, c.last, 1)):
        if w < 0 or w >= n or w in covered or not scan.joinable(joined):
            continue
        low = plain_lower(scan.words[w])
        if low in inner and 0 <= w + step < n and scan.joinable(min(w, w + step)):
            # An article between them joins the next word to the name ("Sabah al-Salim").
            w = w + step
            if w in covered:
                continue
            low = plain_lower(scan.words[w])
        if _name_word(scan, w):
            return True
    return False


def open_to_fuzzy(scan: Scan, cands: Sequence[Candidate], covered: set[int]) -> list[int]:
    """Matches that may be part of a longer person's name the fuzzy pass should read
    whole: a surname alone, a part of a person's name, or a given name several people
    share, beside a capitalized word that matched nothing ("Mohamad Shiya al-Soudany",
    "Abbas Araghtchi"), or beside another such match ("Maschid Ahmed al-Sudani")."""
    n = len(scan.words)
    out: list[int] = []
    for i, c in enumerate(cands):
        fields = c.fields
        # A part of a person's name, or one word of several entities (``_person_part``
        # written out: this runs for every match).
        if not (c.short or (fields[2] == "person" if fields is not None else c.first == c.last)):
            continue
        before, after = c.first - 1, c.last + 1
        if before >= 0 and scan.joinable(before) and _name_word(scan, before):
            if before not in covered or (out and out[-1] == i - 1 and cands[i - 1].last == before):
                out.append(i)
                continue
        if (
            after < n
            and scan.joinable(c.last)
            and after not in covered
            and _name_word(scan, after)
            and (_person_part(c) or c.fields is None)
        ):
            out.append(i)
    return out


def common_word(word: str, scan: Scan, lang: list[str]) -> bool:
    """Whether ``word`` is common in the text's language (``lang`` caches it)."""
    if not lang:
        lang.append(words_language(scan.text))
    return is_common_word(word, lang[0])


def is_common_word(word: str, lang: str) -> bool:
    """Whether ``word`` is common in ``lang``."""
    if is_common(word, lang):
        return True
    # An Arabic word with a proclitic on a common word (لوسائل, 'for the means'), which
    # reads by key like a place (Lusail).
    return lang == "ar" and any(is_common(word[n:], "ar") for n in proclitic_splits(word, 1))


def heads_a_name(scan: Scan, i: int) -> bool:
    """Whether word ``i`` is the head of a longer name that goes on after it: "of"
    (maybe with an article, or elided) and a capitalized word ("Golfe de Gascogne",
    "Golfo del Messico", "golfe de la Sidre", "Golfe d'Oman")."""
    n = len(scan.words)
    j = i + 1
    if j >= n:
        return False
    if _ELIDED_OF.fullmatch(scan.gaps[j]):
        return _name_word(scan, j)
    p = particles()
    for words in (p.of_words, p.of_articles):
        if j >= n or not scan.joinable(j - 1) or scan.words[j].lower() not in words:
            return False
        j += 1
        if j < n and scan.joinable(j - 1) and _name_word(scan, j):
            return True
    return False


def headline_words(scan: Scan, a: int, b: int, lang: list[str]) -> bool:
    """Whether words ``a``..``b`` are common words written in capitals ("VOWS REVENGE")."""
    words = scan.words[a : b + 1]
    if not all(w.isupper() and len(w) > 1 for w in words):
        return False
    return all(
        common_word(w.lower(), scan, lang) or not scan.pieces_of(a + k) for k, w in enumerate(words)
    )


def unknown_run(scan: Scan, a: int, b: int, lang: list[str]) -> bool:
    """Whether capitalized words ``a``..``b`` that matched nothing are an unknown name:
    not one word opening a sentence or common in the text's language (a German noun,
    "Delegation"), nor common words written in capitals ("VOWS REVENGE")."""
    if a == b and (sentence_initial(scan, a) or common_word(scan.words[a], scan, lang)):
        return False
    return not headline_words(scan, a, b, lang)


def _name_word(scan: Scan, w: int) -> bool:
    """Whether word ``w`` may be a word of a name: capitalized (or let in), and no
    function word or title."""
    stop, titles, _ = word_lists()
    low = plain_lower(scan.words[w])
    return scan.is_name_word(w) and low not in stop and low not in titles


def _person_part(c: Candidate) -> bool:
    """Whether a match is a surname alone or a part of a person's name."""
    return c.short or (c.fields is not None and c.fields[2] == "person")


def _alone_part(scan: Scan, c: Candidate) -> bool:
    """Whether a match is one word of a person's name (its article aside)."""
    if not _person_part(c):
        return False
    return not any(scan.pieces_of(w) for w in range(c.first, c.last))


def settle_opened(
    scan: Scan,
    cands: list[C],
    fuzzy: list[C],
    missed: list[tuple[int, int]],
    opened: list[int],
    lang: list[str],
) -> tuple[list[C], list[C], list[tuple[int, int]]]:
    """A fuzzy find that takes in opened matches whole, and words before them, replaces
    them; runs that matched nothing stop before them."""
    replaced: set[int] = set()
    finds = []
    for f in fuzzy:
        over = [i for i in opened if cands[i].first <= f.last and f.first <= cands[i].last]
        if not over:
            finds.append(f)
        elif (
            f.first <= cands[over[0]].first
            and cands[over[-1]].last <= f.last
            and (f.first < cands[over[0]].first or cands[over[-1]].last < f.last or len(over) > 1)
        ):
            finds.append(f)  # the known name and words around it: one longer name
            replaced.update(over)
        # Otherwise the find is the known name again, or cuts it in two: it stands.
    # A surname alone after a capitalized word that names no one known is another
    # person's ("Rami Aoun" is not Joseph Aoun): it joins the unmatched run.
    # A capitalized common word of the text's language is no given name: it opens
    # the sentence ("Yesterday Sudani said") or is a German noun ("Regierung Öcalan").
    # A word a fuzzy find names is known, as it is once rewritten ("AF News" found
    # as an agency: the surname after it stands, as it does after the agency's name).
    named = {w for f in finds for w in range(f.first, f.last + 1)}
    dropped = {
        i
        for i in opened
        if i not in replaced
        and _alone_part(scan, cands[i])
        and cands[i].first > 0
        and cands[i].first - 1 not in named
        and scan.joinable(cands[i].first - 1)
        and _name_word(scan, cands[i].first - 1)
        and not common_word(scan.words[cands[i].first - 1], scan, lang)
        and not headline_words(scan, cands[i].first - 1, cands[i].first - 1, lang)
    }
    kept = [c for i, c in enumerate(cands) if i not in replaced and i not in dropped]
    still = {
        w
        for i in opened
        if i not in replaced and i not in dropped
        for w in range(cands[i].first, cands[i].last + 1)
    }
    runs = []
    for a, b in missed:
        # The known matches stand: what is left of the run around them is unmatched,
        # under the rule for runs (a lone capital opening a sentence is no name).
        start = a
        for w in range(a, b + 2):
            if w <= b and w not in still:
                continue
            last = w - 1
            if last >= start and unknown_run(scan, start, last, lang):
                runs.append((start, last))
            start = w + 1
    return kept, finds, runs
