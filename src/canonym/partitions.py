"""A corpus cut into partitions that a worker can read on its own.

Reach for this module to send a corpus to a cluster: a directory becomes groups
of files, a JSON-lines file becomes byte ranges that start and end on line
boundaries. Each partition has an id derived from what it covers (paths, sizes,
modification times, byte range), so a re-run recognizes partitions it already
stored. Paths may be fsspec URLs (``s3://…``, ``gs://…``) when the matching
fsspec backend is installed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canonym.corpus import TEXT_SUFFIXES, Document, _read_file, _records
from canonym.textio import InputError, decode

__all__ = ["Partition", "plan_partitions", "read_partition"]

FILES_PER_PARTITION = 64
BYTES_PER_PARTITION = 4 * 2**20

_BACKENDS = {
    "s3": "s3fs",
    "gs": "gcsfs",
    "gcs": "gcsfs",
    "az": "adlfs",
    "abfs": "adlfs",
    "http": "aiohttp",
    "https": "aiohttp",
    "hdfs": "pyarrow",
}


@dataclass(frozen=True)
class Partition:
    """Files of a directory, or a byte range of a JSON-lines file."""

    id: str
    kind: str  # files | lines
    paths: tuple[str, ...]
    root: str
    start: int = 0
    end: int = 0
    first_line: int = 1
    text_field: str = "text"
    id_field: str = "id"


def _is_url(spec: str) -> bool:
    return "://" in spec and not spec.startswith("file://")


def filesystem(spec: str) -> tuple[Any, str]:
    """An fsspec filesystem and the path within it; a clear error when a backend is missing."""
    if not _is_url(spec):
        return None, spec.removeprefix("file://")
    protocol = spec.split("://", 1)[0]
    try:
        import fsspec
    except ImportError:
        raise InputError(f"{spec}: URLs need fsspec: pip install fsspec") from None
    try:
        fs, path = fsspec.core.url_to_fs(spec)
    except (ImportError, ValueError) as e:
        package = _BACKENDS.get(protocol, f"the fsspec backend for {protocol}://")
        raise InputError(
            f"{spec}: reading {protocol}:// needs {package}: pip install {package} ({e})"
        ) from None
    return fs, path


def _digest(*parts: object) -> str:
    return hashlib.blake2b(json.dumps(parts, default=str).encode(), digest_size=12).hexdigest()


def plan_partitions(
    spec: str,
    *,
    text_field: str = "text",
    id_field: str = "id",
    files_per_partition: int = FILES_PER_PARTITION,
    bytes_per_partition: int = BYTES_PER_PARTITION,
) -> list[Partition]:
    """Partitions of a corpus directory or JSON-lines file, in corpus order."""
    fs, path = filesystem(spec)
    if fs is None:
        p = Path(path)
        if p.is_dir():
            from canonym.corpus import _walk

            files = [(str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in _walk(p)]
            return _file_partitions(files, str(p), files_per_partition)
        if not p.is_file():
            raise InputError(f"{spec}: no such file or directory")
        size = p.stat().st_size
        return _line_partitions(
            str(p),
            size,
            p.stat().st_mtime_ns,
            bytes_per_partition,
            lambda: p.open("rb"),
            text_field,
            id_field,
        )
    if fs.isdir(path):
        found = sorted(f for f in fs.find(path) if f.endswith(TEXT_SUFFIXES))
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


def _file_partitions(
    files: Sequence[tuple[str, int, object]], root: str, per: int
) -> list[Partition]:
    out = []
    for i in range(0, len(files), per):
        chunk = files[i : i + per]
        out.append(
            Partition(_digest("files", root, chunk), "files", tuple(f for f, _, _ in chunk), root)
        )
    return out


def _line_partitions(
    path: str, size: int, mtime: object, per: int, opener: Any, text_field: str, id_field: str
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
            out.append(
                Partition(pid, "lines", (path,), path, start, chunk_end, line, text_field, id_field)
            )
            line += lines_here
            start = chunk_end
    return out


def read_partition(part: Partition) -> Iterator[Document]:
    """The documents of a partition, read where the partition is (on the worker)."""
    if part.kind == "files":
        for f in part.paths:
            fs, path = filesystem(f)
            if fs is None:
                root = Path(part.root)
                yield _read_file(
                    Path(path), root if root.is_dir() else Path(path).parent, None, 20 * 2**20
                )
                continue
            rel = f[len(part.root) :].lstrip("/") if f.startswith(part.root) else f
            try:
                with fs.open(path, "rb") as fh:
                    text = decode(fh.read(), f)
                yield Document(rel, f, text, None, None)
            except InputError as e:
                yield Document(rel, f, None, str(e).split(": ", 1)[-1], None)
            except OSError as e:
                yield Document(rel, f, None, f"cannot read ({e!r})", None)
        return
    fs, path = filesystem(part.paths[0])
    with fs.open(path, "rb") if fs is not None else open(path, "rb") as fh:
        fh.seek(part.start)
        data = fh.read(part.end - part.start).decode("utf-8", errors="replace")
    lines = iter(data.splitlines(keepends=True))
    for doc in _records(lines, part.paths[0], part.text_field, part.id_field):
        yield _shift(doc, part.first_line - 1)


def _shift(doc: Document, offset: int) -> Document:
    """Renumber ``path:line`` sources of a byte range to lines of the whole file."""
    if not offset:
        return doc

    def fix(s: str) -> str:
        head, sep, tail = s.rpartition(":")
        return f"{head}:{int(tail) + offset}" if sep and tail.isdigit() else s

    return Document(
        fix(doc.doc_id) if doc.doc_id == doc.source else doc.doc_id,
        fix(doc.source),
        doc.text,
        doc.error,
        doc.path,
    )
