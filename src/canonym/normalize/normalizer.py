"""Rewriting a text so that every name takes its canonical spelling.

Reach for this module to normalize one document: ``Normalizer(gz).normalize(text)``
runs three stages over a scan of the text, each with its own module: candidate
mentions (``candidates``), the entity each names in document context
(``context``), and the rewritten text (``rewrite``). Text outside mentions is
kept byte for byte.
"""

from __future__ import annotations

from canonym.gazetteer.core import Gazetteer
from canonym.gazetteer.memo import Memo
from canonym.match.resolve import Thresholds
from canonym.normalize.candidates import CandidateFinder
from canonym.normalize.context import resolve_mentions
from canonym.normalize.mention import Mention, NormalizedText
from canonym.normalize.rewrite import Rewriter
from canonym.normalize.scan import glued, scan_text

__all__ = ["Mention", "NormalizedText", "Normalizer"]

_APOSTROPHES = "'\u2019"  # as ``glued`` reads them before a name


class _Facts(Memo[str, tuple[str | None, str | None, tuple[float, float] | None]]):
    """Entity id -> the entity's kind, country and coordinates, for one index."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.index: object = None


class Normalizer:
    """Rewrites texts to canonical names with one gazetteer.

    ``fuzzy`` finds unseen spellings of capitalized names; ``thresholds`` (by default
    the gazetteer's) say how close they must come; ``rewrite_foreign_script``
    decides whether a name written in Arabic or Hebrew script is replaced by its
    Latin canonical form (``None``: only inside Latin-script paragraphs);
    ``forms`` says which language's canonical forms are written: ``auto`` each
    paragraph's own (English where it cannot be told), or one language code for
    all (``en``: the English canonical names everywhere); ``cache_size`` bounds
    each stage's memo.
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        *,
        fuzzy: bool = True,
        thresholds: Thresholds | None = None,
        rewrite_foreign_script: bool | None = None,
        cache_size: int = 50_000,
        forms: str = "auto",
    ) -> None:
        self.gazetteer = gazetteer
        self.fuzzy = fuzzy
        # The gazetteer's own unless told otherwise, so that a text links a name as
        # ``gazetteer.link`` does.
        self.thresholds = thresholds or gazetteer.thresholds
        self.rewrite_foreign_script = rewrite_foreign_script
        self.forms = forms
        index = gazetteer.index
        self._rewriter = Rewriter(
            index, rewrite_foreign_script=rewrite_foreign_script, cache_size=cache_size, forms=forms
        )
        # Entity id -> where the place is (kind, country, coordinates), for each mention.
        self._facts = _Facts(cache_size)
        self._finder = CandidateFinder(
            index,
            self.thresholds,
            fuzzy=fuzzy,
            form=self._rewriter.form,
            cache_size=cache_size,
        )

    def normalize(self, text: str) -> NormalizedText:
        """Rewrite ``text``; mentions come in document order."""
        index = self.gazetteer.index
        scan = scan_text(text, index.key_steps)
        cands, missed = self._finder.find(scan)
        found = resolve_mentions(index, scan, cands, missed, self._rewriter.form)
        out_text, mentions = self._rewriter.rewrite(
            self._finder.find,
            scan,
            found.mentions,
            found.words,
            [*found.ambiguous, *found.unresolved],
        )
        size = len(text)
        for m in (*mentions, *found.ambiguous, *found.unresolved):
            a, b = m.start, m.end
            # Most names have neither: tested here before ``glued`` reads the letters.
            if (a and (text[a - 1].isalpha() or text[a - 1] in _APOSTROPHES)) or (
                b < size and text[b].isalpha()
            ):
                m.clitic, m.ending = glued(text, a, b)
            else:
                m.clitic = m.ending = None
        facts = self._facts
        if facts.index is not index:  # the gazetteer's index was rebuilt
            facts.clear()
            facts.index = index
        for m in mentions:
            if m.entity_id is not None:
                fact = facts.get(m.entity_id)
                if fact is None:
                    e = index.entity(index.entity_index(m.entity_id))
                    fact = facts.put(m.entity_id, (e.kind, e.country, e.coordinates))
                m.kind, m.country, m.coordinates = fact
        return NormalizedText(text, out_text, mentions, found.ambiguous, found.unresolved)
