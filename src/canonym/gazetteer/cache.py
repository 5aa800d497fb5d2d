"""The on-disk cache of compiled gazetteer indexes.

Reach for this module when loading must be fast: ``load_or_build`` keeps an
``Index`` in a cache file that is rebuilt whenever a source gazetteer, the key
rules or canonym itself change. The file holds plain data only (its format is
``canonym.gazetteer.cachefile``), so a planted or damaged file can at worst be a miss.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib
import os
import secrets
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from canonym._version import __version__
from canonym.data import cache_dir, data_bytes
from canonym.gazetteer.cachefile import CACHE_FORMAT, CacheError, dump_index, load_index
from canonym.gazetteer.index import Index

__all__ = [
    "CacheError",
    "CacheWarning",
    "dump_index",
    "fingerprint",
    "load_index",
    "load_or_build",
]

SUFFIX = ".idx"  # cache file names: index-<fingerprint>.idx
KEEP_CACHES = 8  # compiled indexes kept on disk, most recently used first


def _key_code() -> bytes:
    # Every module whose rules shape a key, by name: a package may re-export a
    # function under its module's name.
    rules = (
        *("names.keys", "names.particles", "names.romanize", "names.suffixes"),
        *("names.designators", "names.surnames"),
        *("text.normalize", "text.scripts", "text.tokenize"),
        *("gazetteer.index", "gazetteer.cachefile"),
    )
    modules = [importlib.import_module(f"canonym.{m}") for m in rules]
    modules.append(sys.modules[__name__])
    return b"".join(Path(m.__file__ or "").read_bytes() for m in modules)


_KEY_CODE = _key_code()


def fingerprint(files: Sequence[Path], *, extra: str = "") -> str:
    """A digest of the source files' content, the key rules and canonym's version.

    ``extra`` is whatever else decides the result (how the files form layers).

    The content itself is hashed, not its size and time: an edit that keeps both
    (a same-length fix, a restored mtime, a coarse file system clock) still
    rebuilds. Entities record the path as given, so that is hashed too.
    """
    h = hashlib.sha256()
    h.update(f"{__version__}:{CACHE_FORMAT}".encode())
    for name in ("letters.yaml", "particles.yaml", "suffixes.yaml", "designators.yaml"):
        h.update(data_bytes(name))
    # The code that turns names into keys is a key rule too: an edited checkout (or a
    # release that forgot to bump a version) must not serve keys an older rule made.
    h.update(_KEY_CODE)
    h.update(f"{extra}\n".encode("utf-8", "surrogateescape"))
    for f in files:
        with f.open("rb") as fh:
            content = hashlib.file_digest(fh, "sha256").hexdigest()
        h.update(f"{f}\0{f.resolve()}\0{content}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:32]


class CacheWarning(UserWarning):
    """The index cache could not be used and was rebuilt."""


def _read_cache(path: Path) -> Index | None:
    """The cached index at ``path``; None when there is none, with a warning when it is bad."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        warnings.warn(
            f"{path}: cannot read the index cache ({e.strerror}); rebuilding",
            CacheWarning,
            stacklevel=3,
        )
        return None
    # The index is a few hundred thousand small objects that live as long as the
    # process: collecting while they load, or rescanning them later, is wasted work.
    enabled = gc.isenabled()
    gc.disable()
    try:
        ix = load_index(data)
    except Exception as e:  # noqa: BLE001 - whatever is wrong with a cache, it is a miss
        what = e if isinstance(e, CacheError) else f"{type(e).__name__}: {e}"
        warnings.warn(
            f"{path}: unusable index cache ({what}); rebuilding", CacheWarning, stacklevel=3
        )
        return None
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return ix


def load_or_build(
    files: Sequence[Path],
    build: Callable[[], Index],
    *,
    use_cache: bool = True,
    key: str | None = None,
    extra: str = "",
) -> tuple[Index, bool]:
    """The index for ``files``, from the cache when it is fresh; returns (index, was_cached).

    ``key`` is ``fingerprint(files)`` when the caller has it already. A cache file
    that cannot be used is a miss: rebuilt and overwritten, with one ``CacheWarning``.
    """
    if not use_cache:
        return build(), False
    key = key or fingerprint(files, extra=extra)
    path = cache_dir() / f"index-{key}{SUFFIX}"
    ix = _read_cache(path)
    if ix is not None:
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept when old caches are pruned
        return ix, True
    ix = build()
    # A file edited while the index was built must not be stored under the
    # fingerprint of what it held before.
    with contextlib.suppress(OSError):
        if fingerprint(files, extra=extra) == key:
            _write_cache(path, ix)
    return ix, False


def _write_cache(path: Path, ix: Index) -> None:
    """Store ``ix`` at ``path``; a cache that cannot be written only costs speed."""
    try:
        data = dump_index(ix)
    except (ValueError, OverflowError):
        return  # what this format cannot hold (a NUL in a name): such an index is not cached
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed, so a reader never sees half a file; no
    # fsync, as a file torn by a crash fails its checksum and is rebuilt. Created
    # 0o666 less the umask, as any file the user writes.
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _prune(path.parent)


def _prune(directory: Path) -> None:
    """Keep the most recently used caches; each gazetteer change leaves one behind."""
    caches = sorted(
        directory.glob(f"index-*{SUFFIX}"), key=lambda p: p.stat().st_mtime_ns, reverse=True
    )
    # Earlier versions kept pickles here; they are never read again.
    for old in [*caches[KEEP_CACHES:], *directory.glob("index-*.pickle")]:
        with contextlib.suppress(OSError):
            old.unlink()
