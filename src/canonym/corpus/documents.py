"""Reading a corpus as a stream of documents, whatever its shape.

Reach for this module to feed the corpus jobs: a directory tree of ``.txt`` and
``.md`` files, a JSON-lines file (or ``-`` for stdin), or a CSV column. Documents
come one at a time in a stable order, so memory stays flat and two runs see the
same sequence; a document that cannot be read comes with an ``error`` instead of
text and never stops the stream. No document is read past the size limit
(``max_bytes``, ``CANONYM_MAX_DOC_BYTES``, 20 MiB by default).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from canonym.corpus.partitions import plan_partitions, read_partition
from canonym.corpus.paths import PathFilter
from canonym.corpus.readers import csv_rows, json_lines, read_file, walk
from canonym.corpus.records import (
    MAX_BYTES,
    TEXT_SUFFIXES,
    Document,
    content_hash,
    json_records,
    missing_field_hint,
    record_document,
    text_problem,
)
from canonym.io import InputError, is_url, local_path, max_doc_bytes

__all__ = [
    "Document",
    "read_corpus",
    "count_documents",
    "content_hash",
    "text_problem",
    "record_document",
    "missing_field_hint",
    "json_records",
    "TEXT_SUFFIXES",
    "MAX_BYTES",
]


def read_corpus(
    spec: str,
    *,
    text_field: str = "text",
    id_field: str = "id",
    encoding: str | None = None,
    max_bytes: int | None = None,
    paths: PathFilter | None = None,
) -> Iterator[Document]:
    """Documents of a corpus: a directory, a ``.jsonl``/``.ndjson`` file, a ``.csv`` file,
    a single text file, or ``-`` for JSON lines on stdin.

    ``max_bytes`` caps one document (a file, or a line of JSON lines or CSV);
    without it, ``CANONYM_MAX_DOC_BYTES`` or 20 MiB. Raises ``InputError`` when the
    corpus itself is missing or unreadable. ``paths`` chooses the files of a directory
    (its defaults when None); a file named as the corpus is always read.
    """
    cap = max_doc_bytes(max_bytes)
    if spec == "-":
        yield from json_lines(sys.stdin.buffer, "<stdin>", text_field, id_field, encoding, cap)
        return
    if is_url(spec):
        # A remote corpus (s3://, gs://): read through the same partitions a cluster uses.
        for part in plan_partitions(spec, text_field=text_field, id_field=id_field, paths=paths):
            yield from read_partition(part)
        return
    path = Path(local_path(spec))
    if path.is_dir():
        for f in walk(path, paths):
            yield read_file(f, path, encoding, cap)
        return
    if not path.exists():
        raise InputError(f"{spec}: no such file or directory")
    if not path.is_file():
        raise InputError(f"{spec}: not a regular file; give a directory, a .jsonl or .csv file")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        try:
            with path.open("rb") as fh:
                yield from json_lines(fh, str(path), text_field, id_field, encoding, cap)
        except OSError as e:
            raise InputError(f"{spec}: cannot read ({e.strerror})") from None
    elif suffix == ".csv":
        try:
            yield from csv_rows(path, text_field, id_field, encoding, cap)
        except OSError as e:
            raise InputError(f"{spec}: cannot read ({e.strerror})") from None
    else:
        yield read_file(path, path.parent, encoding, cap)


def count_documents(spec: str, paths: PathFilter | None = None) -> int | None:
    """How many documents a corpus holds, when that is cheap to know (for an ETA)."""
    if spec == "-":
        return None
    p = Path(spec)
    if p.is_dir():
        return sum(1 for _ in walk(p, paths))
    if p.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        with p.open("rb") as fh:
            return sum(1 for line in fh if line.strip())
    return None
