"""Describing millions of forms for a compile: ``describe``'s rows, in fewer steps a form.

Reach for this module in the keying workers of a compile. ``describe`` recomputes
for every form what depends on one word alone (its key pieces) or one skeleton
piece alone (its blocks, a piece and every deletion of a letter), and a compile
meets the same words again and again (given and family names, the words of real
places, their variants). ``Describer`` keeps both per distinct word and piece, and
the rows of forms met before (the short forms of people recur), in tables sized
for a compile rather than for running text (``LIMIT`` entries each, emptied when
full), and folds plain-ASCII forms without transliterating them. Its rows are
``describe``'s, blocks as a tuple: tests compare the two form by form.
"""

from __future__ import annotations

from canonym.gazetteer.index import KIND_BARE, KIND_SHORT, deletes
from canonym.names.keys import HYPHENS, article_last, skeleton, unit_pieces, word_units
from canonym.text.normalize import fold_text, surface_norm
from canonym.text.tokenize import cap_like, tokenize

__all__ = ["LIMIT", "ROWS", "Describer", "Row", "fold_ascii"]

# An ``Alias`` as a plain tuple, its blocks a tuple: what a worker sends back costs
# a fraction of the named tuple and frozenset to unpickle.
Row = tuple[str, int, str, str, str, str | None, str | None, bool, tuple[str, ...]]
# Entries a table holds before it is emptied: above the ~223,000 distinct words of
# the GeoNames cities, and about 200 MB a worker; rows, larger, are fewer.
LIMIT = 1 << 19
ROWS = 1 << 16
Units = tuple[tuple[str, str], ...]
# A word: its units, and the key pieces it gives whatever follows it (None when its
# last unit may be an article, whose fate the next word decides).
Word = tuple[Units, tuple[str, ...] | None]

# Every ASCII character but a letter or digit, to a space: ``fold_text`` of an ASCII
# text, whose transliteration is the text itself.
_NOT_ALNUM = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})


def fold_ascii(text: str) -> str:
    """``fold_text(text)``, without transliterating a text that is plain ASCII."""
    if text.isascii():
        return " ".join(text.lower().translate(_NOT_ALNUM).split())
    return fold_text(text)


class Describer:
    """``describe`` for a compile, with tables of what one word or one piece gives."""

    def __init__(self, limit: int = LIMIT, rows: int = ROWS) -> None:
        self.limit = limit
        self.rows = rows
        self._words: dict[str, Word] = {}
        self._blocks: dict[str, frozenset[str]] = {}
        self._rows: dict[tuple[str, int, bool], Row | None] = {}

    def row(self, text: str, kind: int, key_only: bool = False) -> Row | None:
        """``describe(text, kind, key_only)`` as a row, its blocks a tuple."""
        memo = (text, kind, key_only)
        rows = self._rows
        if memo in rows:
            return rows[memo]
        got = self._describe(text, kind, key_only)
        if len(rows) >= self.rows:
            rows.clear()
        rows[memo] = got
        return got

    def _word(self, word: str) -> Word:
        words = self._words
        got = words.get(word)
        if got is None:
            units = word_units(word)
            fixed = None if article_last(units) else unit_pieces(units, None, False, strict=False)
            got = (units, fixed)
            if len(words) >= self.limit:
                words.clear()
            words[word] = got
        return got

    def _block(self, s: str) -> frozenset[str]:
        blocks = self._blocks
        got = blocks.get(s)
        if got is None:
            got = frozenset({s, *deletes(s)}) if len(s) >= 3 else frozenset((s,))
            if len(blocks) >= self.limit:
                blocks.clear()
            blocks[s] = got
        return got

    def _describe(self, text: str, kind: int, key_only: bool) -> Row | None:
        toks = tokenize(text)
        per = [self._word(t.text) for t in toks]
        # As ``pieces`` (lenient): a word's pieces, the next word's first unit key
        # deciding an article it ends in.
        keys: list[str] = []
        lead = -1
        n = len(toks)
        for i, (units, fixed) in enumerate(per):
            if not units:
                continue
            if fixed is None:
                later = next((u for u, _ in per[i + 1 :] if u), None)
                next_key = later[0][1] if later else None
                hyphen = i + 1 < n and text[toks[i].end : toks[i + 1].start] in HYPHENS
                fixed = unit_pieces(units, next_key, hyphen, strict=False)
            if fixed and lead < 0:
                lead = i
                lead_key = fixed[0]
            keys.extend(fixed)
        key = " ".join(keys)
        if not key:
            return None
        skel = " ".join(s for s in map(skeleton, key.split()) if s)
        opens_lower = None if cap_like(toks[lead].text) else lead_key
        if kind == KIND_SHORT or key_only:
            return (text, kind, key, skel, fold_ascii(text), opens_lower, None, False, ())
        block_keys: set[str] = set()
        for s in skel.split():
            block_keys |= self._block(s)
        if " " in skel:
            block_keys.add(skel.replace(" ", ""))
        if kind == KIND_BARE:  # for fuzzy search only: no surface, no lower-case lead
            return (text, kind, key, skel, fold_ascii(text), None, None, False, tuple(block_keys))
        lower = not any(cap_like(t.text) for t in toks)
        return (
            text, kind, key, skel, fold_ascii(text), opens_lower, surface_norm(text), lower,
            tuple(block_keys),
        )  # fmt: skip
