"""Regions of a text that are not prose: addresses, handles, markup and code.

Reach for this module before looking for names in a text: ``mask_protected``
blanks out URLs, e-mail addresses, ``@handles``, ``#hashtags``, Markdown link
targets and labels, code, HTML tags, comments, scripts and styles, so that a scanner
never matches inside them (``/Hisbollah/`` in a link stays as it is, and
``check --fix`` cannot break a link). The mask keeps every offset: each masked
character becomes ``MASK``, which is neither a word character nor a space, so no
name can run across a masked region either.
"""

from __future__ import annotations

import re

__all__ = ["MASK", "protected_spans", "mask_protected"]

MASK = "\x00"

# A cheap test first: prose without any of these characters has nothing to protect,
# and most news paragraphs have none of them.
_TRIGGERS = re.compile(r"://|www\.|[@#`<~]|\][(\[]|\[\^|^\s*\[", re.MULTILINE)
# Each trigger holds one of these: substring tests (in C, no regular expression)
# rule most texts out before the search.
_TRIGGER_PARTS = ("://", "www.", "@", "#", "`", "<", "~", "[", "]")

# An address ends before the punctuation that closes the sentence around it.
_URL_END = r"[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]"
_PATTERNS = re.compile(
    "|".join(
        (
            # HTML first: a tag's attributes hold URLs and names alike.
            r"<(script|style)\b[^>]*>.*?</\1\s*>",
            r"<!--.*?-->",
            r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>",
            # Code: fenced blocks (``` or ~~~) and inline spans.
            r"^[ \t]*(```|~~~)[^\n]*\n.*?(?:^[ \t]*\2[ \t]*$|\Z)",
            r"`[^`\n]+`",
            # Markdown link targets "](...)" and reference definitions "[x]: url".
            r"(?<=\])\([^()\s]*(?:\s+\"[^\"\n]*\")?\)",
            r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S+[^\n]*$",  # its line only, DOTALL or not
            # Labels, which must stay as their definitions spell them: a reference
            # link's "[text][label]" and a footnote's "[^label]".
            r"(?<=\])\[[^\]\n]*\]",
            r"\[\^[^\]\n]+\]",
            # Addresses.
            rf"(?:https?|ftp)://{_URL_END}",
            rf"(?<![\w.])www\.{_URL_END}",
            r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
            # Handles and hashtags, not e-mail local parts nor HTML entities (&#39;).
            r"(?<![\w@])@\w+",
            r"(?<![\w&#])#\w+",
        )
    ),
    re.DOTALL | re.MULTILINE,
)


_DEFINITION = re.compile(r"^[ \t]*\[([^\]\n]+)\]:", re.MULTILINE)
# A shortcut or collapsed reference link, "[label]" or "[label][]", not an inline
# link, a full reference, a footnote or a definition.
_SHORTCUT = re.compile(r"(?<!\])\[([^\]\[\n^][^\]\[\n]*)\](?=\[\]|(?![(\[:]))")


def protected_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the regions of ``text`` that are not prose."""
    if not any(part in text for part in _TRIGGER_PARTS) or _TRIGGERS.search(text) is None:
        return []
    spans = [m.span() for m in _PATTERNS.finditer(text)]
    labels = {m.group(1).strip().casefold() for m in _DEFINITION.finditer(text)}
    if labels:
        # "[Hizbullah]" with a definition "[Hizbullah]: url" links only while the
        # two are spelled alike: the label in the text stays as written too.
        taken = list(spans)
        for m in _SHORTCUT.finditer(text):
            a, b = m.span()
            if m.group(1).strip().casefold() in labels and not any(
                x < b and a < y for x, y in taken
            ):
                spans.append((a, b))
        spans.sort()
    return spans


def mask_protected(text: str) -> str:
    """``text`` with its protected regions blanked out, every offset kept."""
    spans = protected_spans(text)
    if not spans:
        return text
    parts: list[str] = []
    at = 0
    for start, end in spans:
        parts.append(text[at:start])
        # Line breaks are kept, so that paragraphs and lines stay where they were.
        parts.append(re.sub(r"[^\n]", MASK, text[start:end]))
        at = end
    parts.append(text[at:])
    return "".join(parts)
