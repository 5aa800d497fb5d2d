"""Paths and URLs: the one test for whether a location is a URL, and its filesystem.

Reach for this module wherever a corpus or an output may be a local path, a
``file://`` path or an fsspec URL (``s3://…``, ``gs://…``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from canonym.io.read import InputError

__all__ = ["is_url", "local_path", "filesystem", "join"]

_BACKENDS = {
    "s3": "s3fs",
    "gs": "gcsfs",
    "gcs": "gcsfs",
    "az": "adlfs",
    "abfs": "adlfs",
    "http": "aiohttp",
    "https": "aiohttp",
    "hdfs": "pyarrow",
}


def is_url(spec: str) -> bool:
    """A location fsspec opens (``s3://…``), not a local or ``file://`` path."""
    return "://" in spec and not spec.startswith("file://")


def filesystem(spec: str) -> tuple[Any, str]:
    """An fsspec filesystem and the path within it; a clear error when a backend is missing."""
    if not is_url(spec):
        return None, local_path(spec)
    protocol = spec.split("://", 1)[0]
    try:
        import fsspec
    except ImportError:
        raise InputError(f"{spec}: URLs need fsspec: pip install fsspec") from None
    try:
        fs, path = fsspec.core.url_to_fs(spec)
    except (ImportError, ValueError) as e:
        package = _BACKENDS.get(protocol, f"the fsspec backend for {protocol}://")
        raise InputError(
            f"{spec}: reading {protocol}:// needs {package}: pip install {package} ({e})"
        ) from None
    return fs, path


def local_path(spec: str) -> str:
    """A local location without its ``file://`` prefix."""
    return spec.removeprefix("file://")


def join(base: str, rel: str) -> str:
    """``rel`` under ``base``, a local folder or a URL."""
    if is_url(base):
        return base.rstrip("/") + "/" + rel
    return str(Path(local_path(base)) / rel)
