"""canonym: consistent names in multilingual news.

Load a ``Gazetteer``, resolve names with it, rewrite texts to canonical spellings
with a ``Normalizer``, and run whole corpora into a ``Store`` to build alias
tables and check name consistency.
"""

from typing import TYPE_CHECKING, Any

from canonym._version import __version__

if TYPE_CHECKING:
    from canonym.corpus.documents import Document, read_corpus
    from canonym.corpus.run import GazetteerSpec, RunSummary, process_corpus, run_corpus
    from canonym.corpus.store import Store
    from canonym.gazetteer.core import Gazetteer
    from canonym.gazetteer.entity import Entity, GazetteerError, Problem
    from canonym.gazetteer.merge import MergeReport, merge_patch
    from canonym.jobs.aliases import AliasTable, AliasVariant, Proposal, build_alias_table
    from canonym.jobs.lint import Finding, check_store, iter_findings
    from canonym.match.context import Context
    from canonym.match.explain import Explanation
    from canonym.match.resolve import Match, Thresholds
    from canonym.normalize.document import context_of
    from canonym.normalize.normalizer import Mention, NormalizedText, Normalizer
    from canonym.review.model import Review
    from canonym.text.language import Detection, detect_language
    from canonym.translate.shield import TranslatedResult, translate_document
    from canonym.translate.translator import (
        ArgosTranslator,
        MissingModel,
        TranslationError,
        Translator,
    )

# Each name is imported from its module on first use (PEP 562), so that a job pays
# only for the layers it uses: a one-article normalize never imports the corpus,
# merge (ruamel) or translation code.
_LAZY = {
    "AliasTable": "canonym.jobs.aliases",
    "ArgosTranslator": "canonym.translate.translator",
    "Context": "canonym.match.context",
    "Detection": "canonym.text.language",
    "Document": "canonym.corpus.documents",
    "Entity": "canonym.gazetteer.entity",
    "Explanation": "canonym.match.explain",
    "Finding": "canonym.jobs.lint",
    "Gazetteer": "canonym.gazetteer.core",
    "GazetteerError": "canonym.gazetteer.entity",
    "GazetteerSpec": "canonym.corpus.run",
    "Match": "canonym.match.resolve",
    "Mention": "canonym.normalize.normalizer",
    "MergeReport": "canonym.gazetteer.merge",
    "MissingModel": "canonym.translate.translator",
    "Normalizer": "canonym.normalize.normalizer",
    "Problem": "canonym.gazetteer.entity",
    "Proposal": "canonym.jobs.aliases",
    "NormalizedText": "canonym.normalize.normalizer",
    "Review": "canonym.review.model",
    "RunSummary": "canonym.corpus.run",
    "Store": "canonym.corpus.store",
    "Thresholds": "canonym.match.resolve",
    "TranslatedResult": "canonym.translate.shield",
    "TranslationError": "canonym.translate.translator",
    "Translator": "canonym.translate.translator",
    "AliasVariant": "canonym.jobs.aliases",
    "build_alias_table": "canonym.jobs.aliases",
    "check_store": "canonym.jobs.lint",
    "context_of": "canonym.normalize.document",
    "detect_language": "canonym.text.language",
    "iter_findings": "canonym.jobs.lint",
    "merge_patch": "canonym.gazetteer.merge",
    "process_corpus": "canonym.corpus.run",
    "run_corpus": "canonym.corpus.run",
    "read_corpus": "canonym.corpus.documents",
    "translate_document": "canonym.translate.shield",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'canonym' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "__version__",
    "AliasTable",
    "ArgosTranslator",
    "Context",
    "Detection",
    "Document",
    "Entity",
    "Explanation",
    "Finding",
    "Gazetteer",
    "GazetteerError",
    "GazetteerSpec",
    "Match",
    "Mention",
    "MergeReport",
    "MissingModel",
    "NormalizedText",
    "Normalizer",
    "Problem",
    "Proposal",
    "Review",
    "RunSummary",
    "Store",
    "Thresholds",
    "TranslatedResult",
    "TranslationError",
    "Translator",
    "AliasVariant",
    "build_alias_table",
    "check_store",
    "context_of",
    "detect_language",
    "iter_findings",
    "merge_patch",
    "process_corpus",
    "run_corpus",
    "read_corpus",
    "translate_document",
]
