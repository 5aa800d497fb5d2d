"""What resolving keeps from one name to the next: blocks by skeleton, and what
alignment asks of each gazetteer form.

Reach for this module to see what ``match.resolve`` remembers. Blocking depends on
the index and a name's skeleton tokens alone, and the spellings of one name share
their skeleton (Mossoul, Mosul and Mawsil are all ``msl``), as do the other
readings ``resolve`` tries for one name and the letters of an Arabic-script name
read two ways: a third of the blocks a stream of names asks for were asked for
before. They are kept for the last index blocked, as compact arrays. Whether a
form opens with the article, and how it reads in Turkish spelling, depend on the
form alone: each is worked out once per index.
"""

from __future__ import annotations

from array import array
from typing import Any

from canonym.gazetteer.memo import LastIndex, Memo
from canonym.match.blocking import blocked
from canonym.names.keys import name_key
from canonym.names.readings import opens_with_article, turkish_reading

__all__ = ["blocked_once", "forget_blocks", "form_reading"]

# Blocks kept at most (a few kilobytes each) before the memo is emptied and refills,
# and forms' readings (a few hundred bytes each).
_SIZE = 8192
_FORMS_SIZE = 200_000

# Each kept for the last index asked about, held with it as one pair so that a
# thread never files one index's answer under another's.
_kept: LastIndex[Memo[tuple[tuple[str, ...], int], array[int]]] = LastIndex(
    lambda ix: Memo(_SIZE)
)  # blocks by (skeleton tokens, limit)
_forms: LastIndex[Memo[int, tuple[bool, tuple[str, float] | None]]] = LastIndex(
    lambda ix: Memo(_FORMS_SIZE)
)  # forms' readings by alias


def blocked_once(ix: Any, tokens: list[str], limit: int) -> array[int]:
    """``match.blocking.blocked``, each alias once, worked out once per index and skeleton.

    An index never changes once built, so a block found stays right for it.
    """
    kept = _kept(ix)
    at = (tuple(tokens), limit)
    got = kept.get(at)
    if got is None:
        found = blocked(ix, tokens, limit)
        if len(tokens) > 1:
            # Each alias once: the block of a compound's joined skeleton may repeat a token's.
            found = list(dict.fromkeys(found))
        got = kept.put(at, array("l", found))
    return got


def forget_blocks() -> None:
    """Empty the blocks kept (benchmarks measure names met for the first time)."""
    _kept.forget()


def form_reading(ix: Any, ai: int) -> tuple[bool, tuple[str, float] | None]:
    """Of an alias: whether it opens with the Arabic article, and the key of its
    Turkish reading with that reading's cost (None when it reads the same).

    Worked out once per form: they depend on the gazetteer alone, and an Arabic-script
    name asks them of each of the two dozen forms it is aligned with.
    """
    forms = _forms(ix)  # a compiled index of millions of forms refills it
    got = forms.get(ai)
    if got is None:
        text = ix.text(ai)
        turkish = turkish_reading(text)
        read = None if turkish is None else (name_key(turkish[0]), turkish[1])
        got = forms.put(ai, (opens_with_article(text), read))
    return got
