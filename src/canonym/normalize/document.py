"""What a document is about: the context its confident mentions give a name to resolve.

Reach for this module to turn the text around a name into a ``Context`` for
``Gazetteer.resolve`` and ``link``: the entities the text names without doubt,
their countries and where its places are.
"""

from __future__ import annotations

from canonym.gazetteer.core import Gazetteer
from canonym.match.context import Context
from canonym.normalize.normalizer import Normalizer

__all__ = ["context_of"]


def context_of(gazetteer: Gazetteer, text: str) -> Context:
    """The context ``text`` gives: the entities it names unambiguously, their countries."""
    # Listed spellings only, each read without the rest of the text: a context that
    # guessed, or that the text's own context chose, would steer the next guess.
    mentions = Normalizer(gazetteer, fuzzy=False).normalize(text).mentions
    ids = dict.fromkeys(m.entity_id for m in mentions if m.entity_id and not m.context)
    return Context.of(gazetteer.get(i) for i in ids)
