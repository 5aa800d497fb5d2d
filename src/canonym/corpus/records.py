"""Documents and records: what one document is, and how a record or a JSON line
becomes one.

Reach for this module for ``Document`` and the rules every reader shares (a text
field, an id, lone surrogates, the size limit); ``canonym.corpus.readers`` reads
files with them and ``canonym.corpus.documents`` streams whole corpora.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from canonym.io import MAX_DOC_BYTES, explain_undecodable, first_surrogate

__all__ = [
    "Document",
    "content_hash",
    "text_problem",
    "record_document",
    "missing_field_hint",
    "json_records",
    "TEXT_SUFFIXES",
    "MAX_BYTES",
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


def undecodable(line: str, encoding: str | None) -> str | None:
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
        bad = undecodable(line, encoding)
        if bad is not None:
            yield Document(source, source, None, bad)
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            yield Document(source, source, None, f"invalid JSON ({e.msg}, column {e.colno})")
            continue
        yield record_document(record, source, text_field, id_field)
