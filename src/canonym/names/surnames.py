"""Surname forms of a person's name, as news copy writes the person once named.

Reach for this module for what a person is called after the first mention:
``short_forms("Abu Mahdi al-Muhandis")`` is "al-Muhandis" and "Muhandis". The
gazetteer files them as surnames (resolved through a document's context), and
the rewriter and the context use them to recognize a later mention.
"""

from __future__ import annotations

from functools import lru_cache

from canonym.names.particles import particles
from canonym.text.tokenize import tokenize

__all__ = ["short_forms"]


@lru_cache(maxsize=100_000)
def short_forms(name: str) -> tuple[str, ...]:
    """Surname forms of a person's name: "Abu Mahdi al-Muhandis" -> "al-Muhandis", "Muhandis".

    A particle before the surname stays with it ("bin Salman"), as news copy writes it.
    """
    return tuple(_short_forms(name))


def _short_forms(name: str) -> list[str]:
    toks = tokenize(name)
    if len(toks) < 2:
        return []
    joined, articles = particles().particle_forms, particles().articles
    last = toks[-1]
    start = last.start
    # Walk back over an article hyphenated to the surname (al-, ash-).
    prev = toks[-2]
    if (
        prev.text.lower() in articles
        and name[prev.end : last.start] in ("-", " ")
        and len(toks) > 2
    ):
        start = prev.start
        bare = name[last.start :]
        if len(toks) > 3 and toks[-3].text.lower() in joined:
            return [name[toks[-3].start :]]
        return [name[start:], bare]
    if prev.text.lower() in joined and len(toks) > 2:
        return [name[prev.start :]]
    return [name[start:]]
