"""Checking and unpacking ``.argosmodel`` archives before anything is installed.

An Argos package is a zip file: it is refused (``PackageError``) when it would
unpack past a size or member limit, holds links, duplicate or escaping members,
or lacks a metadata.json with language codes. The bytes actually written are
counted while unpacking, since a zip's declared sizes can lie.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

__all__ = [
    "MAX_MEMBERS",
    "MAX_UNPACKED_BYTES",
    "PackageError",
    "check_archive",
    "extract_archive",
]

# What an archive may unpack to. The largest Argos packages unpack to a few
# hundred MB; a zip bomb unpacks to far more than it weighs.
MAX_UNPACKED_BYTES = 1_000_000_000
MAX_MEMBERS = 10_000
_MAX_METADATA_BYTES = 1 << 20
_CHUNK = 1 << 20


class PackageError(Exception):
    """A package that cannot be installed, found or removed; the message says why."""


def _check_metadata(path: Path, top: str, raw: bytes) -> dict[str, Any]:
    where = f"{path}: {top}/metadata.json"
    try:
        metadata = json.loads(raw)
    except UnicodeDecodeError:
        raise PackageError(f"{where} is not UTF-8 text; not an Argos package") from None
    except json.JSONDecodeError as e:
        raise PackageError(f"{where} is not valid JSON ({e.msg})") from None
    if not isinstance(metadata, dict):
        raise PackageError(f"{where} is not a JSON object; not an Argos package")
    if metadata.get("type", "translate") == "translate":
        for key in ("from_code", "to_code"):
            value = metadata.get(key)
            if not isinstance(value, str) or not value.strip():
                raise PackageError(f"{where} has no '{key}' (a language code such as 'fr')")
            if value != value.strip() or "/" in value or "\\" in value:
                raise PackageError(f"{where}: '{key}' is not a language code: {value!r}")
    version = metadata.get("package_version", "")
    if not isinstance(version, (str, int, float)):
        raise PackageError(f"{where}: 'package_version' is not a version: {version!r}")
    return metadata


def check_archive(path: Path, max_bytes: int) -> tuple[str, dict[str, Any]]:
    """The archive's single top directory and its metadata, or PackageError."""
    max_members = MAX_MEMBERS
    if not path.is_file():
        raise PackageError(
            f"{path}: {'a directory, not a file' if path.is_dir() else 'no such file'}"
        )
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{path}: not an Argos package (not a zip archive)")
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, ValueError) as e:
        raise PackageError(f"{path}: not a readable zip archive ({e}); download it again") from None
    with z:
        members = z.infolist()
        if len(members) > max_members:
            raise PackageError(
                f"{path}: {len(members):,} members, more than an Argos package has "
                f"({max_members:,}); refused"
            )
        declared = sum(info.file_size for info in members)
        if declared > max_bytes:
            raise PackageError(
                f"{path}: unpacks to {declared / 1e6:,.0f} MB, more than the "
                f"{max_bytes / 1e6:,.0f} MB limit; refused (--max-size raises the limit)"
            )
        tops: set[str] = set()
        seen: set[str] = set()
        for info in members:
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in info.filename:
                raise PackageError(
                    f"{path}: member '{info.filename}' would escape the package directory"
                )
            mode = (info.external_attr >> 16) & 0o170000
            if mode == 0o120000:
                raise PackageError(f"{path}: member '{info.filename}' is a symbolic link")
            key = str(name)
            if key in seen:
                raise PackageError(
                    f"{path}: member '{info.filename}' appears twice; the archive is "
                    "ambiguous, refused"
                )
            seen.add(key)
            tops.add(name.parts[0])
        if len(tops) != 1:
            raise PackageError(
                f"{path}: expected one top-level package directory, found {len(tops)}"
            )
        top = tops.pop()
        if top.startswith("."):
            raise PackageError(f"{path}: the package directory '{top}' is hidden; refused")
        try:
            with z.open(f"{top}/metadata.json") as fh:
                raw = fh.read(_MAX_METADATA_BYTES + 1)
        except KeyError:
            raise PackageError(f"{path}: no {top}/metadata.json; not an Argos package") from None
        except (zipfile.BadZipFile, OSError, EOFError) as e:
            raise PackageError(f"{path}: {top}/metadata.json is corrupt ({e})") from None
        if len(raw) > _MAX_METADATA_BYTES:
            raise PackageError(f"{path}: {top}/metadata.json is too large; refused")
        metadata = _check_metadata(path, top, raw)
        if metadata.get("type", "translate") == "translate":
            if not any(n.startswith(f"{top}/model/") for n in seen | set(z.namelist())):
                raise PackageError(f"{path}: no {top}/model/ directory (the CTranslate2 model)")
    return top, metadata


def extract_archive(z: zipfile.ZipFile, archive: Path, dest: Path, max_bytes: int) -> None:
    """Unpack every member under ``dest``, counting the bytes actually written.

    A zip's declared sizes can lie; ``zipfile`` checks a member's CRC only at its
    end, so the running count is what keeps a bomb from filling the disk first.
    """
    total = 0
    for info in z.infolist():
        target = dest.joinpath(*PurePosixPath(info.filename).parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        try:
            with z.open(info) as src, open(target, "xb") as out:
                while chunk := src.read(_CHUNK):
                    written += len(chunk)
                    total += len(chunk)
                    if written > info.file_size or total > max_bytes:
                        raise PackageError(
                            f"{archive}: member '{info.filename}' unpacks to more than its "
                            f"header declares or past the {max_bytes / 1e6:,.0f} MB limit; "
                            "refused"
                        )
                    out.write(chunk)
        except (zipfile.BadZipFile, EOFError, ValueError) as e:
            raise PackageError(
                f"{archive}: member '{info.filename}' is corrupt ({e}); download it again"
            ) from None
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            raise PackageError(
                f"{archive}: member '{info.filename}' clashes with another member; refused"
            ) from None
