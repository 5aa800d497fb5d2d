"""How ``canonym`` fails: one line naming the path and what to do, or a bug report.

Failures a user can expect (a missing directory, a full disk, a corrupt file)
exit 2 with one line; anything else is a bug (exit 70) and says where to report it.
This module imports no command-line framework, so that the quick path of
``canonym normalize`` (``canonym.cli.quick``) fails in the same words without
loading one.
"""

from __future__ import annotations

import errno
import os
import sys
import warnings
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, NoReturn

from canonym.gazetteer.entity import GazetteerError

if TYPE_CHECKING:
    import sqlite3

__all__ = [
    "EXIT_BUG",
    "echo_err",
    "expected_error",
    "fail",
    "report_failure",
    "show_warning",
]

EXIT_ERROR = 2  # bad input, usage, or an environment canonym cannot work in
EXIT_BUG = 70  # an internal error: sysexits' EX_SOFTWARE, distinct from 1 (findings) and 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # what a shell reports for a command killed by SIGPIPE


def echo_err(message: str) -> None:
    """One line (or paragraph) on stderr, flushed: what ``typer.echo(..., err=True)`` writes."""
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


def fail(message: str, code: int = 2) -> NoReturn:
    """Say what went wrong in one line and exit with ``code``."""
    echo_err(f"canonym: {message}")
    raise SystemExit(code)


def debugging(flag: bool = False) -> bool:
    """Whether to show tracebacks: ``--debug`` (``flag``) or ``CANONYM_DEBUG=1``."""
    return flag or os.environ.get("CANONYM_DEBUG", "").lower() not in ("", "0", "false", "no")


# What to do about an OSError, by errno; the path is named before it.
_OS_HINTS = {
    errno.ENOENT: "check the path (for an output, create its directory first)",
    errno.ENOTDIR: "a part of the path is not a directory; check the path",
    errno.EISDIR: "it is a directory; give a file path",
    errno.EACCES: "check its permissions, or choose another path",
    errno.EPERM: "check its permissions, or choose another path",
    errno.EROFS: "the file system is read-only; choose another path",
    errno.ENOSPC: "free some disk space and run again",
    errno.EDQUOT: "the disk quota is exhausted; free some space and run again",
    errno.EFBIG: "the file is too large for this file system; choose another path",
    errno.ENAMETOOLONG: "the name is too long; choose a shorter path",
    errno.ELOOP: "too many symbolic links; check the path",
    errno.EEXIST: "it already exists; remove it or choose another path",
    errno.ENXIO: "no reader is connected to it; choose a regular file",
    errno.EIO: "the device reported an input/output error; check the disk",
}
# Options whose value is the file a path-less error (a full disk on write, a
# database that is not one) is most likely about.
_OUTPUT_OPTIONS = ("--output", "-o", "--out-dir", "--db")
_DB_OPTIONS = ("--db",)


def _option_value(argv: Sequence[str], names: Sequence[str]) -> str | None:
    """The last value given to one of ``names`` on the command line, if any."""
    found = None
    for i, arg in enumerate(argv):
        for name in names:
            if arg == name and i + 1 < len(argv):
                found = argv[i + 1]
            elif name.startswith("--") and arg.startswith(name + "="):
                found = arg[len(name) + 1 :]
    return found


def _os_message(e: OSError, argv: Sequence[str]) -> str:
    what = e.strerror or str(e)
    hint = _OS_HINTS.get(e.errno or 0, "check the path")
    if e.filename is not None:
        where = os.fsdecode(e.filename)
        if e.filename2 is not None:
            where += f" -> {os.fsdecode(e.filename2)}"
        return f"{where}: {what}; {hint}"
    path = _option_value(argv, _OUTPUT_OPTIONS)
    if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO) and path is not None:
        return f"{path}: {what}; {hint}"
    if e.errno is None:
        return f"{what}; check the input files"
    return f"{what}; {hint}"


