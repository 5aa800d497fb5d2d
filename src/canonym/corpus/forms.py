"""Which language's forms each document of a corpus run is held to.

Reach for this module where a corpus job normalizes documents for the linter:
``forms`` is ``normalize --forms`` for a whole run (``auto``: each paragraph's
language; ``en``: the English names everywhere...), and rules may set it for the
documents of some paths or of some language. Language rules apply first, then
path rules in order, so the later one wins, as for the linter's other per-path
settings. A path glob (:func:`canonym.corpus.paths.glob_matches`) is tried on the
document's path as given, and relative to the folder of the file that wrote it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from canonym.corpus.paths import glob_matches
from canonym.corpus.records import content_hash
from canonym.gazetteer.core import Gazetteer
from canonym.normalize.normalizer import Normalizer
from canonym.text.language import detect_language

__all__ = ["AUTO", "FormsPlan", "FormsRule", "Normalizers", "document_names", "plan_from"]

AUTO = "auto"
_RECORD_LINE = re.compile(r":\d+\Z")


def document_names(source: str, path: str | None = None, base: str | None = None) -> list[str]:
    """The relative paths a document goes by for per-path globs: as given (a record's
    ``:line`` dropped), and relative to ``base`` and to the working directory."""
    out: list[str] = []
    for n in (path or "", _RECORD_LINE.sub("", source)):
        if not n:
            continue
        if not os.path.isabs(n):
            out.append(Path(n).as_posix())
        full = Path(n).absolute()
        for root in (base, os.getcwd()):
            if root and full.is_relative_to(Path(root).absolute()):
                out.append(full.relative_to(Path(root).absolute()).as_posix())
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class FormsRule:
    """``forms`` for the documents of some paths, or of one language."""

    forms: str
    paths: tuple[str, ...] = ()
    language: str | None = None
    base: str | None = None  # the folder the globs are written from

    def matches(self, source: str, path: str | None) -> bool:
        names = document_names(source, path, self.base)
        return any(glob_matches(g, n) for g in self.paths for n in names)


@dataclass(frozen=True)
class FormsPlan:
    """The forms of a run, and the rules that change them for some documents."""

    default: str = AUTO
    rules: tuple[FormsRule, ...] = ()

    @property
    def trivial(self) -> bool:
        return self.default == AUTO and not self.rules

    def by_path(self, source: str, path: str | None) -> str | None:
        """The forms the path rules set for a document, or None when none applies."""
        found = None
        for r in self.rules:
            if r.paths and r.matches(source, path):
                found = r.forms
        return found

    def by_language(self, text: str) -> str:
        """The forms for a document that no path rule covers."""
        langs = {r.language: r.forms for r in self.rules if r.language and not r.paths}
        if not langs:
            return self.default
        return langs.get(detect_language(text).lang, self.default)

    def document_key(self, text: str, by_path: str | None) -> str:
        """The key a document's results are stored under: its text's hash, and the forms
        when a path rule chose them (the same text elsewhere may take other forms)."""
        h = content_hash(text)
        return h if by_path is None else f"{h}~{by_path}"

    def forms_for(self, text: str, by_path: str | None) -> str:
        return by_path if by_path is not None else self.by_language(text)


class Normalizers:
    """One normalizer per forms for one gazetteer, made when first needed."""

    def __init__(self, gazetteer: Gazetteer, plan: FormsPlan | None = None) -> None:
        self.gazetteer, self.plan = gazetteer, plan or FormsPlan()
        self._made: dict[str, Normalizer] = {}

    def get(self, forms: str) -> Normalizer:
        if forms not in self._made:
            self._made[forms] = Normalizer(self.gazetteer, forms=forms)
        return self._made[forms]

    def for_document(self, source: str, path: str | None, text: str) -> Normalizer:
        return self.get(self.plan.forms_for(text, self.plan.by_path(source, path)))


def plan_from(default: str, rules: Sequence[FormsRule]) -> FormsPlan:
    """A plan whose language rules come before its path rules, each kept in order."""
    ordered = [r for r in rules if not r.paths] + [r for r in rules if r.paths]
    return FormsPlan(default, tuple(ordered))
