"""Reading a corpus as a stream of documents, whatever its shape.

Reach for this module to feed the corpus jobs: a directory tree of ``.txt`` and
``.md`` files, a JSON-lines file (or ``-`` for stdin), or a CSV column. Documents
come one at a time in a stable order, so memory stays flat and two runs see the
same sequence; a document that cannot be read comes with an ``error`` instead of
text and never stops the stream. No document is read past the size limit
(``max_bytes``, ``CANONYM_MAX_DOC_BYTES``, 20 MiB by default).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from canonym.io import (
    MAX_DOC_BYTES,
    InputError,
    decode,
    explain_undecodable,
    first_surrogate,
    max_doc_bytes,
    read_bounded,
)

__all__ = [
    "Document",
    "read_corpus",
    "content_hash",
    "text_problem",
    "record_document",
    "missing_field_hint",
    "json_records",
    "TEXT_SUFFIXES",
]

TEXT_SUFFIXES = (".txt", ".md")
MAX_BYTES = MAX_DOC_BYTES

_TEXT_LIKE = ("body", "text", "content", "article", "story", "fulltext", "message", "summary")
_NO_FIELD = re.compile(r"^no text field '(?P<field>[^']*)' \(fields: (?P<seen>.*)\)$")


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


def text_problem(text: str, field: str = "text") -> str | None:
    """Why a record's field cannot be analyzed, or None: the one rule every reader
    applies, locally and on a cluster.

    JSON may escape half of a surrogate pair (``"\\ud800"``): Python holds such a
    string, but no UTF-8 hash, database or output file can, so the record is listed
    instead of crashing the run (and every re-run) at the same line. The message does
    not quote the string, so storing it cannot fail either.
    """
    m = first_surrogate(text)
    if m is not None:
        return (
            f"lone surrogate at character {m.start()} of field '{field}' "
            f"(U+{ord(m.group()):04X}, a \\ud800-\\udfff escape without its pair; "
            "not valid Unicode)"
        )
    return None


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "a list" if isinstance(value, list) else "an object"


def record_document(
    record: Any, source: str, text_field: str = "text", id_field: str = "id"
) -> Document:
    """The document of one parsed JSON record (a line of a JSON-lines corpus)."""
    if not isinstance(record, dict):
        return Document(source, source, None, "a JSON line must be an object")
    text = record.get(text_field)
    raw_id = record.get(id_field)
    doc_id = str(raw_id) if raw_id not in (None, "") else source
    bad_id = text_problem(doc_id, id_field)
    if bad_id is not None:
        return Document(source, source, None, bad_id)
    if text_field in record and not isinstance(text, str):
        # Saying "no text field" of a record that has one sends the user looking for
        # a --text-field they already gave.
        return Document(
            doc_id, source, None, f"field '{text_field}' holds {_json_kind(text)}, not text"
        )
    if not isinstance(text, str):
        seen = ", ".join(sorted(str(k) for k in record)) or "none"
        return Document(doc_id, source, None, f"no text field '{text_field}' (fields: {seen})")
    problem = text_problem(text, text_field)
    if problem is not None:
        return Document(doc_id, source, None, problem)
    return Document(doc_id, source, text)


def missing_field_hint(errors: Iterable[str], text_field: str) -> str | None:
    """When no document could be read and records lacked the text field: which fields
    the records do have, and the ``--text-field`` to pass (None when no record lacked it).
    """
    seen: dict[str, int] = {}
    lacking = 0
    for error in errors:
        m = _NO_FIELD.match(error)
        if m is None or m.group("field") != text_field:
            continue  # a malformed line says nothing about the field names
        lacking += 1
        for name in m.group("seen").split(", "):
            if name != "none":
                seen[name] = seen.get(name, 0) + 1
    if not lacking:
        return None
    if not seen:
        return f"no record has a '{text_field}' field"
    # Suggest a field only when its name says it holds text; an id or a date would not.
    textlike = [k for k in _TEXT_LIKE if k in seen and k != text_field]
    hint = f"; pass --text-field {textlike[0]}" if textlike else "; pass --text-field NAME"
    return f"no record has a '{text_field}' field; fields seen: {', '.join(sorted(seen))}{hint}"


def _read_file(path: Path, root: Path, encoding: str | None, max_bytes: int) -> Document:
    rel = path.relative_to(root).as_posix() if path != root else path.name
    if first_surrogate(str(path)) is not None:
        # A name in another encoding comes from the OS with lone surrogates, which no
        # database, report or UTF-8 output can hold: list it under a printable name.
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")
        rel = os.fsencode(rel).decode("utf-8", "backslashreplace")
        return Document(rel, shown, None, "the file name is not valid UTF-8; rename it")
    try:
        text = decode(read_bounded(path, max_bytes), str(path), encoding)
    except InputError as e:
        return Document(rel, str(path), None, str(e).split(": ", 1)[-1], str(path))
    # A byte order mark is not text: without it, columns count as an editor does and the
    # file hashes like its BOM-less copy. Batch normalize writes it back (has_utf8_bom).
    return Document(rel, str(path), text.removeprefix("\ufeff"), None, str(path))


def _walk(root: Path) -> Iterator[Path]:
    """Text files below ``root`` in sorted order, hidden files and folders skipped."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and name.endswith(TEXT_SUFFIXES):
                yield Path(dirpath) / name


