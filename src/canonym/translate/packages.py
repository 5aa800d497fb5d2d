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
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.request import Request, urlopen

from canonym.translate.archive import (
    MAX_MEMBERS,
    MAX_UNPACKED_BYTES,
    PackageError,
    check_archive,
    extract_archive,
)

__all__ = [
    "PackageInfo",
    "PackageError",
    "installed_packages",
    "install_file",
    "remove_language",
    "available_packages",
    "install_language",
    "splitter_of",
    "installed_argos",
    "PackageWarning",
    "NETWORK_TIMEOUT",
    "MAX_UNPACKED_BYTES",
    "MAX_MEMBERS",
]

# Seconds to wait for the package index or a download to answer: offline, the
# commands fail in about this long instead of retrying for minutes.
NETWORK_TIMEOUT = 10.0
_CHUNK = 1 << 20  # bytes read at a time from a download
# torch from PyPI is a CUDA build of several GB; PyTorch's own index has the CPU one.
_INSTALL_ARGOS = (
    "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu && "
    "pip install 'canonym[translate]'"
)


class PackageWarning(UserWarning):
    """A directory in the package directory that is not a usable package (skipped)."""


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
        raise PackageError(f"translation needs argostranslate: {_INSTALL_ARGOS}") from e
    return argos_package


_warned: set[Path] = set()


def _skip(path: Path, why: str) -> None:
    if path not in _warned:  # once per directory and process, not once per lookup
        _warned.add(path)
        warnings.warn(
            f"{path}: {why}; skipped (remove it, or reinstall the package with "
            "'canonym models install-file')",
            PackageWarning,
            stacklevel=3,
        )


def installed_argos() -> list[Any]:
    """argostranslate's installed packages, skipping directories that are not packages.

    argostranslate's own listing raises on the first directory without a readable
    metadata.json, which would stop every translation; here such a directory is
    skipped with one ``PackageWarning``.
    """
    argos = _argos()
    from argostranslate import settings

    found = []
    for root in settings.package_dirs:
        try:
            entries = sorted(Path(root).iterdir())
        except FileNotFoundError:
            continue
        for d in entries:
            if d.name.startswith(".") or not d.is_dir():
                continue  # install staging directories, stray files
            meta = d / "metadata.json"
            if not meta.is_file():
                _skip(d, "no metadata.json, not an Argos package")
                continue
            try:
                data = json.loads(meta.read_bytes())
            except (ValueError, OSError) as e:
                _skip(d, f"unreadable metadata.json ({e})")
                continue
            if not isinstance(data, dict):
                _skip(d, "metadata.json is not a JSON object")
                continue
            try:
                found.append(argos.Package(d))
            except Exception as e:  # noqa: BLE001 - argostranslate raises what it meets
                _skip(d, f"argostranslate cannot load it ({type(e).__name__}: {e})")
    return found


def installed_packages() -> list[PackageInfo]:
    pkgs = installed_argos()
    out = [
        PackageInfo(
            p.from_code, p.to_code, str(p.package_version), Path(p.package_path),
            splitter_of(Path(p.package_path)),
        )
        for p in pkgs
        if p.type == "translate"
    ]  # fmt: skip
    return sorted(out, key=lambda p: (p.from_code, p.to_code))


def install_file(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_UNPACKED_BYTES
) -> PackageInfo:
    """Install a ``.argosmodel`` file after checking it; the old version is replaced.

    Refused (``PackageError``, nothing installed): archives that unpack to more
    than ``max_bytes`` or hold more than ``MAX_MEMBERS`` members, duplicate or
    escaping members, links, and a metadata.json without language codes.
    """
    _argos()  # says what to install when argostranslate is missing
    from argostranslate import settings

    archive = Path(path)
    top, metadata = check_archive(archive, max_bytes)
    dest_root = Path(settings.package_data_dir)
    dest_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".canonym-install-", dir=dest_root))
    try:
        with zipfile.ZipFile(archive) as z:
            extract_archive(z, archive, staging, max_bytes)
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
    for p in installed_argos():
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


