"""The ``Gazetteer``: loaded entities behind one object that resolves names.

Reach for this module from code that uses canonym: ``Gazetteer.default()`` for
the bundled data and the user's search path, ``Gazetteer.load(path, ...)`` for
chosen files, ``Gazetteer.open(dir)`` for an index ``Gazetteer.compile`` wrote,
then ``resolve`` or ``link``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from canonym.gazetteer.cache import fingerprint as files_fingerprint
from canonym.gazetteer.cache import load_or_build
from canonym.gazetteer.compiled import is_compiled
from canonym.gazetteer.entity import Entity, GazetteerError, Problem
from canonym.gazetteer.files import Layer, search_layers
from canonym.gazetteer.index import Index, build_index
from canonym.gazetteer.overlay import combine, rules_digest
from canonym.match.context import NO_CONTEXT, Context
from canonym.match.explain import Explanation, explain
from canonym.match.resolve import DEFAULT_THRESHOLDS, Match, Thresholds, link, resolve

if TYPE_CHECKING:
    from canonym.gazetteer.mapped import MappedIndex

__all__ = ["Gazetteer", "INDEX_ENV", "check_files", "layers_extra"]

INDEX_ENV = "CANONYM_INDEX"  # a compiled index that Gazetteer.default() opens instead


def check_files(files: Sequence[Path]) -> tuple[list[list[Entity]], list[Problem]]:
    """Read and validate ``files`` as one gazetteer: its entities, and every problem found."""
    combined = combine([Layer(Path("."), tuple(files))])
    return combined.layers, combined.problems


def layers_extra(layers: Sequence[Layer]) -> str:
    """What decides a load besides the files' content, for the cache fingerprint.

    Precedence belongs to a layer, and which layer a file is in decides which names
    are shadowed: the layers' shapes count, as does the code combining them.
    """
    shape = repr([(layer.label, len(layer.files)) for layer in layers])
    return f"{shape}\0{rules_digest()}"


class Gazetteer:
    """Entities and the index that finds them by any spelling."""

    def __init__(
        self,
        index: Index | MappedIndex,
        *,
        files: Sequence[Path] = (),
        cached: bool = False,
        fingerprint: str | None = None,
    ) -> None:
        self._ix = index
        self.files = list(files)
        self.cached = cached
        manifest = getattr(index, "manifest", None)
        if manifest is not None:
            self.fingerprint = (
                fingerprint
                or manifest.get("fingerprint")  # older or hand-made manifests lack it
                or manifest["files"]["entities.sqlite"]["sha256"][:32]
            )
        elif files:
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
        A compiled index directory (``Gazetteer.compile``) is opened instead, when
        it is the one path: it holds all it was compiled from, bundled data included;
        so is ``CANONYM_INDEX`` when no path is given and ``with_defaults`` is set.
        """
        env = os.environ.get(INDEX_ENV)
        if env and with_defaults and not paths:
            try:
                return cls.open(env)
            except GazetteerError as e:
                # Set in a shell profile, it is easily forgotten: say where it came from.
                raise GazetteerError(
                    [dataclasses.replace(p, message=f"{p.message} ({INDEX_ENV}={env})")
                     for p in e.problems]
                ) from None  # fmt: skip
        compiled = [p for p in paths if is_compiled(p)]
        if compiled:
            if len(paths) > 1:
                raise GazetteerError(
                    [
                        Problem(
                            str(compiled[0]),
                            0,
                            "a compiled index is used alone: compile the other gazetteers into it",
                        )
                    ]  # fmt: skip
                )
            return cls.open(compiled[0])
        layers = search_layers(paths, with_defaults=with_defaults)
        files = [f for layer in layers for f in layer.files]

        def build() -> Index:
            combined = combine(layers)
            if combined.errors:
                raise GazetteerError(combined.errors)
            ix = build_index(combined.layers)
            # The combined check names both sides of a clash, across layers too.
            ix.warnings = [p for p in combined.problems if p.severity == "warning"]
            return ix

        extra = layers_extra(layers)
        key = files_fingerprint(files, extra=extra)
        ix, cached = load_or_build(files, build, use_cache=use_cache, key=key, extra=extra)
        return cls(ix, files=files, cached=cached, fingerprint=key)

    @classmethod
    def default(cls, *extra: str | os.PathLike[str], use_cache: bool = True) -> Gazetteer:
        """The bundled gazetteers, ``CANONYM_GAZETTEERS``, then ``extra`` paths.

        With ``CANONYM_INDEX`` set (a compiled index directory) and no ``extra``
        paths, that index instead.
        """
        return cls.load(*extra, use_cache=use_cache, with_defaults=True)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, verify: bool = False) -> Gazetteer:
        """The compiled index directory at ``path``, memory-mapped: opening reads no entity.

        Raises ``GazetteerError`` when it is not a whole index of this canonym's format
        (``verify=True`` checks every file's checksum, not only the small ones').
        """
        from canonym.gazetteer.compiled import CompiledIndexError
        from canonym.gazetteer.mapped import open_compiled

        try:
            ix = open_compiled(path, verify=verify)
        except CompiledIndexError as e:
            what = str(e).removeprefix(f"{path}: ")
            raise GazetteerError([Problem(str(path), 0, what)]) from None
        except ImportError:
            raise GazetteerError(
                [
                    Problem(
                        str(path),
                        0,
                        "opening a compiled index needs marisa-trie: pip install 'canonym[index]'",
                    )
                ]  # fmt: skip
            ) from None
        return cls(ix, cached=True)

    @classmethod
    def compile(
        cls,
        *paths: str | os.PathLike[str],
        out: str | os.PathLike[str],
        with_defaults: bool = True,
        progress: Callable[[str], None] | None = None,
        jobs: int = 0,
    ) -> Path:
        """Compile gazetteer files (with the bundled ones, unless ``with_defaults=False``)
        into an index directory at ``out`` that ``Gazetteer.open`` maps; returns ``out``.

        The sources are read a file at a time and the tables built in bounded memory
        (sorted runs on disk beside ``out``), so millions of names compile in a few GB.
        Raises ``GazetteerError`` listing every problem when a file is invalid, and
        when a given path holds no entity (the index would be empty). ``jobs`` worker
        processes read and key JSON lines (0: one per processor, two at most).
        """

        try:
            import marisa_trie  # noqa: F401 - said before minutes of building, not after
        except ImportError:
            raise GazetteerError(
                [
                    Problem(
                        str(out),
                        0,
                        "compiling an index needs marisa-trie: pip install 'canonym[index]'",
                    )
                ]  # fmt: skip
            ) from None
        from canonym.gazetteer.build import compile_layers

        layers = search_layers(paths, with_defaults=with_defaults)
        files = [f for layer in layers for f in layer.files]
        key = files_fingerprint(files, extra=layers_extra(layers))
        return compile_layers(
            layers,
            out,
            sources=[str(f) for f in files],
            fingerprint=key,
            progress=progress,
            jobs=jobs,
        )

    @classmethod
    def from_entities(cls, entities: Iterable[Entity]) -> Gazetteer:
        """An in-memory gazetteer, e.g. for entities built in code."""
        return cls(build_index([list(entities)]))

    # -- lookups ---------------------------------------------------------------

    def resolve(
        self,
        name: str,
        *,
        top: int = 5,
        similar: bool = False,
        context: Context | None = None,
    ) -> list[Match]:
        """Candidates for ``name``, best first; empty when nothing is close enough.

        ``similar=True`` looks past an exact hit, for the entities a name is close to.
        ``context`` (``canonym.context_of(gazetteer, text)`` for the text around the
        name) ranks homonyms: one in a country or near a place it names comes first.
        """
        return resolve(
            self.index,
            name,
            top=top,
            thresholds=self.thresholds,
            similar=similar,
            context=context or NO_CONTEXT,
        )

    def link(self, name: str, *, context: Context | None = None) -> Match | None:
        """The single entity ``name`` stands for, or None when unsure or ambiguous.

        Homonyms (two cities called Tabuk) stay ambiguous unless ``context`` or a far
        larger prior favours one.
        """
        return link(self.index, name, thresholds=self.thresholds, context=context or NO_CONTEXT)

    def explain(self, name: str, *, context: Context | None = None) -> Explanation:
        """What ``link`` decides for ``name`` and why: the match, runner-up, reason."""
        ctx = context or NO_CONTEXT
        return explain(self.index, name, thresholds=self.thresholds, context=ctx)

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
        # A MappedIndex answers every query of Index (tests/gazetteer/test_compiled.py
        # holds them to the same answers); the readers are typed for Index.
        return cast(Index, self._ix)