def _database_message(e: sqlite3.DatabaseError, argv: Sequence[str]) -> str:
    db = _option_value(argv, _DB_OPTIONS)
    where = f"{db}: " if db else ""
    text = str(e)
    if "locked" in text or "busy" in text:
        hint = "another canonym run is using it; wait for it to finish or use another --db"
    elif "unable to open" in text:
        hint = "give --db a file path in a writable directory"
    elif "readonly" in text or "read-only" in text:
        hint = "it is read-only; check its permissions or use another --db"
    elif "disk is full" in text or "full" in text:
        hint = "free some disk space and run again"
    else:
        hint = "it is not a canonym corpus database; move it away or use another --db"
    return f"{where}{text}; {hint}"


def _bug_tracker() -> str:
    """Where to report a bug: the package's declared tracker, else its name."""
    try:
        from importlib.metadata import metadata

        for entry in metadata("canonym").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().lower() in ("issues", "bug tracker", "tracker", "bugs"):
                return str(url).strip()
    except Exception:  # noqa: BLE001 - only used to word a bug report
        pass
    return "the canonym issue tracker"


def expected_error(e: BaseException, argv: Sequence[str] = ()) -> str | None:
    """The one-line message for a failure a user can meet and fix, else None (a bug)."""
    # Imported when something failed: a run that succeeds never needs them.
    import lzma
    import sqlite3
    import zlib

    from canonym.corpus.store import StoreError
    from canonym.gazetteer.importers import ImportFailed, MissingExtra, SourceError
    from canonym.io import InputError, OutputError
    from canonym.translate.packages import PackageError
    from canonym.translate.translator import TranslationError

    if isinstance(e, sqlite3.DatabaseError):
        return _database_message(e, argv)
    if isinstance(e, (InputError, OutputError, StoreError, GazetteerError)):
        return str(e)  # each names its path and what to do
    if isinstance(e, (PackageError, TranslationError)):
        return str(e)
    if isinstance(e, (ImportFailed, SourceError, MissingExtra)):
        return str(e)
    if isinstance(e, OSError):
        return _os_message(e, argv)
    if isinstance(e, (EOFError, zlib.error, lzma.LZMAError)):
        return f"a compressed input ended early or is corrupt ({e}); check the file"
    if isinstance(e, UnicodeDecodeError):
        return f"an input is not valid UTF-8 ({e.reason} at byte {e.start}); check its encoding"
    if isinstance(e, MemoryError):
        return "out of memory; process a smaller input or free some memory"
    path = getattr(e, "path", None)
    if path is not None and isinstance(e, (ValueError, LookupError, RuntimeError)):
        line = getattr(e, "line", None)
        where = f"{path}:{line}" if line else str(path)
        hint = getattr(e, "hint", None)
        text = str(e)
        if not text.startswith(str(path)):
            text = f"{where}: {text}"
        return f"{text}; {hint}" if hint else text
    return None


def report_failure(e: BaseException, argv: Sequence[str] = (), *, debug: bool = False) -> int:
    """Print one line (or, for a bug, one paragraph) about ``e``; the exit code."""
    if isinstance(e, KeyboardInterrupt):
        echo_err("canonym: interrupted")
        return EXIT_INTERRUPTED
    if isinstance(e, BrokenPipeError):
        # The reader went away (| head): nothing to say, and nothing more can be written.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    message = expected_error(e, argv)
    if debugging(debug):
        import traceback

        traceback.print_exception(e, file=sys.stderr)
    if message is not None:
        echo_err(f"canonym: {message}")
        return EXIT_ERROR
    command = " ".join(["canonym", *argv])
    echo_err(
        f"canonym: internal error (a bug): {type(e).__name__}: {e}\n"
        f"Please report it at {_bug_tracker()} with this command ({command}), "
        "and the traceback that CANONYM_DEBUG=1 (or --debug) prints."
    )
    return EXIT_BUG


def show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: IO[str] | None = None,
    line: str | None = None,
) -> None:
    """canonym's own warnings as one line each, like its errors."""
    from canonym.gazetteer.cache import CacheWarning
    from canonym.translate.packages import PackageWarning

    if issubclass(category, PackageWarning | CacheWarning):
        echo_err(f"canonym: warning: {message}")
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file descriptor (tests): nothing will be flushed to it
