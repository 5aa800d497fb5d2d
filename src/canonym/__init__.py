"""canonym: consistent names in multilingual news.

Load a ``Gazetteer``, resolve names with it, rewrite texts to canonical spellings
with a ``Normalizer``, and run whole corpora into a ``Store`` to build alias
tables and check name consistency.
"""

from typing import TYPE_CHECKING, Any

from canonym._version import __version__

if TYPE_CHECKING:
    from canonym.aliases import AliasTable, Proposal, Variant, build_alias_table
    from canonym.corpus import Document, read_corpus
    from canonym.gazetteer import Gazetteer
    from canonym.language import Detection, detect_language
    from canonym.lint import Finding, check_store, iter_findings
    from canonym.matching import Match, Thresholds
    from canonym.merge import MergeReport, merge_patch
    from canonym.normalize import Mention, Normalizer, Result
    from canonym.pipeline import GazetteerSpec, RunSummary, process_corpus
    from canonym.protect import TranslatedResult, translate_document
    from canonym.sources import Entity, GazetteerError, Problem
    from canonym.store import Store
    from canonym.translation import ArgosTranslator, MissingModel, TranslationError, Translator

# Each name is imported from its module on first use (PEP 562), so that a job pays
# only for the layers it uses: a one-article normalize never imports the corpus,
# merge (ruamel) or translation code.
_LAZY = {
    "AliasTable": "canonym.aliases",
    "ArgosTranslator": "canonym.translation",
    "Detection": "canonym.language",
    "Document": "canonym.corpus",
    "Entity": "canonym.sources",
    "Finding": "canonym.lint",
    "Gazetteer": "canonym.gazetteer",
    "GazetteerError": "canonym.sources",
    "GazetteerSpec": "canonym.pipeline",
    "Match": "canonym.matching",
    "Mention": "canonym.normalize",
    "MergeReport": "canonym.merge",
    "MissingModel": "canonym.translation",
    "Normalizer": "canonym.normalize",
    "Problem": "canonym.sources",
    "Proposal": "canonym.aliases",
    "Result": "canonym.normalize",
    "RunSummary": "canonym.pipeline",
    "Store": "canonym.store",
    "Thresholds": "canonym.matching",
    "TranslatedResult": "canonym.protect",
    "TranslationError": "canonym.translation",
    "Translator": "canonym.translation",
    "Variant": "canonym.aliases",
    "build_alias_table": "canonym.aliases",
    "check_store": "canonym.lint",
    "detect_language": "canonym.language",
    "iter_findings": "canonym.lint",
    "merge_patch": "canonym.merge",
    "process_corpus": "canonym.pipeline",
    "read_corpus": "canonym.corpus",
    "translate_document": "canonym.protect",
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
    "Detection",
    "Document",
    "Entity",
    "Finding",
    "Gazetteer",
    "GazetteerError",
    "GazetteerSpec",
    "Match",
    "Mention",
    "MergeReport",
    "MissingModel",
    "Normalizer",
    "Problem",
    "Proposal",
    "Result",
    "RunSummary",
    "Store",
    "Thresholds",
    "TranslatedResult",
    "TranslationError",
    "Translator",
    "Variant",
    "build_alias_table",
    "check_store",
    "detect_language",
    "iter_findings",
    "merge_patch",
    "process_corpus",
    "read_corpus",
    "translate_document",
]
