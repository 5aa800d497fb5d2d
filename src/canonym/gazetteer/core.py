"""The ``Gazetteer``: loaded entities behind one object that resolves names.

Reach for this module from code that uses canonym: ``Gazetteer.default()`` for
the bundled data and the user's search path, ``Gazetteer.load(path, ...)`` for
chosen files, then ``resolve`` or ``link``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from canonym.gazetteer.cache import fingerprint as files_fingerprint
from canonym.gazetteer.cache import load_or_build
from canonym.gazetteer.files import (
    Entity,
    GazetteerError,
    Problem,
    default_paths,
    gazetteer_files,
    read_entities,
)
from canonym.gazetteer.index import Index, build_index
from canonym.match.resolve import DEFAULT_THRESHOLDS, Match, Thresholds, link, resolve

__all__ = ["Gazetteer", "check_files"]


def check_files(files: Sequence[Path]) -> tuple[list[list[Entity]], list[Problem]]:
    """Read and validate files; entities per file, and every problem found."""
    problems: list[Problem] = []
    groups: list[list[Entity]] = []
    seen: dict[str, Entity] = {}
    for f in files:
        group: list[Entity] = []
        for e in read_entities(f, problems):
            if e.id in seen:
                first = seen[e.id]
                problems.append(
                    Problem(
                        e.source,
                        e.line,
                        f"duplicate id (first defined at {first.source}:{first.line})",
                        e.id,
                    )
                )
                continue
            seen[e.id] = e
            group.append(e)
        groups.append(group)
    return groups, problems


class Gazetteer:
    """Entities and the index that finds them by any spelling."""

    def __init__(
        self,
        index: Index,
        *,
        files: Sequence[Path] = (),
        cached: bool = False,
        fingerprint: str | None = None,
    ) -> None:
        self._ix = index
        self.files = list(files)
        self.cached = cached
        if files:
            # Hashing the files' content is the costly part of a cached load: once.
            self.fingerprint = fingerprint or files_fingerprint(files)
        else:
            digest = hashlib.sha256(repr([e.to_dict() for e in index.entities]).encode())
            self.fingerprint = digest.hexdigest()[:32]
        self.thresholds: Thresholds = DEFAULT_THRESHOLDS

    @classmethod
    def load(
        cls,
        *paths: str | os.PathLike[str],
        use_cache: bool = True,
        with_defaults: bool = False,
    ) -> Gazetteer:
        """Load gazetteer files or directories; earlier paths take precedence.

        Raises ``GazetteerError`` listing every problem when a file is invalid.
        """
        search: list[str | os.PathLike[str]] = [*default_paths()] if with_defaults else []
        search.extend(paths)
        # Precedence belongs to a search-path entry: the files of one directory
        # are one gazetteer and rank alike.
        per_path = [gazetteer_files([p]) for p in search]
        files = [f for group in per_path for f in group]

        def build() -> Index:
            groups, problems = check_files(files)
            errors = [p for p in problems if p.severity == "error"]
            if errors:
                raise GazetteerError(errors)
            ranked: list[list[Entity]] = []
            it = iter(groups)
            for group in per_path:
                ranked.append([e for _ in group for e in next(it)])
            return build_index(ranked)

        key = files_fingerprint(files)
        ix, cached = load_or_build(files, build, use_cache=use_cache, key=key)
        return cls(ix, files=files, cached=cached, fingerprint=key)

    @classmethod
    def default(cls, *extra: str | os.PathLike[str], use_cache: bool = True) -> Gazetteer:
        """The bundled gazetteers, ``CANONYM_GAZETTEERS``, then ``extra`` paths."""
        return cls.load(*extra, use_cache=use_cache, with_defaults=True)

    @classmethod
    def from_entities(cls, entities: Iterable[Entity]) -> Gazetteer:
        """An in-memory gazetteer, e.g. for entities built in code."""
        return cls(build_index([list(entities)]))

    # -- lookups ---------------------------------------------------------------

    def resolve(self, name: str, *, top: int = 5, similar: bool = False) -> list[Match]:
        """Candidates for ``name``, best first; empty when nothing is close enough.

        ``similar=True`` looks past an exact hit, for the entities a name is close to.
        """
        return resolve(self._ix, name, top=top, thresholds=self.thresholds, similar=similar)

    def link(self, name: str) -> Match | None:
        """The single entity ``name`` stands for, or None when unsure or ambiguous."""
        return link(self._ix, name, thresholds=self.thresholds)

    def get(self, entity_id: str) -> Entity:
        try:
            return self._ix.entity(self._ix.entity_index(entity_id))
        except KeyError:
            raise KeyError(f"no entity with id '{entity_id}'") from None

    def __contains__(self, entity_id: object) -> bool:
        return self._ix.has_entity(entity_id)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self._ix.entities)

    def __len__(self) -> int:
        return len(self._ix.entities)

    @property
    def warnings(self) -> list[Problem]:
        """Problems that do not stop loading, such as a name shared by two entities."""
        return list(self._ix.warnings)

    @property
    def index(self) -> Index:
        return self._ix
