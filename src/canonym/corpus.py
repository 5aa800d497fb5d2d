"""Reading a corpus as a stream of documents, whatever its shape.

Reach for this module to feed the corpus jobs: a directory tree of ``.txt`` and
``.md`` files, a JSON-lines file (or ``-`` for stdin), or a CSV column. Documents
come one at a time in a stable order, so memory stays flat and two runs see the
same sequence; a document that cannot be read comes with an ``error`` instead of
text and never stops the stream.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from canonym.textio import InputError, decode

__all__ = ["Document", "read_corpus", "content_hash", "TEXT_SUFFIXES"]

TEXT_SUFFIXES = (".txt", ".md")
MAX_BYTES = 20 * 2**20  # a news article is kilobytes; a 20 MB "article" is a mistake


@dataclass(frozen=True, slots=True)
class Document:
    """One document: its id, where it came from, and its text or why it has none."""

    doc_id: str
    source: str  # a path, or path:line for a record in a JSON-lines or CSV file
    text: str | None
    error: str | None = None
    path: str | None = None  # set for a plain-text file, which ``check --fix`` may rewrite

    @property
    def ok(self) -> bool:
        return self.text is not None


def content_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _read_file(path: Path, root: Path, encoding: str | None, max_bytes: int) -> Document:
    rel = path.relative_to(root).as_posix() if path != root else path.name
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Document(rel, str(path), None, f"too large ({size:,} bytes)", str(path))
        text = decode(path.read_bytes(), str(path), encoding)
    except InputError as e:
        return Document(rel, str(path), None, str(e).split(": ", 1)[-1], str(path))
    except OSError as e:
        return Document(rel, str(path), None, f"cannot read ({e.strerror})", str(path))
    return Document(rel, str(path), text, None, str(path))


def _walk(root: Path) -> Iterator[Path]:
    """Text files below ``root`` in sorted order, hidden files and folders skipped."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and name.endswith(TEXT_SUFFIXES):
                yield Path(dirpath) / name


def _records(lines: Iterator[str], name: str, text_field: str, id_field: str) -> Iterator[Document]:
    from canonym.partitions import record_document  # one rule for local and cluster runs

    for n, line in enumerate(lines, 1):
        doc = record_document(line, f"{name}:{n}", text_field, id_field)
        if doc is not None:
            yield doc


def _csv_rows(
    path: Path, text_field: str, id_field: str, encoding: str | None
) -> Iterator[Document]:
    with path.open(encoding=encoding or "utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or text_field not in reader.fieldnames:
            raise InputError(f"{path}: no column '{text_field}' (columns: {reader.fieldnames})")
        for row in reader:
            source = f"{path}:{reader.line_num}"
            text = row.get(text_field)
            doc_id = row.get(id_field) or source
            if text is None:
                yield Document(doc_id, source, None, "row has too few columns")
            else:
                yield Document(doc_id, source, text)


def read_corpus(
    spec: str,
    *,
    text_field: str = "text",
    id_field: str = "id",
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Iterator[Document]:
    """Documents of a corpus: a directory, a ``.jsonl``/``.ndjson`` file, a ``.csv`` file,
    a single text file, or ``-`` for JSON lines on stdin.

    Raises ``InputError`` when the corpus itself is missing or unreadable.
    """
    if spec == "-":
        stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        yield from _records(iter(stream), "<stdin>", text_field, id_field)
        return
    if "://" in spec and not spec.startswith("file://"):
        # A remote corpus (s3://, gs://): read through the same partitions a cluster uses.
        from canonym.partitions import plan_partitions, read_partition

        for part in plan_partitions(spec, text_field=text_field, id_field=id_field):
            yield from read_partition(part)
        return
    path = Path(spec.removeprefix("file://"))
    if path.is_dir():
        for f in _walk(path):
            yield _read_file(f, path, encoding, max_bytes)
        return
    if not path.is_file():
        raise InputError(f"{spec}: no such file or directory")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        # newline="\n": JSON lines end there only, as on a cluster (no \r, no U+2028)
        with path.open(encoding=encoding or "utf-8", errors="replace", newline="\n") as fh:
            yield from _records(iter(fh), str(path), text_field, id_field)
    elif suffix == ".csv":
        yield from _csv_rows(path, text_field, id_field, encoding)
    else:
        yield _read_file(path, path.parent, encoding, max_bytes)
