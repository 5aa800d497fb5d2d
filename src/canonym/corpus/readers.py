"""Reading the files of a corpus: text files, JSON-lines streams and CSV columns.

Reach for this module to read one file into documents, locally or in a cluster
worker; ``canonym.corpus.documents`` chooses the reader for a whole corpus and
``canonym.corpus.partitions`` reads a worker's share with the same functions.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from canonym.corpus.paths import PathFilter, prefix_of
from canonym.corpus.records import TEXT_SUFFIXES, Document, json_records, text_problem
from canonym.corpus.records import undecodable as _undecodable
from canonym.io import InputError, decode, first_surrogate, read_bounded

__all__ = ["read_file", "walk", "json_lines", "csv_rows"]


def read_file(path: Path, root: Path, encoding: str | None, max_bytes: int) -> Document:
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


def walk(root: Path, paths: PathFilter | None = None, shown: Path | None = None) -> Iterator[Path]:
    """Text files below ``root`` in sorted order, hidden files and folders skipped, and
    those ``paths`` leaves out (its defaults when None). ``shown`` is ``root`` as the user
    named it, for globs written from the working directory."""
    pf = paths if paths is not None else PathFilter()
    prefix = prefix_of(shown if shown is not None else root)
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath).relative_to(root)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and not pf.skips((here / d).as_posix(), prefix, is_dir=True)
        )
        for name in sorted(filenames):
            if not name.startswith(".") and name.endswith(TEXT_SUFFIXES):
                if pf.accepts((here / name).as_posix(), prefix):
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


def _text_stream(binary: IO[bytes], encoding: str | None, newline: str | None) -> io.TextIOWrapper:
    try:
        return io.TextIOWrapper(
            binary, encoding=encoding or "utf-8-sig", errors="surrogateescape", newline=newline
        )
    except LookupError:
        raise InputError(f"unknown encoding '{encoding}'") from None


def json_lines(
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


def csv_rows(
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
