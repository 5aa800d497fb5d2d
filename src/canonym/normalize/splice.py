"""Putting rewritten names into a text: the output with its offsets, and the glosses
("name (gloss)") whose two names are kept as written."""

from __future__ import annotations

import re

from canonym.normalize.mention import Mention

__all__ = ["glosses", "splice"]

_GLOSS_OPEN = re.compile(r"\s*\(\s*")
_GLOSS_CLOSE = re.compile(r"\s*\)")


def glosses(text: str, mentions: list[Mention]) -> set[int]:
    """Mentions in a pair "name (gloss)" naming one entity twice: both kept as written."""
    out: set[int] = set()
    for i in range(1, len(mentions)):
        a, b = mentions[i - 1], mentions[i]
        if a.entity_id is None or a.entity_id != b.entity_id:
            continue
        if _GLOSS_OPEN.fullmatch(text, a.end, b.start) and _GLOSS_CLOSE.match(text, b.end):
            out.update((i - 1, i))
    return out


def splice(text: str, mentions: list[Mention], news: list[str]) -> str:
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
        if new != text[m.start : m.end]:
            # An ending the scanner cut off the name ("Saudi-Arabiens") belongs to the
            # spelling replaced: "Saudi Arabia", not "Saudi Arabias".
            glued = _GLUED_ENDING.match(text, pos)
            if glued is not None:
                pos = glued.end()
    out.append(text[pos:])
    return "".join(out)


_GLUED_ENDING = re.compile(r"\w+")
