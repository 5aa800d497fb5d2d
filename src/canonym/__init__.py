"""canonym: consistent names in multilingual news.

Load a ``Gazetteer``, resolve names with it, rewrite texts to canonical spellings
with a ``Normalizer``, and run whole corpora into a ``Store`` to build alias
tables and check name consistency.
"""

from canonym._version import __version__
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
