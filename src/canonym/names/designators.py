"""Designator words: the kind of place written around its name (Shahr-e, Province).

Reach for this module to read a place name without the words that say what
kind of place it is: ``undesignated("Bayburt Province")`` is "Bayburt",
``undesignated("Shahrak-e Golestan")`` is "Golestan". A gazetteer form is read
so too (``listed_bare``, which also drops the words a form carries and a mention
often leaves out: "Bandar-e Anzali" is filed as "Anzali" too), so that a name
written without them meets the form that has them. The words are data
(``data/designators.yaml``), compared by their name keys, so that every
spelling of one (Shahrestan, Šahrestān) is met.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from canonym.data import load_data
from canonym.names.keys import fold, name_key, token_key
from canonym.text.normalize import surface_norm

__all__ = ["bare_forms", "listed_bare", "undesignated"]

# A word of a name: hyphens, spaces and punctuation between words split it, an
# apostrophe inside it (Qal'at) does not.
_WORD = re.compile(r"[^\s\-\u2011\u2010(),;/]+")
_BRACKETS = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_COMMA = re.compile(r"\s*[,\u060c]\s*")
# What sets words, a gloss or a region apart: a name without any is one word.
_APART = re.compile(r"[\s\-\u2011\u2010(),;/\[\u060c]")


def _keyed(words: list[object]) -> frozenset[str]:
    return frozenset(token_key(fold(str(w))) for w in words) - {""}


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    data = load_data("designators.yaml")
    before = _keyed([*data["before"], *data["articles"]])
    # A listed form keeps its article: La Ceiba and Las Tunas are not Ceiba and Tunas.
    listed = _keyed([*data["before"], *data["listed_only"]])
    return before, _keyed(data["after"]), _keyed(data["connectors"]), listed


@lru_cache(maxsize=100_000)
def _key(word: str) -> str:
    # Cached: a compile reads every multi-word form, and its words recur (Al, Shahr).
    return token_key(fold(word))


def undesignated(name: str, *, listed: bool = False) -> str | None:
    """``name`` without the designator words at its start and end, a bracketed
    gloss, or the region after a comma; None when it has none of them, or when
    nothing but them is left. ``listed`` reads a gazetteer form, whose leading
    words a mention leaves out more often (``listed_bare``)."""
    before, after, connectors, listed_before = _tables()
    if listed:
        before = listed_before
    # What follows a comma says where the place is (its province or country).
    text = _COMMA.split(_BRACKETS.sub("", name).strip(), maxsplit=1)[0]
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    keys = [_key(text[s:e]) for s, e in words]
    i, j = 0, len(words)
    while j - i > 1:
        if keys[i] in before:
            i += 1
            # The ezafe or "of" joining it to the name goes with it.
            while j - i > 1 and keys[i] in connectors:
                i += 1
        elif keys[j - 1] in after:
            j -= 1
        else:
            break
    if j - i < 1 or keys[i] in connectors:
        return None
    bare = text[words[i][0] : words[j - 1][1]]
    return bare if bare != name.strip() and bare else None


def listed_bare(form: str) -> str | None:
    """A gazetteer form without its designator words, when that makes another key
    (an article dropped alone changes nothing the key does not drop already)."""
    if not _APART.search(form):
        return None  # one word: nothing to read off (a gazetteer compile asks for each form)
    bare = undesignated(form, listed=True)
    if bare is None or name_key(bare) == name_key(form):
        return None
    return bare


def bare_forms(forms: Sequence[str]) -> list[str]:
    """The ``listed_bare`` readings of a place's forms, each once, that are not
    among its forms already."""
    out: dict[str, str] = {}
    for text in forms:
        bare = listed_bare(text)
        if bare is not None:
            out.setdefault(surface_norm(bare), bare)
    if out:
        for text in forms:
            out.pop(surface_norm(text), None)
    return list(out.values())
