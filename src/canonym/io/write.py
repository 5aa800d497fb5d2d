"""Writing results: the one atomic writer, and outputs to paths or URLs.

Reach for this module to write any output: ``write_atomic`` never leaves a
half-written file, nor replaces a link, device or pipe it is pointed at.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, TextIO, cast

from canonym.io.fs import filesystem, is_url, local_path
from canonym.io.read import file_kind


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
            real = Path(os.path.realpath(target))
            # /dev/stdout in a pipeline resolves to "pipe:[N]", a path that exists
            # nowhere, yet the link opens the pipe: then the link is the target.
            target = real if real.exists() or not target.exists() else target
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


def check_output(target: str | os.PathLike[str]) -> None:
    """Raise now the ``OutputError`` that writing a local ``target`` would raise later
    (a missing or read-only folder, a directory, a file with hard links), so that a
    long corpus run is not lost at its end; a URL is left for its upload to judge."""
    name = str(target)
    if is_url(name):
        return
    out = AtomicFile(local_path(name))
    if out._through:
        return
    parent = out.target.parent
    if not parent.is_dir():
        code = errno.ENOTDIR if parent.exists() else errno.ENOENT
        raise _explain(out.path, OSError(code, os.strerror(code)))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _explain(out.path, OSError(errno.EACCES, os.strerror(errno.EACCES)))


@contextmanager
def output_stream(target: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A text stream onto a local path (atomically) or an fsspec URL, for a report
    written as it is rendered: the report is never held whole in memory. A local file
    is put in place, and an upload made, only when the block ends without error."""
    name = str(target)
    if not is_url(name):
        with atomic_writer(local_path(name)) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            try:
                yield text
            finally:
                text.detach()  # flushed; the atomic writer closes (and commits) the file
        return
    # An upload starts only once the report is complete; until then it waits on disk.
    with tempfile.SpooledTemporaryFile(1 << 23, mode="w+", encoding="utf-8", newline="") as spool:
        yield cast(TextIO, spool)
        spool.seek(0)
        fs, path = filesystem(name)
        with fs.open(path, "w", encoding="utf-8") as fh:
            shutil.copyfileobj(spool, fh)


def write_output(target: str | os.PathLike[str], text: str, *, parents: bool = False) -> None:
    """Write a report to a local path (atomically) or an fsspec URL (``s3://…``)."""
    name = str(target)
    if not is_url(name):
        write_atomic(local_path(name), text, parents=parents)
        return
    fs, path = filesystem(name)
    # An object store replaces the whole object when the upload completes.
    with fs.open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
