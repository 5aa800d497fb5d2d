"""The words inside names that keys treat specially: ``data/particles.yaml``, read once.

Reach for this module for the Arabic article in its Latin spellings (plain and
assimilated), the name particles and their variants (ibn, bin, ben), the
prefixes that glue a particle to a name (Abdelaziz), and the titles and
sentence-opening words that stand beside names but are not part of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from canonym.data import load_data

__all__ = ["Particles", "particles"]


@dataclass(frozen=True, slots=True)
class Particles:
    """The tables of ``data/particles.yaml``, in the shapes their readers use."""

    always: frozenset[str]  # the article, dropped before any word
    assimilated: frozenset[str]  # ash-, ad-: dropped before their consonant only
    articles: frozenset[str]  # both
    particle_map: dict[str, str]  # each spelling of a particle or place word -> its one form
    particle_forms: frozenset[str]  # every spelling of a particle
    attached_prefixes: tuple[str, ...]  # longest first
    glued_articles: tuple[str, ...]  # "err", "ess": an article glued to its word
    glued_min_rest: int
    titles: frozenset[str]
    stopwords: frozenset[str]
    inner: frozenset[str]  # lower-case words that may stand inside a name: articles, particles
    bare_articles: tuple[str, ...]  # articles a form is also written without
    spelling_articles: tuple[str, ...]  # articles that make no other spelling
    of_words: frozenset[str]  # "of", "de", "di": a head noun's link to its name
    of_articles: frozenset[str]  # the articles that may follow one ("de la")


@lru_cache(maxsize=1)
def particles() -> Particles:
    data = load_data("particles.yaml")
    arts = data["articles"]
    always = frozenset(arts["always"])
    assimilated = frozenset(arts["assimilated"])
    forms = data["particles"]
    spellings = [p for ps in forms.values() for p in ps]
    return Particles(
        always=always,
        assimilated=assimilated,
        articles=always | assimilated,
        particle_map={
            v: k for table in (data["place_words"], forms) for k, vs in table.items() for v in vs
        },
        particle_forms=frozenset(spellings),
        attached_prefixes=tuple(sorted(data["attached_prefixes"], key=len, reverse=True)),
        glued_articles=tuple(data["glued_articles"]),
        glued_min_rest=int(data["glued_min_rest"]),
        titles=frozenset(data["titles"]),
        stopwords=frozenset(data["stopwords"]),
        inner=frozenset([*arts["always"], *arts["assimilated"], *spellings]),
        bare_articles=tuple(data["bare_articles"]),
        spelling_articles=tuple(data["spelling_articles"]),
        of_words=frozenset(data["of_words"]),
        of_articles=frozenset(data["of_articles"]),
    )
