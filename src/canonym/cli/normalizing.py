"""``canonym normalize`` on one document: read it, normalize it, write the result.

Both ways into the command run this: the typer command (``canonym.cli.root``) and
its quick path (``canonym.cli.quick``), so they read, fail and write alike. It
imports no command-line framework and loads the library on first use.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from canonym.cli.base import Format, Shield, Translate, load_gazetteer
from canonym.cli.failing import echo_err, fail

__all__ = ["OneDocument", "checked_forms", "normalize_one"]


@dataclass(frozen=True)
class OneDocument:
    """The options of ``canonym normalize FILE`` without ``--out-dir``."""

    file: str
    fmt: Format = Format.text
    output: Path | None = None
    encoding: str | None = None
    fuzzy: bool = True
    translate: Translate = Translate.auto
    lang: str | None = None
    shield: Shield = Shield.canonical
    forms: str = "auto"  # checked (forms_problem) before anything is read
    device: str | None = None
    max_doc_bytes: int | None = None
    accept: float | None = None
    gazetteer: list[Path] | None = None
    no_bundled: bool = False


def checked_forms(forms: str) -> str:
    """``--forms`` as the normalizer takes it; exit 2 on a language canonym does not read."""
    from canonym.normalize.languages import forms_problem

    forms = forms.strip().lower()
    problem = forms_problem(forms)
    if problem is not None:
        fail(f"--forms: {problem}")
    return forms


def normalize_one(opts: OneDocument) -> None:
    """Normalize ``opts.file`` and write the text (or JSON) to ``opts.output`` or stdout."""
    from canonym.io import write_atomic

    payload = _normalized(opts)
    if opts.output is not None:
        write_atomic(opts.output, payload)  # an OutputError is one line, exit 2
    else:
        sys.stdout.write(payload)
        sys.stdout.flush()


def _normalized(opts: OneDocument) -> str:
    """The text, or the JSON, to write for ``opts.file``."""
    from canonym.io import InputError, read_text
    from canonym.normalize.normalizer import Normalizer

    if Path(opts.file).is_dir():
        fail(f"{opts.file}: is a directory; to normalize a corpus, add --out-dir DIR")
    try:
        name, text = read_text(opts.file, opts.encoding, opts.max_doc_bytes)
    except InputError as e:
        fail(str(e))
    gz = load_gazetteer(opts.gazetteer, opts.no_bundled, opts.accept)
    normalizer = Normalizer(gz, fuzzy=opts.fuzzy, forms=opts.forms)
    describe = opts.fmt is Format.json
    translates = opts.translate is not Translate.never or opts.lang is not None
    if not translates and not describe:  # as corpus.batch.normalize_text decides
        return normalizer.normalize(text).text
    from canonym.translate.shield import translate_document
    from canonym.translate.translator import ArgosTranslator, TranslationError

    try:
        translator = ArgosTranslator(device=opts.device) if translates else None
        done = translate_document(
            text, normalizer, translator, mode=opts.translate.value, lang=opts.lang,
            strategy=opts.shield.value,
        )  # fmt: skip
    except TranslationError as e:
        fail(str(e))
    for w in done.warnings:
        echo_err(f"canonym: warning: {w}")
    if describe:
        doc = {"file": name, **done.to_dict()}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return done.text
