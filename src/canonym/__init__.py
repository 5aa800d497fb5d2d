"""canonym: consistent names in multilingual news.

Load a ``Gazetteer``, resolve names with it, and rewrite texts to canonical
spellings with a ``Normalizer``.
"""

from canonym._version import __version__
from canonym.gazetteer import Gazetteer
from canonym.matching import Match, Thresholds
from canonym.normalize import Mention, Normalizer, Result
from canonym.sources import Entity, GazetteerError, Problem

__all__ = [
    "__version__",
    "Entity",
    "Gazetteer",
    "GazetteerError",
    "Match",
    "Mention",
    "Normalizer",
    "Problem",
    "Result",
    "Thresholds",
]
