"""Reading documents: bounded reads, decoding, and what to say when bytes are not text.

Reach for this module when bytes come from a user: ``read_text`` refuses binary
files and explains a wrong encoding (Windows-1256 Arabic or Latin-1 files are
common in news archives); reads are capped, so a device or a dump cannot exhaust
memory.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from pathlib import Path
from typing import BinaryIO

# A news article is kilobytes; a document of 20 MiB is a mistake (a dump, a device, a
# concatenation), and reading it whole could exhaust memory.
MAX_DOC_BYTES = 20 * 2**20
ENV_MAX_DOC_BYTES = "CANONYM_MAX_DOC_BYTES"

# C0 controls other than the whitespace of text (tab, newline, vertical tab, form feed,
# carriage return) and SUB, which old DOS files end with; and DEL.
_CONTROL = bytes([*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F])
_CONTROL_RATIO = 0.05  # text has next to none; random bytes have one in ten


class InputError(Exception):
    """A document canonym cannot read; the message says which and what to do."""


def max_doc_bytes(value: int | None = None) -> int:
    """The largest document canonym reads: ``value``, else ``CANONYM_MAX_DOC_BYTES``,
    else 20 MiB."""
    if value is not None:
        if value < 1:
            raise InputError(f"the document size limit must be at least 1 byte, not {value}")
        return value
    raw = os.environ.get(ENV_MAX_DOC_BYTES, "").strip()
    if not raw:
        return MAX_DOC_BYTES
    try:
        n = int(raw)
    except ValueError:
        raise InputError(f"{ENV_MAX_DOC_BYTES}={raw!r}: not a number of bytes") from None
    return max_doc_bytes(n)


def _too_large(name: str, cap: int) -> InputError:
    return InputError(
        f"{name}: too large (over {cap:,} bytes); raise the limit with --max-doc-bytes "
        f"or {ENV_MAX_DOC_BYTES}"
    )


def read_stream(fh: BinaryIO, name: str, cap: int) -> bytes:
    """At most ``cap`` bytes of a stream; ``InputError`` when it holds more."""
    data = fh.read(cap + 1)
    if len(data) > cap:
        raise _too_large(name, cap)
    return data


_SURROGATE = re.compile("[\ud800-\udfff]")


def first_surrogate(text: str) -> re.Match[str] | None:
    """The first surrogate code point in ``text``: half of a pair escaped alone in JSON
    (``"\\ud800"``), or a byte that ``surrogateescape`` could not decode. None when
    the text is valid Unicode, which no UTF-8 file or database could otherwise hold."""
    # Encoding is a pass in C and fails exactly on surrogates; a regex scan of every
    # record was most of the time spent reading a JSON-lines corpus.
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.search(text)
    return None


def file_kind(mode: int) -> str:
    """What a path that is not a regular file is, for messages ("a FIFO")."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_bounded(path: str | os.PathLike[str], cap: int, *, regular_only: bool = True) -> bytes:
    """The bytes of a file, never more than ``cap`` read into memory.

    With ``regular_only`` (files found in a corpus directory), devices, FIFOs and
    sockets are refused without reading: a FIFO would block and ``/dev/zero`` never
    ends. A file named on the command line may be a pipe (``<(zcat a.gz)``).
    """
    name = str(path)
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
    if regular_only:
        flags |= getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as e:
        raise InputError(f"{name}: cannot read ({e.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{name}: is a directory; give a file, or use the corpus commands")
        if regular_only and not stat.S_ISREG(mode):
            raise InputError(f"{name}: {file_kind(mode)}, not a regular file; skipped")
        if stat.S_ISREG(mode) and os.fstat(fd).st_size > cap:
            raise _too_large(name, cap)
        try:
            return read_stream(fh, name, cap)
        except OSError as e:
            raise InputError(f"{name}: cannot read ({e.strerror})") from None


def _guess_encoding(data: bytes) -> str:
    """A likely single-byte encoding for bytes that are not UTF-8."""
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        return "latin-1"
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06ff")
    high = sum(1 for b in data if b >= 0x80)
    return "cp1256" if high and arabic / high > 0.6 else "cp1252"


def _wide(encoding: str) -> bool:
    """UTF-16 and UTF-32 text is full of NUL bytes."""
    return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


def _binary_reason(data: bytes) -> str | None:
    """Why bytes in a byte-per-character or UTF-8 encoding are not text, or None."""
    nul = data.find(b"\x00")
    if nul >= 0:
        return f"looks binary (NUL byte at offset {nul}); canonym reads text files"
    controls = len(data) - len(data.translate(None, _CONTROL))
    if controls >= 2 and controls > len(data) * _CONTROL_RATIO:
        return (
            f"looks binary ({controls:,} control bytes in {len(data):,}); canonym reads text files"
        )
    return None


def explain_undecodable(data: bytes, encoding: str | None, start: int) -> str:
    """Why ``data`` does not decode at byte ``start``, and which ``--encoding`` to try."""
    if encoding:
        return f"not valid {encoding} at byte {start}"
    binary = _binary_reason(data)
    if binary is not None:
        return binary
    guess = _guess_encoding(data)
    return f"not valid UTF-8 at byte {start}; it looks like {guess}: try --encoding {guess}"


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Bytes to text, with a message that names the file, line and a fix when it fails.

    A UTF-8 byte order mark is kept as U+FEFF, so that writing the text back gives
    the same bytes; ``--encoding utf-8-sig`` drops it.
    """
    enc = encoding or "utf-8"
    try:
        wide = _wide(enc)
    except LookupError:
        raise InputError(f"{name}: unknown encoding '{encoding}'") from None
    if not wide:
        if encoding is None and data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            raise InputError(f"{name}: looks like UTF-32 (byte order mark): try --encoding utf-32")
        if encoding is None and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise InputError(f"{name}: looks like UTF-16 (byte order mark): try --encoding utf-16")
        binary = _binary_reason(data)
        if binary is not None:
            raise InputError(f"{name}: {binary}")
    try:
        return data.decode(enc)
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1 if not wide else 1
        raise InputError(f"{name}:{line}: {explain_undecodable(data, encoding, e.start)}") from None


def has_utf8_bom(path: str | os.PathLike[str]) -> bool:
    """Whether a file starts with the UTF-8 byte order mark (False when unreadable)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
    except OSError:
        return False


def read_text(
    path: str, encoding: str | None = None, max_bytes: int | None = None
) -> tuple[str, str]:
    """The text of a file, or of stdin for ``-``; returns (display name, text)."""
    cap = max_doc_bytes(max_bytes)
    if path == "-":
        return "<stdin>", decode(read_stream(sys.stdin.buffer, "<stdin>", cap), "<stdin>", encoding)
    if Path(path).is_dir():
        raise InputError(f"{path}: is a directory; give a file, or use the corpus commands")
    return path, decode(read_bounded(path, cap, regular_only=False), path, encoding)
