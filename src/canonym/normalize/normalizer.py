"""Rewriting a text so that every name takes its canonical spelling.

Reach for this module to normalize one document: ``Normalizer(gz).normalize(text)``
finds the mentions, resolves each (document context first, then the gazetteer),
and replaces each resolved mention by the canonical form closest to what was
written. Text outside mentions is kept byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from rapidfuzz import fuzz

from canonym.gazetteer.core import Gazetteer
from canonym.gazetteer.index import (
    Index,
    fold_text,
    short_forms,
    surface_norm,
)
from canonym.match.resolve import Match, Thresholds, link
from canonym.names.keys import TOKEN_RE, name_key, script_of
from canonym.normalize.scan import (
    Scan,
    extend_over_article,
    find_spans,
    mark_name_words,
    name_runs,
    scan_text,
    sentence_initial,
    word_lists,
)

__all__ = ["Mention", "NormalizedText", "Normalizer"]

RESOLVED, AMBIGUOUS, UNRESOLVED = "resolved", "ambiguous", "unresolved"
_SINGLE_WORD_FUZZY = 0.90
_MAX_WINDOW = 6
# Words read either side of a rewritten name to check that it still reads as itself.
_READ_WORDS = 6
_APOSTROPHES = re.compile("['\u2019\u02bc\u2018`\u02bf\u02be\u00b4]+")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ANY_LETTER = re.compile(r"[^\W\d_]")


@dataclass(slots=True)
class Mention:
    """A name found in the text: where, what was written, and what it resolved to.

    ``start``/``end`` index the source text; ``out_start``/``out_end`` the output.
    """

    start: int
    end: int
    surface: str
    status: str = RESOLVED
    entity_id: str | None = None
    canonical: str | None = None
    type: str | None = None
    method: str | None = None
    score: float = 0.0
    context: bool = False
    candidates: tuple[Match, ...] = ()
    out_start: int = 0
    out_end: int = 0

    @property
    def changed(self) -> bool:
        return (
            self.status == RESOLVED
            and self.canonical is not None
            and self.canonical != self.surface
        )

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "status": self.status,
        }
        if self.status == RESOLVED:
            d.update(
                entity_id=self.entity_id,
                canonical=self.canonical,
                type=self.type,
                method=self.method,
                score=round(self.score, 4),
                context=self.context,
                out_start=self.out_start,
                out_end=self.out_end,
            )
        if self.candidates:
            d["candidates"] = [c.to_dict() for c in self.candidates]
        return d


@dataclass
class NormalizedText:
    """The rewritten text and every mention found in the source."""

    source: str
    text: str
    mentions: list[Mention] = field(default_factory=list)
    ambiguous: list[Mention] = field(default_factory=list)
    unresolved: list[Mention] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.source

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "changed": self.changed,
            "mentions": [m.to_dict() for m in self.mentions],
            "ambiguous": [m.to_dict() for m in self.ambiguous],
            "unresolved": [m.to_dict() for m in self.unresolved],
        }


class _Candidate(NamedTuple):
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
_SpanOutcome = tuple[tuple[int, ...], bool, tuple[str, str, str, str, float] | None]
_UNSEEN: _SpanOutcome = ((), False, None)  # a cache miss, told apart by identity


def _similarity(surface: str, form: str) -> tuple[float, float]:
    sk, fk = name_key(surface), name_key(form)
    return (
        max(fuzz.ratio(sk, fk), fuzz.token_sort_ratio(sk, fk)),
        fuzz.ratio(fold_text(surface), fold_text(form)),
    )


_LEADING_ARTICLE = re.compile(r"^(?:al|el|an|ad|ar|as|ash|at|az)[-\s](?=\w)", re.IGNORECASE)


def bare_forms(forms: tuple[str, ...]) -> list[str]:
    """The forms without their leading article, as news copy often writes them."""
    return [b for b in dict.fromkeys(_LEADING_ARTICLE.sub("", f) for f in forms) if b not in forms]


@lru_cache(maxsize=50_000)
def closest_form(surface: str, options: tuple[str, ...]) -> str:
    """The option most like what was written: same spelling first, then same key and letters."""
    norm = surface_norm(surface)
    for f in options:
        if surface_norm(f) == norm:
            return f
    return max(options, key=lambda f: _similarity(surface, f))


@lru_cache(maxsize=50_000)
def _fit(canonical: str, surface: str) -> str:
    """Carry the written form's sentence capital and line break over to the canonical one."""
    if surface == canonical or surface_norm(surface) == surface_norm(canonical):
        # The canonical spelling in another case ("Iraqi army", "HAMAS") is a matter
        # of style, not of spelling: it stays as written.
        return surface
    out = canonical
    if surface[:1].isupper() and out[:1].islower():
        out = out[0].upper() + out[1:]
    if "\n" in surface:
        head = surface[: surface.index("\n")]
        words_before = len(head.split())
        gap = re.search(r"\s*\n\s*", surface)
        parts = out.split(" ")
        if gap and 0 < words_before < len(parts):
            out = " ".join(parts[:words_before]) + gap.group() + " ".join(parts[words_before:])
    return out


