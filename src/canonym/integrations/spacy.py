"""A spaCy pipeline component that links names to gazetteer entities.

Reach for this module to use canonym inside a spaCy pipeline::

    nlp = spacy.blank("en")            # or a trained pipeline with its own NER
    nlp.add_pipe("canonym", config={"forms": "en"})
    doc = nlp(text)
    [(e.text, e.label_, e.kb_id_, e._.canonical) for e in doc.ents]

The component is registered under the name ``canonym`` through the
``spacy_factories`` entry point, so installing canonym (with the ``spacy`` extra)
is enough. Each resolved mention becomes a span whose ``kb_id_`` is the entity id
and whose ``_.canonical`` is the canonical form; ``doc._.canonym_text`` is the
normalized text. Spans go to ``doc.ents`` (beside a statistical NER's: its
entities are kept where they overlap unless ``overwrite_ents``) or, with
``spans_key``, to ``doc.spans[spans_key]`` and nothing else is touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from spacy.language import Language
from spacy.tokens import Doc, Span

from canonym.gazetteer.core import Gazetteer
from canonym.normalize.mention import Mention
from canonym.normalize.normalizer import Normalizer

__all__ = ["CanonymComponent", "make_canonym", "DEFAULT_LABELS"]

# Entity types as spaCy's English pipelines label them.
DEFAULT_LABELS: Mapping[str, str] = {"person": "PERSON", "organization": "ORG", "place": "GPE"}
_SPAN_EXTENSIONS = ("canonical", "canonym_id", "canonym_score", "canonym_method")


def _register_extensions() -> None:
    for name in _SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Doc.has_extension("canonym_text"):
        Doc.set_extension("canonym_text", default=None)


class CanonymComponent:
    """Finds and links names in a ``Doc`` with a :class:`~canonym.Normalizer`."""

    def __init__(
        self,
        normalizer: Normalizer,
        *,
        spans_key: str | None = None,
        overwrite_ents: bool = False,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        _register_extensions()
        self.normalizer = normalizer
        self.spans_key = spans_key
        self.overwrite_ents = overwrite_ents
        self.labels = {**DEFAULT_LABELS, **(labels or {})}

    def __call__(self, doc: Doc) -> Doc:
        result = self.normalizer.normalize(doc.text)
        spans = [s for s in (self._span(doc, m) for m in result.mentions) if s is not None]
        doc._.canonym_text = result.text
        if self.spans_key is not None:
            doc.spans[self.spans_key] = spans
        else:
            doc.ents = self._merged(doc.ents, spans)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def _span(self, doc: Doc, m: Mention) -> Span | None:
        if m.entity_id is None:
            return None
        label = self.labels.get(m.type or "", (m.type or "ENTITY").upper())
        # "expand": a name glued to a clitic ("l'Iran") is one token in most
        # tokenizers; the span then covers the token.
        span = doc.char_span(
            m.start, m.end, label=label, kb_id=m.entity_id, alignment_mode="expand"
        )
        if span is None:
            return None
        span._.canonical = m.canonical
        span._.canonym_id = m.entity_id
        span._.canonym_score = m.score
        span._.canonym_method = m.method
        return span

    def _merged(self, existing: Iterable[Span], found: list[Span]) -> list[Span]:
        """Found spans and a previous NER's, without overlaps; which wins is the config's."""
        first, second = (found, list(existing)) if self.overwrite_ents else (list(existing), found)
        taken: set[int] = set()
        out: list[Span] = []
        for span in [*first, *second]:
            tokens = set(range(span.start, span.end))
            if tokens & taken:
                continue
            taken |= tokens
            out.append(span)
        return sorted(out, key=lambda s: s.start)


@Language.factory(
    "canonym",
    default_config={
        "gazetteers": [],
        "bundled": True,
        "accept": None,
        "forms": "auto",
        "fuzzy": True,
        "spans_key": None,
        "overwrite_ents": False,
        "labels": {},
    },
)
def make_canonym(
    nlp: Language,
    name: str,
    gazetteers: list[str],
    bundled: bool,
    accept: float | None,
    forms: str,
    fuzzy: bool,
    spans_key: str | None,
    overwrite_ents: bool,
    labels: dict[str, str],
) -> CanonymComponent:
    """Build the component from its config (``nlp.add_pipe("canonym", config=...)``)."""
    gazetteer = Gazetteer.load(*gazetteers, with_defaults=bundled)
    if accept is not None:
        gazetteer.thresholds = gazetteer.thresholds.with_accept(accept)
    normalizer = Normalizer(gazetteer, fuzzy=fuzzy, forms=forms)
    return CanonymComponent(
        normalizer, spans_key=spans_key, overwrite_ents=overwrite_ents, labels=labels
    )
