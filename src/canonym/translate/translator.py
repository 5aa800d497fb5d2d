"""Translating to English offline with argostranslate, behind one small interface.

Reach for this module to get a ``Translator``: ``ArgosTranslator`` runs installed
Argos packages through argostranslate's own code (CTranslate2, SentencePiece and
the package's bundled sentence splitter); tests put a translator of their own
behind the same interface. Name protection lives in ``canonym.translate.shield``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

__all__ = ["Translator", "ArgosTranslator", "TranslationError", "MissingModel"]


class TranslationError(Exception):
    """Translation cannot run; the message says what is missing and what to do."""


class MissingModel(TranslationError):
    """No installed model translates this language pair."""


class Translator(Protocol):
    """Anything that translates a batch of sentences from one language to another."""

    def has(self, source: str, target: str = "en") -> bool: ...

    def model_name(self, source: str, target: str = "en") -> str: ...

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str = "en"
    ) -> list[str]: ...


class ArgosTranslator:
    """Installed Argos Translate packages; models load once and are reused.

    A package must bundle its sentence splitter (Stanza, MiniSBD or spaCy):
    argostranslate would otherwise download one in the middle of a run.
    """

    def __init__(self, *, device: str | None = None) -> None:
        self.device = device
        self._translations: dict[tuple[str, str], Any] = {}

    def _package(self, source: str, target: str) -> Any | None:
        # Imported here: the package code brings urllib's network stack, which a
        # document in the target language never needs.
        from canonym.translate.packages import PackageError, installed_argos

        try:
            packages = installed_argos()
        except PackageError as e:
            raise TranslationError(str(e)) from e
        for p in packages:
            if p.type == "translate" and p.from_code == source and p.to_code == target:
                return p
        return None

    def has(self, source: str, target: str = "en") -> bool:
        try:
            return self._package(source, target) is not None
        except TranslationError:
            return False

    def model_name(self, source: str, target: str = "en") -> str:
        p = self._package(source, target)
        return f"argos:{source}-{target}@{p.package_version}" if p else f"argos:{source}-{target}"

    def _translation(self, source: str, target: str) -> Any:
        key = (source, target)
        if key in self._translations:
            return self._translations[key]
        pkg = self._package(source, target)
        if pkg is None:
            raise MissingModel(
                f"no {source} → {target} model installed; run: canonym models install {source}"
            )
        from argostranslate import settings
        from argostranslate.translate import Language, PackageTranslation

        from canonym.translate.packages import splitter_of

        kind = splitter_of(Path(pkg.package_path))
        if kind is None:
            raise TranslationError(
                f"the {source} → {target} package at {pkg.package_path} bundles no sentence "
                "splitter (stanza/, minisbd/ or spacy/); argostranslate would download one. "
                "Install a package that bundles it."
            )
        # argostranslate picks the splitter from a module setting: point it at the
        # one this package bundles, so that nothing is fetched from the network.
        settings.chunk_type = {
            "stanza": settings.ChunkType.STANZA,
            "minisbd": settings.ChunkType.MINISBD,
            "spacy": settings.ChunkType.SPACY,
        }[kind]
        if self.device:
            settings.device = self.device
        translation = PackageTranslation(
            Language(source, pkg.from_name), Language(target, pkg.to_name), pkg
        )
        self._translations[key] = translation
        return translation

    def translate_batch(self, texts: Sequence[str], source: str, target: str = "en") -> list[str]:
        translation = self._translation(source, target)
        try:
            return [str(translation.translate(t)) if t.strip() else t for t in texts]
        except Exception as e:  # noqa: BLE001 - model errors surface as plain Exceptions
            raise TranslationError(f"{source} → {target} translation failed: {e}") from e