class _Lines:
    """Lines of a text stream, none longer than the size limit read into memory.

    An over-long line is skipped to its end and given as ``None``; ``too_long`` is
    set, for the CSV reader, which sees the line only in pieces.
    """

    def __init__(self, fh: IO[str], cap: int) -> None:
        self.fh, self.cap, self.too_long = fh, cap, False

    def __iter__(self) -> Iterator[str | None]:
        while True:
            line = self.fh.readline(self.cap + 1)
            if not line:
                return
            if len(line) > self.cap:
                while line and not line.endswith("\n"):
                    line = self.fh.readline(self.cap + 1)
                self.too_long = True
                yield None
            else:
                yield line


def _undecodable(line: str, encoding: str | None) -> str | None:
    """Bytes the encoding could not decode come through as lone surrogates (the
    ``surrogateescape`` handler); turn them back into bytes to say where and why."""
    m = first_surrogate(line)
    if m is None:
        return None
    enc = encoding or "utf-8"
    raw = line.encode(enc, "surrogateescape")
    start = len(line[: m.start()].encode(enc, "surrogateescape"))
    return explain_undecodable(raw, encoding, start)


def json_records(
    lines: Iterable[str | bytes | None],
    name: str,
    text_field: str,
    id_field: str,
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
    first_line: int = 1,
) -> Iterator[Document]:
    """Documents of JSON lines: ``str`` lines decoded with ``surrogateescape``, or raw
    UTF-8 ``bytes`` lines; ``None`` stands for a line over the size limit. A cluster
    partition starts at ``first_line`` of its file, so sources name the same lines."""
    for n, item in enumerate(lines, first_line):
        source = f"{name}:{n}"
        if item is None:
            yield Document(source, source, None, f"too large (a line over {max_bytes:,} bytes)")
            continue
        line = (
            item.decode(encoding or "utf-8", "surrogateescape") if isinstance(item, bytes) else item
        )
        if n == 1:
            line = line.removeprefix("\ufeff")  # a byte order mark is not part of the record
        if not line.strip():
            continue
        bad = _undecodable(line, encoding)
        if bad is not None:
            yield Document(source, source, None, bad)
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            yield Document(source, source, None, f"invalid JSON ({e.msg}, column {e.colno})")
            continue
        yield record_document(record, source, text_field, id_field)


def _text_stream(binary: IO[bytes], encoding: str | None, newline: str | None) -> io.TextIOWrapper:
    try:
        return io.TextIOWrapper(
            binary, encoding=encoding or "utf-8-sig", errors="surrogateescape", newline=newline
        )
    except LookupError:
        raise InputError(f"unknown encoding '{encoding}'") from None


def _json_lines(
    binary: IO[bytes], name: str, text_field: str, id_field: str, encoding: str | None, cap: int
) -> Iterator[Document]:
    # newline="\n": a JSON line ends there only, as on a cluster; a raw \r, U+2028 or
    # NEL inside a record is text (str.splitlines would cut the record there).
    fh = _text_stream(binary, encoding, "\n")
    lines = _Lines(fh, cap)
    try:
        yield from json_records(lines, name, text_field, id_field, encoding, cap)
    except UnicodeDecodeError as e:
        # Only wide encodings (UTF-16) fail here: their bytes cannot be escaped one by one.
        yield Document(name, name, None, f"not valid {encoding} ({e.reason}); the rest is unread")
    finally:
        fh.detach()


