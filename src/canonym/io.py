"""Reading documents and writing results safely.

Reach for this module when bytes come from a user: ``read_text`` refuses binary
files and explains a wrong encoding (Windows-1256 Arabic or Latin-1 files are
common in news archives); ``write_atomic`` never leaves a half-written file, nor
replaces a link, device or pipe it is pointed at.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

__all__ = [
    "InputError",
    "OutputError",
    "MAX_DOC_BYTES",
    "ENV_MAX_DOC_BYTES",
    "max_doc_bytes",
    "read_bounded",
    "read_stream",
    "read_text",
    "has_utf8_bom",
    "decode",
    "explain_undecodable",
    "file_kind",
    "first_surrogate",
    "AtomicFile",
    "atomic_writer",
    "write_atomic",
    "write_output",
]

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


class OutputError(Exception):
    """An output canonym cannot write; the message names the path and what to do."""


def _umask() -> int:
    # The process umask can only be read by setting it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _explain(path: Path, e: OSError) -> OutputError:
    """One line for a failed write: the path, what went wrong and what to do."""
    code = e.errno
    if code == errno.ENOENT:
        return OutputError(f"{path}: directory {path.parent} does not exist; create it first")
    if code in (errno.EACCES, errno.EPERM):
        return OutputError(f"{path}: permission denied; choose a place you can write to")
    if code == errno.EROFS:
        return OutputError(f"{path}: read-only file system; choose another place")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(f"{path}: no space left on the device; free some space, run again")
    if code in (errno.ENOTDIR, errno.EEXIST):
        return OutputError(f"{path}: a part of the path is not a directory")
    return OutputError(f"{path}: cannot write ({e.strerror or e})")


class _Out(io.FileIO):
    """A file whose failed writes (a full disk) say which output failed, as
    ``OutputError``, so they are never taken for a failure to read an input."""

    def __init__(self, fd: int, name: Path) -> None:
        super().__init__(fd, "wb")
        self._name = name

    def write(self, b: Any) -> int:
        try:
            return super().write(b)
        except OSError as e:
            raise _explain(self._name, e) from None


class AtomicFile:
    """One output, staged so that nothing half-written is ever left behind.

    The policy, by what the path names:

    - a regular file or a new name: the bytes go to a temporary file beside the
      target, are flushed to disk, and the temporary file is renamed over the
      target, so readers see the old file or the new one. An existing file keeps
      its mode (and owner, where allowed); a new one gets the mode the umask
      gives (0644 under umask 022), not the private 0600 of temporary files;
    - a symbolic link: the file it points to is written, atomically as above, and
      the link stays. Renaming over the link itself would turn it into a plain
      file and leave its target stale, which is never what a link was made for;
    - a regular file with more than one hard link: refused. A rename would split
      the names (the others keep the old text) and rewriting in place would leave
      every name half-written if the write failed; whether the other names should
      change (a shared file) or must not (a snapshot) only the user knows;
    - a character device or a FIFO (``/dev/stdout``, ``/dev/null``, a pipe): opened
      and written through, never replaced;
    - a directory, a block device or a socket: refused.

    Use ``open`` to get the stream, then ``commit`` or ``discard``; or use the
    ``atomic_writer`` context manager, which does both. Every failure is an
    ``OutputError`` whose message names the path.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        suffix: str = ".tmp",
        parents: bool = False,
        regular_only: bool = False,
    ) -> None:
        self.path = Path(path)
        self.tmp: Path | None = None
        self._fh: BinaryIO | None = None
        self._mode: int | None = None
        self._owner: tuple[int, int] | None = None
        target = self.path
        if target.is_symlink():
            target = Path(os.path.realpath(target))
        self.target = target
        try:
            st: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            st = None
        except OSError as e:
            raise _explain(self.path, e) from None
        through = False
        if st is not None:
            kind = st.st_mode
            if stat.S_ISDIR(kind):
                raise OutputError(f"{self.path}: is a directory; give a file name")
            if stat.S_ISCHR(kind) or stat.S_ISFIFO(kind):
                if regular_only:
                    raise OutputError(f"{self.path}: not a regular file; give a file name")
                through = True
            elif not stat.S_ISREG(kind):
                raise OutputError(
                    f"{self.path}: is {file_kind(kind)}; canonym writes only files and pipes"
                )
            elif st.st_nlink > 1:
                raise OutputError(
                    f"{self.path}: has {st.st_nlink} hard links that a rewrite would split; "
                    "write elsewhere, or unlink it first (cp FILE FILE.new; mv FILE.new FILE)"
                )
            else:
                self._mode = stat.S_IMODE(st.st_mode)
                self._owner = (st.st_uid, st.st_gid)
        self._through = through
        self._suffix = suffix
        self._parents = parents

    def open(self) -> BinaryIO:
        """The binary stream to write to (a temporary file, or the device itself)."""
        try:
            if self._through:
                # No O_CREAT, no O_TRUNC: a device or pipe is written, never made or cut.
                fd = os.open(self.target, os.O_WRONLY)
                self._fh = io.BufferedWriter(_Out(fd, self.path))
                return self._fh
            if self._parents:
                self.target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                dir=self.target.parent, prefix=f".{self.target.name}.", suffix=self._suffix
            )
        except OSError as e:
            raise _explain(self.path, e) from None
        self.tmp = Path(tmp)
        self._fh = io.BufferedWriter(_Out(fd, self.path))
        return self._fh

    def close(self) -> None:
        """Flush everything to disk; the target is not touched yet."""
        fh = self._fh
        if fh is None or fh.closed:
            return
        try:
            fh.flush()
            if self.tmp is not None:
                os.fsync(fh.fileno())
                mode = self._mode if self._mode is not None else 0o666 & ~_umask()
                os.chmod(self.tmp, mode)
                if self._owner is not None and self._owner != (os.geteuid(), os.getegid()):
                    try:
                        os.chown(self.tmp, *self._owner)
                    except PermissionError:
                        pass  # only root can give a file away; the mode is kept anyway
        except OutputError:
            self.discard()
            raise
        except OSError as e:
            self.discard()
            raise _explain(self.path, e) from None
        finally:
            try:
                fh.close()
            except (OSError, OutputError):
                pass  # already reported, or the file is discarded

    def commit(self) -> None:
        """Put the new bytes in place: rename the temporary file over the target."""
        self.close()
        if self.tmp is None:
            return
        try:
            os.replace(self.tmp, self.target)
        except OSError as e:
            self.discard()
            raise _explain(self.path, e) from None
        self.tmp = None
        try:
            # The rename itself survives a crash only once the directory is on disk.
            dfd = os.open(self.target.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError:
            pass

    def discard(self) -> None:
        """Forget the new bytes: the target stays as it was."""
        if self._fh is not None and not self._fh.closed:
            try:
                self._fh.close()
            except (OSError, OutputError):
                pass  # the bytes are being thrown away
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)
            self.tmp = None


@contextmanager
def atomic_writer(path: str | os.PathLike[str], *, parents: bool = False) -> Iterator[BinaryIO]:
    """A binary stream onto ``path``, put in place when the block ends without error."""
    out = AtomicFile(path, parents=parents)
    fh = out.open()
    try:
        yield fh
    except BaseException:
        out.discard()
        raise
    out.commit()


def write_atomic(
    path: str | os.PathLike[str],
    data: str | bytes,
    encoding: str = "utf-8",
    *,
    parents: bool = False,
) -> None:
    """Write ``data`` to ``path`` under the ``AtomicFile`` policy; text is encoded as is,
    newlines untouched."""
    raw = data.encode(encoding) if isinstance(data, str) else data
    with atomic_writer(path, parents=parents) as fh:
        fh.write(raw)


def write_output(target: str | os.PathLike[str], text: str, *, parents: bool = False) -> None:
    """Write a report to a local path (atomically) or an fsspec URL (``s3://…``)."""
    name = str(target)
    if "://" not in name or name.startswith("file://"):
        write_atomic(name.removeprefix("file://"), text, parents=parents)
        return
    from canonym.corpus.partitions import filesystem

    fs, path = filesystem(name)
    # An object store replaces the whole object when the upload completes.
    with fs.open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