def _fetch(url: str) -> bytes:
    """One GET with a timeout; offline it fails once, quickly, as PackageError."""
    request = Request(url, headers={"User-Agent": "canonym"})
    try:
        with urlopen(request, timeout=NETWORK_TIMEOUT) as response:
            data: bytes = response.read()
            return data
    except (URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", None) or e
        raise PackageError(
            f"{url}: cannot be reached ({reason}); check the network (offline, install a "
            "downloaded file with 'canonym models install-file FILE')"
        ) from None


def _index() -> list[Any]:
    """The Argos package index, fetched once with a timeout (not argostranslate's retry loop).

    argostranslate retries without a timeout, and, when the index cannot be fetched,
    calls itself until Python's recursion limit: minutes of errors before failing.
    """
    argos = _argos()
    from argostranslate import settings

    url = str(settings.remote_package_index)
    data = _fetch(url)
    try:
        index = json.loads(data)
    except ValueError as e:
        raise PackageError(f"{url}: not a package index ({e}); try again later") from None
    if not isinstance(index, list) or not all(isinstance(m, dict) for m in index):
        raise PackageError(f"{url}: not a package index (expected a JSON list); try again later")
    local = Path(settings.local_package_index)
    try:  # argostranslate's own commands read the index from here
        local.parent.mkdir(parents=True, exist_ok=True)
        tmp = local.with_name(f".{local.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, local)
    except OSError:
        pass  # a cache only
    return [argos.AvailablePackage(m) for m in index]


def available_packages() -> list[PackageInfo]:
    """The Argos package index (network). Raises PackageError when it cannot be reached."""
    pkgs = _index()
    if not pkgs:
        raise PackageError("the Argos package index is empty; try again later")
    return sorted(
        (PackageInfo(p.from_code, p.to_code, str(p.package_version), None, None) for p in pkgs
         if getattr(p, "type", "translate") == "translate"),
        key=lambda p: (p.from_code, p.to_code),
    )  # fmt: skip


def _download(links: list[str], dest: Path) -> None:
    """The first link that answers, written to ``dest`` atomically, within the size limit."""
    if not links:
        raise PackageError(f"{dest.name}: the index gives no download link")
    errors = []
    for url in links:
        request = Request(url, headers={"User-Agent": "canonym"})
        tmp = dest.with_name(f".{dest.name}.part")
        try:
            with urlopen(request, timeout=NETWORK_TIMEOUT) as response, open(tmp, "wb") as out:
                size = 0
                while chunk := response.read(_CHUNK):
                    size += len(chunk)
                    if size > MAX_UNPACKED_BYTES:
                        raise PackageError(f"{url}: larger than any Argos package; refused")
                    out.write(chunk)
            os.replace(tmp, dest)
            return
        except (URLError, TimeoutError, ConnectionError) as e:
            errors.append(f"{url}: {getattr(e, 'reason', None) or e}")
        finally:
            tmp.unlink(missing_ok=True)
    raise PackageError(
        f"download failed ({'; '.join(errors)}); check the network, or download the file "
        "and run 'canonym models install-file FILE'"
    )


def install_language(
    lang: str, to: str = "en", progress: Callable[[str], None] | None = None
) -> PackageInfo:
    """Download and install the ``lang`` → ``to`` package from the index (network)."""
    from argostranslate import settings

    for p in _index():
        if getattr(p, "type", "translate") == "translate" and (p.from_code, p.to_code) == (
            lang,
            to,
        ):
            if progress:
                progress(f"downloading {lang} → {to} {p.package_version}")
            downloads = Path(settings.downloads_dir)
            downloads.mkdir(parents=True, exist_ok=True)
            file = downloads / f"translate-{lang}_{to}-{p.package_version}.argosmodel"
            _download(list(p.links), file)
            if progress:
                progress(f"installing {file.name}")
            try:
                return install_file(file)
            finally:
                file.unlink(missing_ok=True)
    raise PackageError(f"the Argos index has no {lang} → {to} package")