def _csv_rows(
    path: Path, text_field: str, id_field: str, encoding: str | None, cap: int
) -> Iterator[Document]:
    # The csv module refuses fields over 128 KiB by default; a long article is longer.
    # The limit is process-wide, so it only ever grows.
    csv.field_size_limit(max(cap, csv.field_size_limit()))
    with path.open("rb") as binary:
        fh = _text_stream(binary, encoding, "")
        lines = _Lines(fh, cap)
        # An over-long line stands as one short row, so that the row count stays true.
        reader = csv.DictReader("-\n" if line is None else line for line in lines)
        try:
            fieldnames = reader.fieldnames
        except (csv.Error, UnicodeDecodeError) as e:
            raise InputError(f"{path}: not a readable CSV header ({e})") from None
        if fieldnames is None or text_field not in fieldnames:
            columns = ", ".join(fieldnames or []) or "none"
            raise InputError(
                f"{path}: no column '{text_field}' (columns: {columns}); pass --text-field NAME"
            )
        while True:
            before = reader.line_num
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as e:
                source = f"{path}:{before + 1}"
                lines.too_long = False
                yield Document(source, source, None, f"unreadable CSV row ({e})")
                if reader.line_num == before:
                    return
                continue
            source = f"{path}:{before + 1}"
            if lines.too_long:
                lines.too_long = False
                yield Document(source, source, None, f"too large (a line over {cap:,} bytes)")
                continue
            text = row.get(text_field)
            raw_id = row.get(id_field)
            doc_id = raw_id if raw_id and text_problem(raw_id) is None else source
            if text is None:
                yield Document(doc_id, source, None, "row has too few columns")
                continue
            bad = _undecodable(text, encoding)
            if bad is not None:
                yield Document(doc_id, source, None, bad)
            elif len(text) > cap:
                yield Document(doc_id, source, None, f"too large (over {cap:,} bytes)")
            else:
                yield Document(doc_id, source, text)


def read_corpus(
    spec: str,
    *,
    text_field: str = "text",
    id_field: str = "id",
    encoding: str | None = None,
    max_bytes: int | None = None,
) -> Iterator[Document]:
    """Documents of a corpus: a directory, a ``.jsonl``/``.ndjson`` file, a ``.csv`` file,
    a single text file, or ``-`` for JSON lines on stdin.

    ``max_bytes`` caps one document (a file, or a line of JSON lines or CSV);
    without it, ``CANONYM_MAX_DOC_BYTES`` or 20 MiB. Raises ``InputError`` when the
    corpus itself is missing or unreadable.
    """
    cap = max_doc_bytes(max_bytes)
    if spec == "-":
        yield from _json_lines(sys.stdin.buffer, "<stdin>", text_field, id_field, encoding, cap)
        return
    if "://" in spec and not spec.startswith("file://"):
        # A remote corpus (s3://, gs://): read through the same partitions a cluster uses.
        from canonym.corpus.partitions import plan_partitions, read_partition

        for part in plan_partitions(spec, text_field=text_field, id_field=id_field):
            yield from read_partition(part)
        return
    path = Path(spec.removeprefix("file://"))
    if path.is_dir():
        for f in _walk(path):
            yield _read_file(f, path, encoding, cap)
        return
    if not path.exists():
        raise InputError(f"{spec}: no such file or directory")
    if not path.is_file():
        raise InputError(f"{spec}: not a regular file; give a directory, a .jsonl or .csv file")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        try:
            with path.open("rb") as fh:
                yield from _json_lines(fh, str(path), text_field, id_field, encoding, cap)
        except OSError as e:
            raise InputError(f"{spec}: cannot read ({e.strerror})") from None
    elif suffix == ".csv":
        try:
            yield from _csv_rows(path, text_field, id_field, encoding, cap)
        except OSError as e:
            raise InputError(f"{spec}: cannot read ({e.strerror})") from None
    else:
        yield _read_file(path, path.parent, encoding, cap)
