"""Each paragraph's language: what ``canonym detect`` prints.

Paragraphs are runs of non-blank lines; each is detected on its own, since a
wire story quoting a statement may change language between paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from canonym.text.language import detect_language

__all__ = ["ParagraphLanguage", "paragraph_languages"]

_BLANK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True, slots=True)
class ParagraphLanguage:
    line: int  # 1-based line the paragraph starts on
    lang: str
    confidence: float
    method: str
    text: str


def paragraph_languages(text: str) -> Iterator[ParagraphLanguage]:
    """The language of each non-empty paragraph of ``text``, in order."""
    start = 0
    for m in [*_BLANK.finditer(text), None]:
        end = m.start() if m else len(text)
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            line = text.count("\n", 0, start + lead) + 1
            d = detect_language(chunk)
            yield ParagraphLanguage(line, d.lang, d.confidence, d.method, chunk.strip())
        if m:
            start = m.end()