class Normalizer:
    """Rewrites texts to canonical names with one gazetteer.

    ``fuzzy`` finds unseen spellings of capitalized names; ``thresholds`` (by default
    the gazetteer's) say how close they must come; ``rewrite_foreign_script``
    decides whether a name written in Arabic or Hebrew script is replaced by its
    Latin canonical form (``None``: only inside Latin-script paragraphs).
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        *,
        fuzzy: bool = True,
        thresholds: Thresholds | None = None,
        rewrite_foreign_script: bool | None = None,
        cache_size: int = 50_000,
    ) -> None:
        self.gazetteer = gazetteer
        self.fuzzy = fuzzy
        # The gazetteer's own unless told otherwise, so that a text links a name as
        # ``gazetteer.link`` does.
        self.thresholds = thresholds or gazetteer.thresholds
        self.rewrite_foreign_script = rewrite_foreign_script
        self._cache: dict[str, Match | None] = {}
        self._cache_size = cache_size
        self._span_cache: dict[tuple[str, str], _SpanOutcome | None] = {}
        self._form_cache: dict[tuple[int, str, bool], tuple[str, str, float]] = {}
        self._options_cache: dict[tuple[int, tuple[str, ...]], tuple[str, ...]] = {}
        self._reads_cache: dict[tuple[str, int, int, int], bool] = {}

    # -- finding -----------------------------------------------------------------

    def _link_cached(self, surface: str) -> Match | None:
        hit = self._cache.get(surface, False)
        if hit is not False:
            return hit  # type: ignore[return-value]
        m = link(self.gazetteer.index, surface, thresholds=self.thresholds)
        if len(self._cache) >= self._cache_size:
            del self._cache[next(iter(self._cache))]  # the oldest: dicts keep insertion order
        self._cache[surface] = m
        return m

    def _exact_candidates(self, scan: Scan, ix: Index) -> list[_Candidate]:
        out = []
        cache = self._span_cache
        new = tuple.__new__  # skips the named tuple's Python-level constructor
        text, starts, ends = scan.text, scan.starts, scan.ends
        for first, last, key in find_spans(scan, ix):
            surface = text[starts[first] : ends[last]]
            memo = (key, surface)
            found = cache.get(memo, _UNSEEN)
            if found is _UNSEEN:
                found = self._span_outcome(key, surface, first == last)
                if len(cache) > self._cache_size:
                    cache.clear()
                cache[memo] = found
            if found is not None:
                out.append(new(_Candidate, (first, last, found[0], found[1], None, found[2])))
        return out

    def _span_outcome(self, key: str, surface: str, single: bool) -> _SpanOutcome | None:
        found = self._span_entities(key, surface, single)
        if found is None:
            return None
        ents, short = found
        if len(ents) == 1 and not short:
            entity = self.gazetteer.index.entity(ents[0])
            canonical, method, score = self._form(ents[0], surface, False)
            return ents, short, (entity.id, canonical, entity.type, method, score)
        return ents, short, None

    def _span_entities(
        self, key: str, surface: str, single: bool
    ) -> tuple[tuple[int, ...], bool] | None:
        """The entities a key match may stand for, and whether only as a surname."""
        ix = self.gazetteer.index
        ais = ix.by_key(key)
        if not _any_capital(surface):
            # Lower-case words match only a lower-case form the gazetteer lists
            # ("peshmergas"); otherwise "hit" would be the Iraqi town of Hit.
            if not ix.lower_form(key, surface_norm(surface)):
                return None
        elif single and not _worth_a_word(surface, ix):
            return None
        if script_of(surface) != "latin":
            # Arabic script matches Arabic forms by key: without short vowels its key
            # is too loose for Latin names ("باتت" is not Baath). Latin names are for
            # the fuzzy pass, in Latin-script paragraphs only.
            ais = [a for a in ais if script_of(ix.text(a)) != "latin"]
            if not ais:
                return None
        full = ix.full(ais)
        chosen = ix.best(full or ais)
        ents = ix.owners(chosen)
        if len(ents) > 1:
            # Entities that share a key may still differ in spelling: a form
            # written exactly as one of them lists it settles the question.
            norm = surface_norm(surface)
            exact = ix.owners(a for a in chosen if surface_norm(ix.text(a)) == norm)
            ents = exact or ents
        return ents, not full

    def _fuzzy_candidates(
        self, scan: Scan, covered: set[int], opened: dict[int, tuple[int, int]]
    ) -> tuple[list[_Candidate], list[tuple[int, int]]]:
        """Fuzzy finds in runs of capitalized words outside ``covered``.

        ``opened`` maps the words of known matches let into the runs to their spans:
        a window may take such a match in whole, with words before it, or leave it out.
        """
        found: list[_Candidate] = []
        missed: list[tuple[int, int]] = []
        ix = self.gazetteer.index
        cache, is_name_word = self._cache, scan.is_name_word
        text, starts, ends = scan.text, scan.starts, scan.ends
        for a, b in name_runs(scan, covered):
            hit_any = False
            s = a
            while s <= b:
                took = False
                known = opened.get(s)
                if known is not None:
                    s = known[1] + 1  # a known match is not read again on its own
                    continue
                for e in range(min(b, s + _MAX_WINDOW - 1), s - 1, -1):
                    if not (is_name_word(s) and is_name_word(e)):
                        continue  # a window neither starts nor ends on a particle
                    known = opened.get(e)
                    if known is not None and e != known[1]:
                        continue  # it would cut a known match in two
                    surface = text[starts[s] : ends[e]]
                    m = cache[surface] if surface in cache else self._link_cached(surface)
                    if m is None or not _plausible_in_text(surface, m, single=(s == e)):
                        continue
                    first = extend_over_article(scan, s)
                    found.append(_Candidate(first, e, (ix.entity_index(m.entity.id),), match=m))
                    s, took, hit_any = e + 1, True, True
                    break
                if not took:
                    s += 1
            if not hit_any and (b > a or not sentence_initial(scan, a)):
                missed.append((a, b))
        return found, missed

    # -- resolving -----------------------------------------------------------------

    def normalize(self, text: str) -> NormalizedText:
        """Rewrite ``text``; mentions come in document order."""
        ix = self.gazetteer.index
        scan = scan_text(text, ix.key_steps)
        cands, missed = self._find(scan)

        mentions: list[Mention] = []
        ambiguous: list[Mention] = []
        weak: list[Mention] = []
        words: list[tuple[int, int]] = []  # each mention's first and last word
        seen: set[int] = set()  # entities resolved earlier in this document
        starts, ends = scan.starts, scan.ends
        for c in cands:
            start, end = starts[c.first], ends[c.last]
            surface = text[start:end]
            if c.fields is not None:
                # The common case, one entity by key: all but the offsets is cached.
                seen.add(c.entities[0])
                mentions.append(Mention(start, end, surface, RESOLVED, *c.fields))
                words.append((c.first, c.last))
                continue
            m = self._resolve_candidate(c, start, end, surface, seen, ix)
            if m.status == RESOLVED:
                seen.add(ix.entity_index(m.entity_id))  # type: ignore[arg-type]
                mentions.append(m)
                words.append((c.first, c.last))
            elif m.status == AMBIGUOUS:
                ambiguous.append(m)
            else:
                weak.append(m)
        unresolved = [
            Mention(
                scan.starts[a],
                scan.ends[b],
                scan.span_text(a, b),
                status=UNRESOLVED,
            )
            for a, b in missed
        ]
        unresolved = sorted([*unresolved, *weak], key=lambda m: m.start)
        out_text, mentions = self._rewrite(scan, mentions, words, ambiguous)
        return NormalizedText(text, out_text, mentions, ambiguous, unresolved)

    def _find(self, scan: Scan) -> tuple[list[_Candidate], list[tuple[int, int]]]:
        """The candidate mentions of a text, in order, and the name runs that matched nothing."""
        ix = self.gazetteer.index
        cands = self._exact_candidates(scan, ix)
        missed: list[tuple[int, int]] = []
        covered = {i for c in cands for i in range(c.first, c.last + 1)}
        mark_name_words(scan, covered)
        if self.fuzzy:
            # A known surname may close a full name whose other words are spelled in
            # a way no key knows ("Mohamad Shiya al-Soudany"): the fuzzy pass sees
            # the whole run, and what it finds there replaces the surname alone.
            opened = _open_to_fuzzy(scan, cands, covered)
            spans = {
                w: (cands[i].first, cands[i].last)
                for i in opened
                for w in range(cands[i].first, cands[i].last + 1)
            }
            fuzzy, missed = self._fuzzy_candidates(scan, covered - spans.keys(), spans)
            if opened:
                cands, fuzzy, missed = _settle_opened(scan, cands, fuzzy, missed, opened)
            cands.extend(fuzzy)
            if fuzzy:
                cands.sort(key=lambda c: c.first)
        return cands, missed

    def _resolve_candidate(
        self, c: _Candidate, start: int, end: int, surface: str, seen: set[int], ix: Index
    ) -> Mention:
        ents = c.entities
        context = False
        if len(ents) > 1:
            known = [e for e in ents if e in seen]
            if len(known) != 1:
                return Mention(
                    start,
                    end,
                    surface,
                    status=AMBIGUOUS,
                    candidates=tuple(
                        Match(ix.entity(e), 1.0, "key", ix.entity(e).name) for e in ents
                    ),
                )
            ents, context = (known[0],), True
        ei = ents[0]
        entity = ix.entity(ei)
        if c.short:
            if ei in seen:
                context = True
            elif not self._exact_surname(ei, surface):
                # A surname spelled another way, with no full name before it, is too
                # weak to link: "Premier" is not Paul Bremer.
                return Mention(start, end, surface, status=UNRESOLVED)
        if c.match is not None:
            canonical = self._form(ei, surface, c.short)[0]
            method, score = c.match.method, c.match.score
        else:
            canonical, method, score = self._form(ei, surface, c.short)
        return Mention(
            start,
            end,
            surface,
            entity_id=entity.id,
            canonical=canonical,
            type=entity.type,
            method=method,
            score=score,
            context=context,
        )

    def _exact_surname(self, ei: int, surface: str) -> bool:
        """Whether a surname is written exactly as the gazetteer or the name has it."""
        ix = self.gazetteer.index
        norm = surface_norm(surface)
        if any(ix.owner(a) == ei for a in ix.exact(norm)):
            return True
        return norm in {surface_norm(f) for f in short_forms(ix.entity(ei).name)}

    def _form(self, ei: int, surface: str, short: bool) -> tuple[str, str, float]:
        """The canonical form for a surface, and how the surface matched (cached)."""
        memo = (ei, surface, short)
        hit = self._form_cache.get(memo)
        if hit is not None:
            return hit
        ix = self.gazetteer.index
        entity = ix.entity(ei)
        forms = entity.canonical_forms
        if short:
            forms = tuple(s for f in forms for s in short_forms(f)) or forms
        canonical = closest_form(surface, self._options(ei, forms))
        norm = surface_norm(surface)
        if norm == surface_norm(canonical):
            method, score = "exact", 1.0
        elif any(ix.owner(a) == ei and ix.is_alias(a) for a in ix.exact(norm)):
            method, score = "alias", 1.0
        else:
            method = "key"
            similar = fuzz.ratio(fold_text(surface), fold_text(canonical)) / 100
            score = 0.8 if short else 0.9 + 0.08 * similar
        if len(self._form_cache) > self._cache_size:
            self._form_cache.clear()
        self._form_cache[memo] = (canonical, method, score)
        return canonical, method, score

    def _options(self, ei: int, forms: tuple[str, ...]) -> tuple[str, ...]:
        """The forms a mention of entity ``ei`` may be written in (cached).

        A form's leading article is optional, as in news copy ("Mr. Soudani" becomes
        "Mr. Sudani" where the gazetteer lists "al-Sudani"), but only where the bare
        form still names the entity: "Mayadeen" alone is the town, not Al Mayadeen.
        """
        memo = (ei, forms)
        hit = self._options_cache.get(memo)
        if hit is not None:
            return hit
        ix = self.gazetteer.index
        out = [*forms]
        for bare in bare_forms(forms):
            key = name_key(bare)
            if not ix.has_key(key):
                continue
            found = self._span_entities(key, bare, len(TOKEN_RE.findall(bare)) == 1)
            if found is not None and found[0] == (ei,):
                out.append(bare)
        options = tuple(out)
        if len(self._options_cache) > self._cache_size:
            self._options_cache.clear()
        self._options_cache[memo] = options
        return options

    # -- rewriting -----------------------------------------------------------------

    def _rewrite(
        self,
        scan: Scan,
        mentions: list[Mention],
        words: list[tuple[int, int]],
        others: list[Mention],
    ) -> tuple[str, list[Mention]]:
        """Splice canonical forms in; everything between mentions is copied as it is.

        Each rewrite must stand when the output is read again: the form written, with
        the words around it, must read as the same name over the same span. Otherwise
        ("Hosein Amir Abdolahia" written "Hosein Amir-Abdollahian", which reads as a
        longer name) the mention keeps its spelling, so normalizing twice gives what
        normalizing once gave.
        """
        text = scan.text
        spans: list[tuple[int, int]] | None = None  # every name's span, when a script is asked
        news: list[str] = []
        for m in mentions:
            new = m.surface
            if m.canonical is not None:
                if new.isascii():
                    new = _fit(m.canonical, new)
                else:
                    if spans is None:
                        spans = sorted((x.start, x.end) for x in (*mentions, *others))
                    if self._may_rewrite(text, m, spans):
                        new = _fit(m.canonical, new)
            news.append(new)
        changed = [i for i, m in enumerate(mentions) if news[i] != m.surface]
        while True:
            out_text = _splice(text, mentions, news)
            bad = {i for i in changed if not self._stands(scan, mentions, words, i, out_text)}
            if not bad:
                return out_text, mentions
            # Reverting one rewrite changes its neighbours' surroundings: check again.
            for i in bad:
                news[i] = mentions[i].surface
            changed = [i for i in changed if i not in bad]

    def _stands(
        self,
        scan: Scan,
        mentions: list[Mention],
        words: list[tuple[int, int]],
        i: int,
        out_text: str,
    ) -> bool:
        """Whether rewritten mention ``i`` reads back as itself in ``out_text``.

        Read is the stretch of words joined to the mention, up to ``_READ_WORDS`` either
        side (a neighbouring mention counts whole, as written in the output).
        """
        gaps = scan.gaps
        n_words = len(scan)

        def joinable(w: int) -> bool:
            # An apostrophe between words ends a word only before Arabic script: the
            # form written in Latin letters may be read glued to the word before it.
            # (A single space, by far the most common gap, is tested first: this runs
            # for every word around every rewrite.)
            if w + 1 >= n_words:
                return False
            sep = gaps[w + 1]
            return sep == " " or scan.joinable(w) or _APOSTROPHES.fullmatch(sep) is not None

        first, last = words[i]
        j, w = i, first
        for _ in range(_READ_WORDS):
            if w == 0 or not joinable(w - 1):
                break
            w -= 1
            if j > 0 and words[j - 1][1] == w:
                j -= 1
                w = words[j][0]
        if j < i:
            lo = mentions[j].out_start
        else:
            shift = mentions[j - 1].out_end - mentions[j - 1].end if j > 0 else 0
            lo = scan.starts[w] + shift
        k, w = i, last
        n = len(mentions)
        for _ in range(_READ_WORDS):
            if not joinable(w):
                break
            w += 1
            if k + 1 < n and words[k + 1][0] == w:
                k += 1
                w = words[k][1]
        m = mentions[i]
        hi = mentions[k].out_end if k > i else scan.ends[w] + m.out_end - m.end
        window = out_text[lo:hi]
        ei = self.gazetteer.index.entity_index(m.entity_id)  # type: ignore[arg-type]
        memo = (window, m.out_start - lo, m.out_end - lo, ei)
        hit = self._reads_cache.get(memo)
        if hit is None:
            hit = self._reads_back(*memo)
            if len(self._reads_cache) > self._cache_size:
                self._reads_cache.clear()
            self._reads_cache[memo] = hit
        return hit

    def _reads_back(self, window: str, start: int, end: int, ei: int) -> bool:
        """Whether ``window[start:end]`` is found as one name of entity ``ei``, as written."""
        scan = scan_text(window, self.gazetteer.index.key_steps)
        cands, _ = self._find(scan)
        starts, ends = scan.starts, scan.ends
        over = [c for c in cands if starts[c.first] < end and start < ends[c.last]]
        if len(over) != 1:
            return False
        c = over[0]
        if starts[c.first] != start or ends[c.last] != end or ei not in c.entities:
            return False
        written = window[start:end]
        if c.fields is not None:
            canonical = c.fields[1]
        else:
            canonical = self._form(ei, written, c.short)[0]
        return _fit(canonical, written) == written

    def _may_rewrite(self, text: str, m: Mention, spans: list[tuple[int, int]]) -> bool:
        if script_of(m.surface) == "latin":
            return True
        if self.rewrite_foreign_script is not None:
            return self.rewrite_foreign_script
        # A name in Arabic script inside a Latin-script paragraph is a transliteration
        # gap to close; inside an Arabic paragraph it is the text itself. The names
        # are left out of the letter count, so that rewriting them cannot change the
        # verdict.
        p_start = text.rfind("\n\n", 0, m.start) + 1
        p_end = text.find("\n\n", m.end)
        p_end = len(text) if p_end < 0 else p_end
        inside = [(a, b) for a, b in spans if a >= p_start and b <= p_end]
        outside, names, pos = [], [], p_start
        for a, b in inside:
            outside.append(text[pos:a])
            names.append(text[a:b])
            pos = b
        outside.append(text[pos:p_end])
        letters = _ANY_LETTER.findall("".join(outside))
        if letters:
            latin = sum(1 for ch in letters if _LATIN_LETTER.match(ch))
            return latin / len(letters) > 0.5
        # Names alone ("AAH: آموس هوكشتاين"): each votes once for its script. Letters
        # would not do: rewriting "AAH" as "Asaib Ahl al-Haq" adds Latin ones, and the
        # next run would rewrite the Arabic name this one kept.
        latin_names = sum(1 for n in names if script_of(n) == "latin")
        return latin_names * 2 > len(names)


def _splice(text: str, mentions: list[Mention], news: list[str]) -> str:
    """``text`` with each mention replaced by its new text; sets the output offsets."""
    out: list[str] = []
    pos = 0
    length = 0
    for m, new in zip(mentions, news, strict=True):
        keep = text[pos : m.start]
        out.append(keep)
        out.append(new)
        length += len(keep)
        m.out_start = length
        length += len(new)
        m.out_end = length
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


def _worth_a_word(word: str, ix: Index) -> bool:
    """Whether one capitalized word may be a name on its own.

    Sentence openers ("The", "In") and words of three letters or fewer match
    only a form the gazetteer writes exactly so ("US", "PMF").
    """
    stop, titles, _ = word_lists()
    low = word.lower()
    if low in stop or low in titles or len(word) <= 3:
        return any(ix.text(a) == word for a in ix.exact(surface_norm(word)))
    return True


def _any_capital(text: str) -> bool:
    # str.islower() is true only when every cased letter is lower case and there is
    # one; a name with letters of a script without case (Arabic, Hebrew) counts as
    # capitalized, also beside a lower-case article ("al كركوك").
    return not text.islower() or script_of(text) != "latin"


def _open_to_fuzzy(scan: Scan, cands: list[_Candidate], covered: set[int]) -> list[int]:
    """Matches that may close a longer name: a surname alone, or part of a person's
    name, right after a capitalized word that matched nothing ("Mohamad Shiya al-Soudany")."""
    stop, titles, _ = word_lists()
    out = []
    for i, c in enumerate(cands):
        if not (c.short or (c.fields is not None and c.fields[2] == "person")):
            continue
        before = c.first - 1
        if before < 0 or before in covered or not scan.joinable(before):
            continue
        word = scan.words[before].lower()
        if scan.is_name_word(before) and word not in stop and word not in titles:
            out.append(i)
    return out


def _settle_opened(
    scan: Scan,
    cands: list[_Candidate],
    fuzzy: list[_Candidate],
    missed: list[tuple[int, int]],
    opened: list[int],
) -> tuple[list[_Candidate], list[_Candidate], list[tuple[int, int]]]:
    """A fuzzy find that takes in opened matches whole, and words before them, replaces
    them; runs that matched nothing stop before them."""
    replaced: set[int] = set()
    finds = []
    for f in fuzzy:
        over = [i for i in opened if cands[i].first <= f.last and f.first <= cands[i].last]
        if not over:
            finds.append(f)
        elif f.first < cands[over[0]].first and cands[over[-1]].last <= f.last:
            finds.append(f)  # the known name and words before it: one longer name
            replaced.update(over)
        # Otherwise the find is the known name again, or cuts it in two: it stands.
    kept = [c for i, c in enumerate(cands) if i not in replaced]
    still = {
        w for i in opened if i not in replaced for w in range(cands[i].first, cands[i].last + 1)
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
            if last > start or (last == start and not sentence_initial(scan, start)):
                runs.append((start, last))
            start = w + 1
    return kept, finds, runs


def _plausible_in_text(surface: str, m: Match, *, single: bool) -> bool:
    """Guards for fuzzy finds in running text, where most capitals are not names."""
    if single:
        letters = len(_ANY_LETTER.findall(surface))
        if m.score < _SINGLE_WORD_FUZZY or letters < 4:
            return False
    # A derived word is not its root: "Iraqi" is not "Iraq", "Syrian" not "Syria".
    sk, mk = name_key(surface), name_key(m.matched)
    if sk != mk and (sk.startswith(mk) or mk.startswith(sk)) and abs(len(sk) - len(mk)) <= 4:
        return False
    return True
