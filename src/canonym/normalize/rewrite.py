"""Rewriting: the form each resolved mention takes, and splicing it into the text.

Reach for this module for the last stage of normalizing. The canonical form
closest to what was written is chosen (a leading article optional), the written
case and line breaks carried over, names in another script kept or replaced by
the paragraph's script, and every rewrite read back: a form that would read as
another name where it stands keeps its spelling.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import fuzz

from canonym.gazetteer.index import Index, short_forms
from canonym.gazetteer.memo import Memo
from canonym.names.keys import name_key
from canonym.names.particles import particles
from canonym.names.suffixes import is_inflection
from canonym.normalize.candidates import Candidate
from canonym.normalize.guards import span_entities
from canonym.normalize.languages import AUTO, ParagraphLanguages
from canonym.normalize.mention import Mention
from canonym.normalize.scan import Scan, scan_text
from canonym.normalize.splice import glosses, splice
from canonym.normalize.style import closest_form, fit_style, fit_style_at, fits_elision
from canonym.text.normalize import drop_leading_article, fold_text, surface_norm
from canonym.text.scripts import latin_letter_share, script_of
from canonym.text.tokenize import TOKEN_RE

__all__ = ["Rewriter", "bare_forms"]

# Words read either side of a rewritten name to check that it still reads as itself.
_READ_WORDS = 6
_APOSTROPHES = re.compile("['\u2019\u02bc\u2018`\u02bf\u02be\u00b4]+")

# What an elision before a name ends with: only after one may a form not fit (a
# tuple, not a string: the empty slice before a text's start is no mark).
_ELISION_MARKS = ("'", "\u2019")

# The candidate stage, to read a rewritten window again.
Find = Callable[[Scan], tuple[list[Candidate], list[tuple[int, int]]]]


def bare_forms(forms: tuple[str, ...]) -> list[str]:
    """The forms without their leading article, as news copy often writes them."""
    arts = particles().bare_articles
    return [
        b for b in dict.fromkeys(drop_leading_article(f, arts) for f in forms) if b not in forms
    ]


class Rewriter:
    """Chooses forms and rewrites texts for one index (memoized).

    ``rewrite_foreign_script``: whether a name in Arabic or Hebrew script is replaced
    by its Latin form (``None``: only inside Latin-script paragraphs). ``forms``:
    ``auto`` writes each paragraph's names in that paragraph's language, a language
    code (``en``, ``fr``...) that language's forms everywhere.
    """

    def __init__(
        self,
        index: Index,
        *,
        rewrite_foreign_script: bool | None,
        cache_size: int,
        forms: str = AUTO,
    ) -> None:
        self.index = index
        self.forms = forms
        self.rewrite_foreign_script = rewrite_foreign_script
        self._forms: Memo[tuple[int, str, bool], tuple[str, str, float]] = Memo(cache_size)
        self._options: Memo[tuple[int, tuple[str, ...]], tuple[str, ...]] = Memo(cache_size)
        self._reads: Memo[tuple[str, int, int, int, str], bool] = Memo(cache_size)
        self._local: Memo[tuple[int, str, str, str], str | None] = Memo(cache_size)
        # (entity id, surface, canonical form, language) -> the form, and as written
        self._styled: Memo[tuple[str, str, str, str], tuple[str | None, str | None]] = Memo(
            cache_size
        )

    def form(self, ei: int, surface: str, short: bool) -> tuple[str, str, float]:
        """The canonical form for a surface, and how the surface matched (cached)."""
        memo = (ei, surface, short)
        hit = self._forms.get(memo)
        if hit is not None:
            return hit
        ix = self.index
        entity = ix.entity(ei)
        forms = entity.canonical_forms
        if short:
            forms = tuple(s for f in forms for s in short_forms(f)) or forms
        canonical = closest_form(surface, self._forms_for(ei, forms))
        norm = surface_norm(surface)
        if norm == surface_norm(canonical):
            method, score = "exact", 1.0
        elif any(ix.owner(a) == ei and ix.is_alias(a) for a in ix.exact(norm)):
            method, score = "alias", 1.0
        else:
            method = "key"
            similar = fuzz.ratio(fold_text(surface), fold_text(canonical)) / 100
            score = 0.8 if short else 0.9 + 0.08 * similar
        return self._forms.put(memo, (canonical, method, score))

    def local_form(self, ei: int, surface: str, canonical: str, lang: str) -> str | None:
        """The form entity ``ei`` takes in a paragraph in ``lang``; ``None``: as written.

        ``canonical`` is the English form chosen for ``surface``. An entity with no
        form in ``lang`` keeps the spelling found; so does a Latin-script gloss in a
        paragraph whose forms are all in another script.
        """
        if lang == "en":
            return canonical
        memo = (ei, surface, canonical, lang)
        hit = self._local.get(memo, False)
        if hit is not False:
            return hit  # type: ignore[return-value]
        return self._local.put(memo, self._local_form(ei, surface, canonical, lang))

    def _local_form(self, ei: int, surface: str, canonical: str, lang: str) -> str | None:
        entity = self.index.entity(ei)
        forms = entity.forms_for(lang)
        if not forms:
            return None
        latin = script_of(surface) == "latin"
        if latin and all(script_of(f) != "latin" for f in forms):
            return None
        if canonical not in self._forms_for(ei, entity.canonical_forms) or (
            canonical in short_forms(entity.name)
        ):
            # A surname alone ("Sudani") takes the surname of the local form.
            forms = tuple(s for f in forms for s in short_forms(f)) or forms
        options = self._forms_for(ei, forms)
        closest = closest_form(surface, options)
        if surface_norm(closest) != surface_norm(surface) and any(
            is_inflection(surface, f, lang) for f in options
        ):
            return None  # the form in the sentence's grammar ("im Roten Meer")
        return closest

    def _written(
        self, entity_id: str, surface: str, canonical: str, lang: str
    ) -> tuple[str | None, str | None]:
        """The form a mention takes in ``lang`` (``None``: as written), and how it is
        written where that depends on nothing around it: a surface in ASCII, not in
        capitals (``None`` otherwise: the line or the paragraph decides)."""
        target = self.local_form(self.index.entity_index(entity_id), surface, canonical, lang)
        if target is None or not surface.isascii() or surface.isupper():
            return target, None
        return target, fit_style(target, surface)

    def _forms_for(self, ei: int, forms: tuple[str, ...]) -> tuple[str, ...]:
        """The forms a mention of entity ``ei`` may be written in (cached).

        A form's leading article is optional, as in news copy ("Mr. Soudani" becomes
        "Mr. Sudani" where the gazetteer lists "al-Sudani"), but only where the bare
        form still names the entity: "Mayadeen" alone is the town, not Al Mayadeen.
        """
        memo = (ei, forms)
        hit = self._options.get(memo)
        if hit is not None:
            return hit
        ix = self.index
        out = [*forms]
        for bare in bare_forms(forms):
            key = name_key(bare)
            if not ix.has_key(key):
                continue
            found = span_entities(ix, key, bare, len(TOKEN_RE.findall(bare)) == 1)
            if found is not None and found[0] == (ei,):
                out.append(bare)
        return self._options.put(memo, tuple(out))

    def rewrite(
        self,
        find: Find,
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
        langs = ParagraphLanguages(
            text, self.forms, [(x.start, x.end) for x in (*mentions, *others)]
        )
        glossed = glosses(text, mentions)
        scripts: dict[tuple[int, int], bool] = {}  # each paragraph's verdict, once
        news: list[str] = []
        written = self._styled
        for i, m in enumerate(mentions):
            new = m.surface
            m.language = langs.at(m.start)
            if (
                m.canonical is not None
                and m.entity_id is not None
                and i not in glossed
                and m.method != "document"  # a word known from the text, kept as written
            ):
                memo = (m.entity_id, new, m.canonical, m.language)
                hit = written.get(memo)
                if hit is None:
                    hit = written.put(memo, self._written(*memo))
                target, styled = hit
                if target is not None:
                    m.form_language = m.language
                    if styled is not None:
                        new = styled
                    elif new.isascii():
                        new = fit_style_at(target, new, text, m.start, m.end)
                    else:
                        if spans is None:
                            spans = sorted((x.start, x.end) for x in (*mentions, *others))
                        if self._may_rewrite(text, m, spans, scripts):
                            new = fit_style_at(target, new, text, m.start, m.end)
            if (
                new != m.surface
                and text[m.start - 1 : m.start] in _ELISION_MARKS
                and not fits_elision(text, m.start, new)
            ):
                new = m.surface
            news.append(new)
        changed = [i for i, m in enumerate(mentions) if news[i] != m.surface]
        while True:
            out_text = splice(text, mentions, news)
            bad = {i for i in changed if not self._stands(find, scan, mentions, words, i, out_text)}
            if not bad:
                for m, new in zip(mentions, news, strict=True):
                    m.written = new
                return out_text, mentions
            # Reverting one rewrite changes its neighbours' surroundings: check again.
            for i in bad:
                news[i] = mentions[i].surface
            changed = [i for i in changed if i not in bad]

    def _stands(
        self,
        find: Find,
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
        # Words w and w + 1 are read together where the gap between them is a single
        # space (by far the most common gap, so tested first), joins two words of a
        # name, or is an apostrophe: that ends a word only before Arabic script, and
        # the form written in Latin letters may be read glued to the word before it.
        # The test is written out in both walks below: it runs for every word around
        # every rewrite.
        apostrophes = _APOSTROPHES.fullmatch
        joins = scan.joinable
        first, last = words[i]
        j, w = i, first
        for _ in range(_READ_WORDS):
            if w == 0:
                break
            sep = gaps[w]
            if sep != " " and not joins(w - 1) and apostrophes(sep) is None:
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
            if w + 1 >= n_words:
                break
            sep = gaps[w + 1]
            if sep != " " and not joins(w) and apostrophes(sep) is None:
                break
            w += 1
            if k + 1 < n and words[k + 1][0] == w:
                k += 1
                w = words[k][1]
        m = mentions[i]
        hi = mentions[k].out_end if k > i else scan.ends[w] + m.out_end - m.end
        window = out_text[lo:hi]
        ei = self.index.entity_index(m.entity_id)  # type: ignore[arg-type]
        memo = (window, m.out_start - lo, m.out_end - lo, ei, m.language or "en")
        hit = self._reads.get(memo)
        if hit is None:
            hit = self._reads.put(memo, self._reads_back(find, *memo))
        return hit

    def _reads_back(
        self, find: Find, window: str, start: int, end: int, ei: int, lang: str
    ) -> bool:
        """Whether ``window[start:end]`` is found as one name of entity ``ei``, as written."""
        scan = scan_text(window, self.index.key_steps)
        cands, _ = find(scan)
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
            canonical = self.form(ei, written, c.short)[0]
        local = self.local_form(ei, written, canonical, lang)
        return local is None or fit_style_at(local, written, window, start, end) == written

    def _may_rewrite(
        self,
        text: str,
        m: Mention,
        spans: list[tuple[int, int]],
        scripts: dict[tuple[int, int], bool],
    ) -> bool:
        if script_of(m.surface) == "latin":
            return True
        if self.rewrite_foreign_script is not None:
            return self.rewrite_foreign_script
        p_start = text.rfind("\n\n", 0, m.start) + 1
        p_end = text.find("\n\n", m.end)
        p_end = len(text) if p_end < 0 else p_end
        # The verdict is the paragraph's, the same for each of its names.
        hit = scripts.get((p_start, p_end))
        if hit is None:
            hit = scripts[p_start, p_end] = _latin_paragraph(text, p_start, p_end, spans)
        return hit


def _latin_paragraph(text: str, p_start: int, p_end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether the paragraph text[p_start:p_end] is in Latin script, its names aside."""
    # A name in Arabic script inside a Latin-script paragraph is a transliteration
    # gap to close; inside an Arabic paragraph it is the text itself. The names
    # are left out of the letter count, so that rewriting them cannot change the
    # verdict.
    inside = [(a, b) for a, b in spans if a >= p_start and b <= p_end]
    outside, names, pos = [], [], p_start
    for a, b in inside:
        outside.append(text[pos:a])
        names.append(text[a:b])
        pos = b
    outside.append(text[pos:p_end])
    share = latin_letter_share("".join(outside))
    if share is not None:
        return share > 0.5
    # Names alone ("AAH: آموس هوكشتاين"): each votes once for its script. Letters
    # would not do: rewriting "AAH" as "Asaib Ahl al-Haq" adds Latin ones, and the
    # next run would rewrite the Arabic name this one kept.
    latin_names = sum(1 for n in names if script_of(n) == "latin")
    return latin_names * 2 > len(names)
