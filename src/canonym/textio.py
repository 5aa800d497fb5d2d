"""Reading documents and writing results safely.

Reach for this module when bytes come from a user: ``read_text`` refuses binary
files and explains a wrong encoding (Windows-1256 Arabic or Latin-1 files are
common in news archives); ``write_atomic`` never leaves a half-written file.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

__all__ = ["InputError", "read_text", "decode", "write_atomic", "write_output"]

_SNIFF = 8192


class InputError(Exception):
    """A document canonym cannot read; the message says which and what to do."""


def _guess_encoding(data: bytes) -> str:
    """A likely single-byte encoding for bytes that are not UTF-8."""
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        return "latin-1"
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06ff")
    high = sum(1 for b in data if b >= 0x80)
    return "cp1256" if high and arabic / high > 0.6 else "cp1252"


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Bytes to text, with a message that names the file, line and a fix when it fails."""
    nul = data.find(b"\x00", 0, _SNIFF)
    if nul >= 0:
        raise InputError(
            f"{name}: looks binary (NUL byte at offset {nul}); canonym reads text files"
        )
    enc = encoding or "utf-8-sig"
    try:
        return data.decode(enc)
    except LookupError:
        raise InputError(f"{name}: unknown encoding '{encoding}'") from None
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        if encoding:
            raise InputError(f"{name}:{line}: not valid {encoding} at byte {e.start}") from None
        guess = _guess_encoding(data)
        raise InputError(
            f"{name}:{line}: not valid UTF-8 at byte {e.start}; "
            f"it looks like {guess}: try --encoding {guess}"
        ) from None


def read_text(path: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of a file, or of stdin for ``-``; returns (display name, text)."""
    if path == "-":
        return "<stdin>", decode(sys.stdin.buffer.read(), "<stdin>", encoding)
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path}: is a directory; give a file, or use the corpus commands")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    return path, decode(data, path, encoding)


def write_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write beside the target, then rename over it: readers see the old or the new file."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(
        dir=target.parent or Path("."), prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_output(target: str | os.PathLike[str], text: str) -> None:
    """Write a report to a local path (atomically) or an fsspec URL (``s3://…``)."""
    name = str(target)
    if "://" not in name or name.startswith("file://"):
        write_atomic(name.removeprefix("file://"), text)
        return
    from canonym.partitions import filesystem

    fs, path = filesystem(name)
    # An object store replaces the whole object when the upload completes.
    with fs.open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
