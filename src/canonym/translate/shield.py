"""Translating a document to English without letting the translation mangle names.

Reach for this module to normalize a non-English (or mixed) document. Each
paragraph's language is detected; in paragraphs to translate, names are resolved
in the source first and shielded: each mention is replaced by its canonical
English form (or by a placeholder the model copies), the text is translated
sentence by sentence, and every shield is checked on the way back. A sentence
whose shields did not all come back is translated again without them and its
names are recovered from the English, and that is reported. The English text is
then normalized, and each mention is aligned from its source span to its output
span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from canonym.normalize.normalizer import Mention, NormalizedText, Normalizer
from canonym.text.language import detect_language
from canonym.text.scripts import ARABIC_BLOCK
from canonym.translate.translator import MissingModel, Translator

__all__ = ["Shielding", "ParagraphInfo", "Alignment", "TranslatedResult", "translate_document"]

# A blank line between paragraphs, with Unix or Windows line ends.
_PARAGRAPHS = re.compile(r"(\r?\n[ \t]*\r?\n\s*)")
# Sentence ends: ., !, ? or the Arabic question mark, then space and a capital or a
# non-Latin letter. Abbreviations with a capital after them ("M. Soudani") split
# wrongly only in rare cases, and a wrong split costs nothing but context.
_SENTENCE_END = re.compile(rf"(?<=[.!?\u061f])\s+(?=[\"«“(]?[A-ZÀ-ÖØ-Þ{ARABIC_BLOCK}])")
_PLACEHOLDER = "ZQX{}Q"


class Shielding:
    """How names cross the translation: ``canonical`` substitutes the English form,
    ``placeholder`` a token such as ``ZQX3Q`` that models copy as it is."""

    CANONICAL = "canonical"
    PLACEHOLDER = "placeholder"


@dataclass
class ParagraphInfo:
    index: int
    start: int
    end: int
    lang: str
    confidence: float
    detection: str  # script | function-words | langdetect | inherited | forced
    translated: bool
    model: str | None = None
    shields: int = 0
    fallback_sentences: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Alignment:
    """Where a mention of the source stands in the output."""

    entity_id: str
    canonical: str
    source_start: int
    source_end: int
    output_start: int | None
    output_end: int | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class TranslatedResult:
    """The English result, with what was done to each paragraph and each mention."""

    source: str
    result: NormalizedText  # normalization of the English text
    lang: str
    paragraphs: list[ParagraphInfo] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.result.text

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.result.to_dict(),
            "lang": self.lang,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "alignments": [a.to_dict() for a in self.alignments],
            "warnings": self.warnings,
        }


def _split_paragraphs(text: str) -> list[tuple[int, int, str]]:
    """Paragraphs with their spans; separators are kept between them."""
    out, pos = [], 0
    for m in _PARAGRAPHS.finditer(text):
        out.append((pos, m.start(), text[pos : m.start()]))
        pos = m.end()
    out.append((pos, len(text), text[pos:]))
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


@dataclass
class _Shield:
    mention: Mention
    token: str  # what stands in the text sent to the model


def _shield_sentence(
    sentence: str, offset: int, mentions: list[Mention], strategy: str, counter: list[int]
) -> tuple[str, list[_Shield]]:
    """The sentence with each resolved mention replaced by its shield."""
    out, shields, pos = [], [], 0
    for m in mentions:
        a, b = m.start - offset, m.end - offset
        if a < 0 or b > len(sentence) or m.canonical is None:
            continue
        if strategy == Shielding.PLACEHOLDER:
            token = _PLACEHOLDER.format(counter[0])
            counter[0] += 1
        else:
            token = m.canonical
        out.append(sentence[pos:a])
        out.append(token)
        shields.append(_Shield(m, token))
        pos = b
    out.append(sentence[pos:])
    return "".join(out), shields


def _unshield(translated: str, shields: list[_Shield], strategy: str) -> str | None:
    """The translation with shields turned back into canonical forms, or None when
    one did not survive."""
    out = translated
    for s in shields:
        if s.token not in out:
            return None
    if strategy == Shielding.PLACEHOLDER:
        for s in shields:
            out = out.replace(s.token, s.mention.canonical or s.mention.surface, 1)
    return out


def _document_language(paragraphs: list[tuple[int, int, str]], default: str) -> str:
    """The language most of the document's letters are written in."""
    weight: dict[str, int] = {}
    for _, _, para in paragraphs:
        d = detect_language(para)
        if d.method != "default":
            weight[d.lang] = weight.get(d.lang, 0) + len(para)
    return max(weight, key=lambda k: weight[k]) if weight else default


def _paragraph_lang(para: str, doc_lang: str, forced: str | None) -> tuple[str, float, str]:
    if forced:
        return forced, 1.0, "forced"
    d = detect_language(para)
    if d.method == "default" or d.confidence < 0.5:
        # A dateline or a name alone says nothing: it belongs to the document.
        return doc_lang, 0.0, "inherited"
    return d.lang, d.confidence, d.method


