"""How a chosen form is written where the name stood: spelling, case and dotting.

Reach for this module to see why a rewritten name looks as it does: the form most
like what was written is chosen among the entity's (``closest_form``), and the
written case style carried over (``fit_style``): a headline in capitals stays in
capitals (``in_capitals`` tells), a dotted acronym keeps its dots, a name broken
over a line keeps its break.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from canonym.names.keys import name_key
from canonym.text.normalize import fold_text, surface_norm

__all__ = ["closest_form", "fit_style", "fit_style_at", "in_capitals"]


def _similarity(surface: str, form: str) -> tuple[float, float]:
    sk, fk = name_key(surface), name_key(form)
    return (
        max(fuzz.ratio(sk, fk), fuzz.token_sort_ratio(sk, fk)),
        fuzz.ratio(fold_text(surface), fold_text(form)),
    )


@lru_cache(maxsize=50_000)
def closest_form(surface: str, options: tuple[str, ...]) -> str:
    """The option most like what was written: same spelling first, then same key and letters."""
    norm = surface_norm(surface)
    for f in options:
        if surface_norm(f) == norm:
            return f
    return max(options, key=lambda f: _similarity(surface, f))


def _caps_style(surface: str, canonical: str, caps_line: bool) -> bool:
    """Whether ``surface`` is written in capitals as a style, not as an acronym: in a
    line of capitals (a headline), or one word of four letters or more standing for
    one word (a dateline)."""
    letters = [c for c in surface if c.isalpha()]
    if len(letters) < 2 or not surface.isupper():
        return False
    return caps_line or (len(letters) >= 4 and len(canonical.split()) == 1 == len(surface.split()))


def in_capitals(text: str, start: int, end: int) -> bool:
    """Whether the line around ``text[start:end]``, the name left out, is in capitals."""
    lo = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    his = [i for i in (text.find("\n", end), text.find("\r", end)) if i >= 0]
    hi = min(his) if his else len(text)
    line = text[lo:start] + text[end:hi]
    # Counted in C: the line may be a whole paragraph.
    letters = sum(map(str.isalpha, line))
    return letters >= 6 and sum(map(str.isupper, line)) > 0.8 * letters


def fit_style_at(canonical: str, surface: str, text: str, start: int, end: int) -> str:
    """``fit_style`` for the name at ``text[start:end]``, a line of capitals followed.

    Only a name written in capitals can follow a line of them, and the line is read
    (every letter of it counted) only where following it would change the form.
    """
    plain = fit_style(canonical, surface)
    if surface.isupper():
        caps = fit_style(canonical, surface, True)
        if caps != plain and in_capitals(text, start, end):
            return caps
    return plain


_UNDOT = re.compile(r"(?<=[A-Z])\.")


@lru_cache(maxsize=50_000)
def fit_style(canonical: str, surface: str, caps_line: bool = False) -> str:
    """Carry the written form's case style and line break over to the canonical one."""
    if "." in surface and _UNDOT.sub("", surface) == _UNDOT.sub("", canonical):
        return surface  # dotting an acronym ("U.S. Army") is house style, not spelling
    if surface == canonical or surface_norm(surface) == surface_norm(canonical):
        # The canonical spelling in another case ("Iraqi army", "HAMAS") is a matter
        # of style, not of spelling: it stays as written; an acronym is not lowered.
        if canonical.isupper() and not surface.isupper() and " " not in canonical:
            return canonical
        return surface
    out = canonical
    if _caps_style(surface, canonical, caps_line):
        out = out.upper()
    elif surface[:1].isupper() and out[:1].islower():
        out = out[0].upper() + out[1:]
    if "\n" in surface:
        head = surface[: surface.index("\n")]
        words_before = len(head.split())
        gap = re.search(r"\s*\n\s*", surface)
        parts = out.split(" ")
        if gap and 0 < words_before < len(parts):
            out = " ".join(parts[:words_before]) + gap.group() + " ".join(parts[words_before:])
    return out
