"""A corpus cut into partitions that a worker can read on its own.

Reach for this module to send a corpus to a cluster: a directory becomes groups
of files, a JSON-lines file becomes byte ranges that start and end on line
boundaries. Each partition has an id derived from what it covers (paths, sizes,
modification times, byte range), so a re-run recognizes partitions it already
stored. Paths may be fsspec URLs (``s3://…``, ``gs://…``) when the matching
fsspec backend is installed.

Workers run elsewhere, often in another working directory: local paths are made
absolute where the corpus is planned, documents keep the names the user gave,
and a worker that cannot see a local path raises ``PathNotVisible`` rather than
report every document unreadable. JSON lines end at ``b"\n"`` only, and each
line is decoded on its own (``corpus.json_records``, shared with the local reader),
so one bad record fails alone.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canonym.corpus.paths import PathFilter
from canonym.corpus.readers import csv_rows, read_file, walk
from canonym.corpus.records import TEXT_SUFFIXES, Document, json_records
from canonym.io import (
    InputError,
    decode,
    filesystem,
    first_surrogate,
    is_url,
    max_doc_bytes,
    read_stream,
)

__all__ = ["Partition", "PathNotVisible", "plan_partitions", "read_partition"]

FILES_PER_PARTITION = 64
BYTES_PER_PARTITION = 4 * 2**20


@dataclass(frozen=True)
class Partition:
    """Files of a directory, or a byte range of a JSON-lines file."""

    id: str
    kind: str  # files | lines
    paths: tuple[str, ...]  # absolute local paths, or URLs: what a worker opens
    root: str
    start: int = 0
    end: int = 0
    first_line: int = 1
    text_field: str = "text"
    id_field: str = "id"
    shown: tuple[str, ...] = ()  # ``paths`` as the user named them, for sources

    def name(self, i: int) -> str:
        return self.shown[i] if self.shown else self.paths[i]


class PathNotVisible(OSError):
    """A worker cannot see a local path the client planned: no shared filesystem."""


def _digest(*parts: object) -> str:
    return hashlib.blake2b(json.dumps(parts, default=str).encode(), digest_size=12).hexdigest()


def plan_partitions(
    spec: str,
    *,
    text_field: str = "text",
    id_field: str = "id",
    files_per_partition: int = FILES_PER_PARTITION,
    bytes_per_partition: int = BYTES_PER_PARTITION,
    paths: PathFilter | None = None,
) -> list[Partition]:
    """Partitions of a corpus directory or JSON-lines file, in corpus order; ``paths``
    chooses the files of a directory (its defaults when None)."""
    pf = paths if paths is not None else PathFilter()
    fs, path = filesystem(spec)
    if fs is None:
        given = Path(path)
        p = given.absolute()  # workers may run in another directory: never send a relative path
        if p.is_dir():
            files = [(str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in walk(p, pf, given)]
            shown = [str(given / Path(f).relative_to(p)) for f, _, _ in files]
            return _file_partitions(files, str(p), files_per_partition, shown)
        if not p.is_file():
            raise InputError(f"{spec}: no such file or directory")
        size = p.stat().st_size
        suffix = p.suffix.lower()
        if suffix not in (".jsonl", ".ndjson", ".json"):
            # A CSV file (rows may span lines) or one text file: a single partition,
            # read on the worker as a local run reads it.
            kind = "csv" if suffix == ".csv" else "files"
            stat = (str(p), size, p.stat().st_mtime_ns)
            pid = _digest(kind, stat, text_field, id_field)
            return [
                Partition(pid, kind, (str(p),), str(p.parent), 0, 0, 1, text_field, id_field,
                          (str(given),))
            ]  # fmt: skip
        return _line_partitions(
            str(p),
            size,
            p.stat().st_mtime_ns,
            bytes_per_partition,
            lambda: p.open("rb"),
            text_field,
            id_field,
            str(given),
        )
    if fs.isdir(path):
        found = sorted(f for f in fs.find(path) if _wanted(f, path, pf))
        files = []
        for f in found:
            info = fs.info(f)
            files.append((fs.unstrip_protocol(f), info.get("size", 0), info.get("mtime", "")))
        return _file_partitions(files, fs.unstrip_protocol(path), files_per_partition)
    info = fs.info(path)
    return _line_partitions(
        spec,
        int(info.get("size", 0)),
        info.get("mtime", ""),
        bytes_per_partition,
        lambda: fs.open(path, "rb"),
        text_field,
        id_field,
    )


def _wanted(found: str, root: str, pf: PathFilter) -> bool:
    """A file below a remote folder is read as a local walk would read it."""
    rel = found[len(root) :].strip("/") if found.startswith(root) else found
    if not found.endswith(TEXT_SUFFIXES) or any(p.startswith(".") for p in rel.split("/")):
        return False
    return pf.accepts(rel)  # a glob tests the folders above a file too


def _file_partitions(
    files: Sequence[tuple[str, int, object]],
    root: str,
    per: int,
    shown: Sequence[str] = (),
) -> list[Partition]:
    out = []
    for i in range(0, len(files), per):
        chunk = files[i : i + per]
        paths = tuple(f for f, _, _ in chunk)
        out.append(
            Partition(
                _digest("files", root, chunk),
                "files",
                paths,
                root,
                shown=tuple(shown[i : i + per]),
            )
        )
    return out


def _line_partitions(
    path: str,
    size: int,
    mtime: object,
    per: int,
    opener: Any,
    text_field: str,
    id_field: str,
    shown: str | None = None,
) -> list[Partition]:
    """Byte ranges cut just after a newline, with the line number each starts on."""
    out: list[Partition] = []
    with opener() as fh:
        start, line = 0, 1
        while start < size:
            fh.seek(start)
            chunk_end = min(size, start + per)
            fh.seek(chunk_end)
            if chunk_end < size:
                fh.readline()  # finish the line the cut fell in
                chunk_end = fh.tell()
            fh.seek(start)
            lines_here = fh.read(chunk_end - start).count(b"\n")
            pid = _digest("lines", path, size, mtime, start, chunk_end, text_field, id_field)
            names = (shown,) if shown is not None else ()
            out.append(
                Partition(
                    pid, "lines", (path,), path, start, chunk_end, line, text_field, id_field, names
                )
            )
            line += lines_here
            start = chunk_end
    return out


def read_partition(part: Partition) -> Iterator[Document]:
    """The documents of a partition, read where the partition is (on the worker).

    Raises ``PathNotVisible`` when a local path the client planned does not exist
    here: that is a worker without the client's filesystem, not a corpus of
    unreadable documents.
    """
    if part.kind == "files":
        yield from _read_files(part)
        return
    if part.kind == "csv":
        yield from _read_csv(part)
        return
    fs, path = filesystem(part.paths[0])
    name = part.name(0)
    try:
        with fs.open(path, "rb") if fs is not None else open(path, "rb") as fh:
            fh.seek(part.start)
            data = fh.read(part.end - part.start)
    except FileNotFoundError:
        if fs is None:
            raise PathNotVisible(path) from None
        raise
    # JSON lines end at \n only (BytesIO splits there alone, as the local reader does),
    # whatever separators the text of a record holds; each line is decoded and checked
    # on its own by the local reader's rule, so one bad record fails alone.
    yield from json_records(
        io.BytesIO(data), name, part.text_field, part.id_field, first_line=part.first_line
    )


def _read_csv(part: Partition) -> Iterator[Document]:
    path, name = part.paths[0], part.name(0)
    if not Path(path).exists():
        raise PathNotVisible(path)
    for doc in csv_rows(Path(path), part.text_field, part.id_field, None, max_doc_bytes()):
        source = name + doc.source[len(path) :]  # path:line, as the user named the file
        doc_id = source if doc.doc_id == doc.source else doc.doc_id
        yield Document(doc_id, source, doc.text, doc.error)


def _read_files(part: Partition) -> Iterator[Document]:
    root = Path(part.root)
    if not is_url(part.root) and not root.exists():
        raise PathNotVisible(part.root)
    for i, f in enumerate(part.paths):
        fs, path = filesystem(f)
        if fs is None:
            doc = read_file(
                Path(path), root if root.is_dir() else Path(path).parent, None, max_doc_bytes()
            )
            name = part.name(i)
            if first_surrogate(name) is not None:  # a file name that is not UTF-8
                name = os.fsencode(name).decode("utf-8", "backslashreplace")
            yield Document(
                doc.doc_id, name, doc.text, doc.error, name if doc.path is not None else None
            )
            continue
        rel = f[len(part.root) :].lstrip("/") if f.startswith(part.root) else f
        try:
            with fs.open(path, "rb") as fh:
                text = decode(read_stream(fh, f, max_doc_bytes()), f)
            yield Document(rel, f, text, None, None)
        except InputError as e:
            yield Document(rel, f, None, str(e).split(": ", 1)[-1], None)
        except OSError as e:
            yield Document(rel, f, None, f"cannot read ({e!r})", None)