def translate_document(
    text: str,
    normalizer: Normalizer,
    translator: Translator | None,
    *,
    mode: str = "auto",
    lang: str | None = None,
    strategy: str = Shielding.CANONICAL,
    target: str = "en",
) -> TranslatedResult:
    """Detect, translate what is not ``target`` (per ``mode``), normalize, align.

    ``mode``: ``auto`` translates when a model is installed and otherwise keeps the
    source (with a warning); ``never`` keeps every paragraph as written; ``require``
    raises ``MissingModel`` when a paragraph needs a model that is not installed.
    """
    paragraphs = _split_paragraphs(text)
    doc_lang = lang or _document_language(paragraphs, target)
    infos: list[ParagraphInfo] = []
    pieces: list[str] = []
    seps: list[str] = []
    warnings: list[str] = []
    aligned: list[tuple[Mention, int, str]] = []  # mention, paragraph index, canonical token
    for i, (start, end, para) in enumerate(paragraphs):
        seps.append(text[end : paragraphs[i + 1][0]] if i + 1 < len(paragraphs) else "")
        p_lang, conf, how = _paragraph_lang(para, doc_lang, lang)
        info = ParagraphInfo(i, start, end, p_lang, conf, how, False)
        infos.append(info)
        needs = p_lang not in (target, "und") and para.strip() and mode != "never"
        if not needs:
            pieces.append(para)
            continue
        if translator is None or not translator.has(p_lang, target):
            if mode == "require":
                raise MissingModel(
                    f"paragraph {i + 1} is in '{p_lang}' and no {p_lang} → {target} model is "
                    f"installed; run: canonym models install {p_lang}"
                )
            msg = (
                f"no {p_lang} → {target} model installed: kept the {p_lang} text and resolved "
                f"names in it (install one with: canonym models install {p_lang})"
            )
            if msg not in warnings:
                warnings.append(msg)
            pieces.append(para)
            continue
        pieces.append(_translate_paragraph(para, start, normalizer, translator, p_lang, target,
                                           strategy, info, aligned))  # fmt: skip
    out_text = "".join(p + s for p, s in zip(pieces, seps, strict=True))
    result = normalizer.normalize(out_text)
    alignments = _align(result, aligned, pieces, seps)
    return TranslatedResult(text, result, doc_lang, infos, alignments, warnings)


def _translate_paragraph(
    para: str,
    start: int,
    normalizer: Normalizer,
    translator: Translator,
    lang: str,
    target: str,
    strategy: str,
    info: ParagraphInfo,
    aligned: list[tuple[Mention, int, str]],
) -> str:
    """Translate one paragraph sentence by sentence, with shields and fallback."""
    source = normalizer.normalize(para)
    counter = [0]
    shielded: list[str] = []
    groups: list[list[_Shield]] = []
    spans = _sentences(para)
    for a, b in spans:
        inside = [m for m in source.mentions if m.start >= a and m.end <= b]
        s_text, shields = _shield_sentence(para[a:b], a, inside, strategy, counter)
        shielded.append(s_text)
        groups.append(shields)
    translated = translator.translate_batch(shielded, lang, target)
    out: list[str] = []
    retry: list[int] = []
    for k, (t, shields) in enumerate(zip(translated, groups, strict=True)):
        back = _unshield(t, shields, strategy)
        if back is None:
            retry.append(k)
            out.append("")
        else:
            out.append(back)
    if retry:
        # A shield the model dropped or rewrote: translate the plain sentence, and let
        # the normalizer find the names in the English.
        plain = translator.translate_batch(
            [para[spans[k][0] : spans[k][1]] for k in retry], lang, target
        )
        for k, t in zip(retry, plain, strict=True):
            out[k] = t
            groups[k] = []
        info.fallback_sentences = len(retry)
    info.translated = True
    info.model = translator.model_name(lang, target)
    info.shields = sum(len(g) for g in groups)
    for shields in groups:
        for s in shields:
            m = s.mention
            aligned.append(
                (Mention(m.start + start, m.end + start, m.surface, entity_id=m.entity_id,
                         canonical=m.canonical), info.index, m.canonical or "")
            )  # fmt: skip
    return " ".join(x.strip() for x in out)


def _align(
    result: NormalizedText,
    aligned: list[tuple[Mention, int, str]],
    pieces: list[str],
    seps: list[str],
) -> list[Alignment]:
    """Match each shielded source mention to the output mention that carries it."""
    bounds, pos = [], 0
    for p, s in zip(pieces, seps, strict=True):
        bounds.append((pos, pos + len(p)))
        pos += len(p) + len(s)
    used: set[int] = set()
    out: list[Alignment] = []
    for m, para, canonical in aligned:
        lo, hi = bounds[para]
        hit = None
        for j, om in enumerate(result.mentions):
            if j in used or om.entity_id != m.entity_id or not (lo <= om.start < hi):
                continue
            hit = j
            break
        if hit is None:
            out.append(Alignment(m.entity_id or "", canonical, m.start, m.end, None, None))
            continue
        used.add(hit)
        om = result.mentions[hit]
        out.append(
            Alignment(m.entity_id or "", canonical, m.start, m.end, om.out_start, om.out_end)
        )
    return out
