"""Argos Translate language packages: list, install safely, remove.

Reach for this module to manage the offline translation models canonym uses.
Only ``available_packages`` and ``install_language`` touch the network, and only
because the user asked; installing a downloaded ``.argosmodel`` file checks the
archive before anything lands in the package directory.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

__all__ = [
    "PackageInfo",
    "PackageError",
    "installed_packages",
    "install_file",
    "remove_language",
    "available_packages",
    "install_language",
    "splitter_of",
]


class PackageError(Exception):
    """A package that cannot be installed, found or removed; the message says why."""


@dataclass(frozen=True, slots=True)
class PackageInfo:
    from_code: str
    to_code: str
    version: str
    path: Path | None
    splitter: str | None  # stanza | minisbd | spacy | None (argostranslate would download one)

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_code,
            "to": self.to_code,
            "version": self.version,
            "path": str(self.path) if self.path else None,
            "splitter": self.splitter,
        }


def splitter_of(package_dir: Path) -> str | None:
    """The sentence splitter a package bundles, the way argostranslate looks for it."""
    for kind in ("minisbd", "stanza", "spacy"):
        if (package_dir / kind).exists():
            return kind
    return None


def _argos() -> Any:
    try:
        import argostranslate.package as argos_package
    except ImportError as e:
        raise PackageError(
            "translation needs argostranslate: pip install torch==2.13.0 && "
            "pip install 'canonym[translate]'"
        ) from e
    return argos_package


def installed_packages() -> list[PackageInfo]:
    pkgs = _argos().get_installed_packages()
    out = [
        PackageInfo(
            p.from_code, p.to_code, str(p.package_version), Path(p.package_path),
            splitter_of(Path(p.package_path)),
        )
        for p in pkgs
        if p.type == "translate"
    ]  # fmt: skip
    return sorted(out, key=lambda p: (p.from_code, p.to_code))


def _check_archive(path: Path) -> tuple[str, dict[str, Any]]:
    """The archive's single top directory and its metadata, or PackageError."""
    if not path.is_file():
        raise PackageError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{path}: not an Argos package (not a zip archive)")
    with zipfile.ZipFile(path) as z:
        tops: set[str] = set()
        for info in z.infolist():
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in info.filename:
                raise PackageError(
                    f"{path}: member '{info.filename}' would escape the package directory"
                )
            mode = (info.external_attr >> 16) & 0o170000
            if mode == 0o120000:
                raise PackageError(f"{path}: member '{info.filename}' is a symbolic link")
            tops.add(name.parts[0])
        if len(tops) != 1:
            raise PackageError(
                f"{path}: expected one top-level package directory, found {len(tops)}"
            )
        top = tops.pop()
        try:
            metadata = json.loads(z.read(f"{top}/metadata.json"))
        except KeyError:
            raise PackageError(f"{path}: no {top}/metadata.json; not an Argos package") from None
        except json.JSONDecodeError as e:
            raise PackageError(f"{path}: {top}/metadata.json is not valid JSON ({e.msg})") from None
        names = set(z.namelist())
        if metadata.get("type", "translate") == "translate":
            for key in ("from_code", "to_code"):
                if not isinstance(metadata.get(key), str):
                    raise PackageError(f"{path}: metadata.json has no '{key}'")
            if not any(n.startswith(f"{top}/model/") for n in names):
                raise PackageError(f"{path}: no {top}/model/ directory (the CTranslate2 model)")
    return top, metadata


def install_file(path: str | os.PathLike[str]) -> PackageInfo:
    """Install a ``.argosmodel`` file after checking it; the old version is replaced."""
    _argos()  # says what to install when argostranslate is missing
    from argostranslate import settings

    archive = Path(path)
    top, metadata = _check_archive(archive)
    dest_root = Path(settings.package_data_dir)
    dest_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".canonym-install-", dir=dest_root))
    try:
        with zipfile.ZipFile(archive) as z:
            z.extractall(staging)
        target = dest_root / top
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging / top, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _clear_argos_caches()
    return PackageInfo(
        metadata.get("from_code", ""), metadata.get("to_code", ""),
        str(metadata.get("package_version", "")), dest_root / top, splitter_of(dest_root / top),
    )  # fmt: skip


def _clear_argos_caches() -> None:
    try:
        from argostranslate.translate import get_installed_languages

        get_installed_languages.cache_clear()
    except (ImportError, AttributeError):
        pass


def remove_language(lang: str, to: str = "en") -> list[PackageInfo]:
    """Uninstall the packages that translate ``lang`` into ``to``."""
    argos = _argos()
    gone = []
    for p in argos.get_installed_packages():
        if p.type == "translate" and p.from_code == lang and p.to_code == to:
            info = PackageInfo(
                p.from_code, p.to_code, str(p.package_version), Path(p.package_path), None
            )
            argos.uninstall(p)
            gone.append(info)
    if not gone:
        raise PackageError(f"no installed package translates {lang} to {to}")
    _clear_argos_caches()
    return gone


def available_packages() -> list[PackageInfo]:
    """The Argos package index (network). Raises PackageError when it cannot be reached."""
    argos = _argos()
    try:
        argos.update_package_index()
        pkgs = argos.get_available_packages()
    except Exception as e:  # noqa: BLE001 - argostranslate raises bare Exceptions
        raise PackageError(f"cannot reach the Argos package index (offline?): {e}") from None
    if not pkgs:
        raise PackageError("the Argos package index could not be read (offline?)")
    return sorted(
        (PackageInfo(p.from_code, p.to_code, str(p.package_version), None, None) for p in pkgs
         if getattr(p, "type", "translate") == "translate"),
        key=lambda p: (p.from_code, p.to_code),
    )  # fmt: skip


def install_language(
    lang: str, to: str = "en", progress: Callable[[str], None] | None = None
) -> PackageInfo:
    """Download and install the ``lang`` → ``to`` package from the index (network)."""
    argos = _argos()
    matches = [p for p in available_packages() if p.from_code == lang and p.to_code == to]
    if not matches:
        raise PackageError(f"the Argos index has no {lang} → {to} package")
    for p in argos.get_available_packages():
        if p.from_code == lang and p.to_code == to:
            if progress:
                progress(f"downloading {lang} → {to} {p.package_version}")
            try:
                downloaded = Path(p.download())
            except Exception as e:  # noqa: BLE001
                raise PackageError(f"download of {lang} → {to} failed: {e}") from None
            if progress:
                progress(f"installing {downloaded.name}")
            return install_file(downloaded)
    raise PackageError(f"the Argos index has no {lang} → {to} package")
