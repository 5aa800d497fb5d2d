"""Candidate mentions of a text: spans of words and the entities they may stand for.

Reach for this module for the first stage of normalizing, as a phrase matcher is
in an entity ruler: exact key matches over the scan (``find_spans``), then fuzzy
finds in runs of capitalized words nothing matched. Overlaps are settled here;
which entity a span names is the document context's choice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from canonym.data import load_data
from canonym.gazetteer.index import Index
from canonym.gazetteer.memo import Memo
from canonym.match.resolve import Match, Thresholds, link
from canonym.normalize.arabic import arabic_finds
from canonym.normalize.guards import (
    cut_short,
    in_own_language,
    key_form_langs,
    plausible_in_text,
    shared_form_match,
    span_entities,
    written_as_form,
)
from canonym.normalize.languages import words_language
from canonym.normalize.neighbours import (
    common_word,
    heads_a_name,
    is_common_word,
    loose_in_run,
    open_to_fuzzy,
    settle_opened,
    unknown_run,
)
from canonym.normalize.scan import (
    Scan,
    extend_over_article,
    find_spans,
    mark_name_words,
    name_runs,
    sentence_initial,
)
from canonym.text.normalize import surface_norm

__all__ = ["Candidate", "CandidateFinder", "Form", "span_entities"]

_SINGLE_WORD_FUZZY = 0.90
_MAX_WINDOW = 6
_ANY_LETTER = re.compile(r"[^\W\d_]")

# The canonical form for a surface of entity ``ei``, and how it matched:
# (entity index, surface, only as a surname) -> (form, method, score).
Form = Callable[[int, str, bool], tuple[str, str, float]]


class Candidate(NamedTuple):
    first: int
    last: int
    entities: tuple[int, ...]  # entity indexes
    short: bool = False
    match: Match | None = None  # set for fuzzy finds
    # Set when one entity matched by key, not as a surname: the mention's fields,
    # which then depend on nothing else in the document.
    fields: tuple[str, str, str, str, float] | None = None


# What a key match stands for: its entities, whether only as a surname, and the
# mention's fields when that does not depend on the document.
SpanOutcome = tuple[tuple[int, ...], bool, tuple[str, str, str, str, float] | None]
_UNSEEN: SpanOutcome = ((), False, None)  # a cache miss, told apart by identity
# Whether one word matched by key stands: always, never, or unless it heads a longer name.
_KEEP, _DROP, _UNLESS_HEAD = 0, 1, 2


@lru_cache(maxsize=1)
def _idioms() -> dict[str, frozenset[str]]:
    return {w: frozenset(after) for w, after in load_data("idioms.yaml").items()}


def _opener(scan: Scan, i: int) -> bool:
    """Whether word ``i`` opens a sentence with a capital it owes to that alone (after an
    elided article, "L'Hachd", the capital is the name's own)."""
    return sentence_initial(scan, i) and not scan.gaps[i].endswith(("'", "\u2019"))


class CandidateFinder:
    """Finds the candidate mentions of scanned texts against one index (memoized)."""

    def __init__(
        self, index: Index, thresholds: Thresholds, *, fuzzy: bool, form: Form, cache_size: int
    ) -> None:
        self.index = index
        self.thresholds = thresholds
        self.fuzzy = fuzzy
        self._form = form
        self._links: Memo[str, Match | None] = Memo(cache_size)
        self._spans: Memo[tuple[str, str], SpanOutcome | None] = Memo(cache_size)
        self._form_langs: Memo[str, frozenset[str]] = Memo(cache_size)
        # (key, one word, the text's language) -> what it stands for, and whether it stands
        self._singles: Memo[tuple[str, str, str], tuple[SpanOutcome | None, int]] = Memo(cache_size)

    def find(self, scan: Scan) -> tuple[list[Candidate], list[tuple[int, int]]]:
        """The candidate mentions of a text, in order, and the name runs that matched nothing."""
        cands = self._exact(scan)
        missed: list[tuple[int, int]] = []
        covered = {i for c in cands for i in range(c.first, c.last + 1)}
        mark_name_words(scan, covered)
        # Only a word read by key may be loose in a run (tested here first: most are not).
        cands = [
            c
            for c in cands
            if c.fields is None or c.fields[3] != "key" or not loose_in_run(scan, c, covered)
        ]
        if self.fuzzy:
            # A known surname may close a full name whose other words are spelled in
            # a way no key knows ("Mohamad Shiya al-Soudany"): the fuzzy pass sees
            # the whole run, and what it finds there replaces the surname alone.
            opened = open_to_fuzzy(scan, cands, covered)
            spans = {
                w: (cands[i].first, cands[i].last)
                for i in opened
                for w in range(cands[i].first, cands[i].last + 1)
            }
            fuzzy, missed = self._fuzzy(scan, covered - spans.keys(), spans)
            if opened:
                cands, fuzzy, missed = settle_opened(scan, cands, fuzzy, missed, opened, [])
            cands.extend(fuzzy)
            if scan.has_caseless():
                taken = {w for c in cands for w in range(c.first, c.last + 1)}
                found = arabic_finds(scan, covered | taken, self.index, self._link)
                ei = self.index.entity_index
                arabic = [Candidate(s, e, (ei(m.entity.id),), match=m) for s, e, m in found]
                cands.extend(arabic)
                fuzzy = fuzzy or arabic
            if fuzzy:
                cands.sort(key=lambda c: c.first)
        return cands, missed

    def _link(self, surface: str) -> Match | None:
        hit = self._links.get(surface, False)
        if hit is not False:
            return hit  # type: ignore[return-value]
        return self._links.put(surface, link(self.index, surface, thresholds=self.thresholds))

    def _exact(self, scan: Scan) -> list[Candidate]:
        ix = self.index
        out = []
        cache, singles = self._spans, self._singles
        new = tuple.__new__  # skips the named tuple's Python-level constructor
        text, starts, ends, words, gaps = scan.text, scan.starts, scan.ends, scan.words, scan.gaps
        idioms = _idioms()
        lang = ""  # the text's language, detected once when first needed
        for first, last, key in find_spans(scan, ix):
            surface = text[starts[first] : ends[last]]
            if first == last:
                # One word: whether it stands depends on the text's language and, past
                # that, only on the words after it.
                if not lang:
                    lang = words_language(text)
                memo_key = (key, surface, lang)
                hit = singles.get(memo_key)
                if hit is None:
                    hit = singles.put(memo_key, self._single(key, surface, lang))
                found, verdict = hit
                if found is None or verdict == _DROP:
                    continue
                after = idioms.get(words[first])
                if after is not None and scan.joinable(first) and words[first + 1] in after:
                    continue  # مسقط رأسه is a birthplace, not Muscat
                if verdict == _UNLESS_HEAD and heads_a_name(scan, last):
                    continue  # "Golfe" is the Persian Gulf, not in "Golfe de Gascogne"
            else:
                memo = (key, surface)
                found = cache.get(memo, _UNSEEN)
                if found is _UNSEEN:
                    found = cache.put(memo, self._span_outcome(key, surface, False))
                if found is None:
                    continue
            if gaps[last + 1][:1].isalpha() and not written_as_form(ix, key, surface):
                # An ending was cut off the name ("Israels"): only a stem written as a
                # form is the name; a Spanish "Miles" is not the surname Milei (see
                # ``cut_short``).
                continue
            out.append(new(Candidate, (first, last, found[0], found[1], None, found[2])))
        return out

    def _single(self, key: str, surface: str, lang: str) -> tuple[SpanOutcome | None, int]:
        """What one word matched by ``key`` stands for, and whether it stands in text of
        ``lang`` (``_KEEP``, ``_DROP``, or ``_UNLESS_HEAD``: not at the head of a longer name)."""
        memo = (key, surface)
        found = self._spans.get(memo, _UNSEEN)
        if found is _UNSEEN:
            found = self._spans.put(memo, self._span_outcome(key, surface, True))
        if found is None:
            return None, _DROP
        if not self._own_language(key, surface, lang):
            return found, _DROP
        common = is_common_word(surface, lang)
        fields = found[2]
        if fields is not None and fields[3] == "key":
            # A common word of the text's language read by key ("Seine" is not Sinai):
            # only a form written exactly so would make it a name.
            return found, _DROP if common else _KEEP
        return found, _UNLESS_HEAD if common else _KEEP

    def _own_language(self, key: str, surface: str, lang: str) -> bool:
        """Whether one word matched by key only forms of other languages than the text's.

        "Ende" shares the key of the French "Inde": a form of one language that is
        not written exactly so links only in text of that language.
        """
        langs = self._form_langs.get(key + "\x00" + surface)
        if langs is None:
            langs = self._form_langs.put(
                key + "\x00" + surface, key_form_langs(self.index, key, surface)
            )
        return not langs or lang in langs

    def _span_outcome(self, key: str, surface: str, single: bool) -> SpanOutcome | None:
        found = span_entities(self.index, key, surface, single)
        if found is None:
            return None
        ents, short = found
        if len(ents) == 1 and not short:
            entity = self.index.entity(ents[0])
            canonical, method, score = self._form(ents[0], surface, False)
            return ents, short, (entity.id, canonical, entity.type, method, score)
        return ents, short, None

    def _fuzzy(
        self, scan: Scan, covered: set[int], opened: dict[int, tuple[int, int]]
    ) -> tuple[list[Candidate], list[tuple[int, int]]]:
        """Fuzzy finds in runs of capitalized words outside ``covered``.

        ``opened`` maps the words of known matches let into the runs to their spans:
        a window may take such a match in whole, with words before it, or leave it out.
        """
        found: list[Candidate] = []
        missed: list[tuple[int, int]] = []
        ix = self.index
        cache, is_name_word = self._links, scan.is_name_word
        text, starts, ends = scan.text, scan.starts, scan.ends
        lang: list[str] = []  # the text's language, detected once when first needed
        for a, b in name_runs(scan, covered):
            hit_any = False
            s = a
            while s <= b:
                took = False
                # A window from a known match must take in words after it: the
                # known match is not read again on its own.
                at = opened.get(s)
                # A window neither starts nor ends on a particle.
                ends_at = range(min(b, s + _MAX_WINDOW - 1), s - 1, -1) if is_name_word(s) else ()
                for e in ends_at:
                    if at is not None and e <= at[1]:
                        break
                    if not is_name_word(e):
                        continue
                    known = opened.get(e)
                    if known is not None and e != known[1]:
                        continue  # it would cut a known match in two
                    surface = text[starts[s] : ends[e]]
                    m = cache[surface] if surface in cache else self._link(surface)
                    if m is None or not plausible_in_text(surface, m, single=(s == e)):
                        continue
                    if cut_short(scan, e) and surface_norm(m.matched) != surface_norm(surface):
                        continue  # a cut ending leaves only a listed form (see _exact)
                    if not in_own_language(m, text, lang):
                        # Nearest to a form of another language ("Abbas Araghtschi" in
                        # English copy): the name still stands on the forms every
                        # language shares, if it comes as close to one of them.
                        m = shared_form_match(ix, m, surface, self.thresholds.accept)
                        if m is None:
                            continue
                    if s == e and m.method != "exact" and common_word(surface, scan, lang):
                        continue  # a common word spelled near a name is the word
                    if s == e and m.method == "fuzzy" and _opener(scan, s):
                        # A sentence opener has its capital whatever it is: a word
                        # spelled near a name there ("Hashed passwords") is a word.
                        continue
                    first = extend_over_article(scan, s)
                    found.append(Candidate(first, e, (ix.entity_index(m.entity.id),), match=m))
                    s, took, hit_any = e + 1, True, True
                    break
                if not took:
                    s = at[1] + 1 if at is not None else s + 1
            if not hit_any and unknown_run(scan, a, b, lang):
                missed.append((a, b))
        return found, missed
