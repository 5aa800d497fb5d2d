"""What the server answers, as functions of JSON payloads: the HTTP layer only carries them.

One ``Service`` per worker process holds the gazetteer index, loaded once, and a
warm ``Normalizer`` per option set. The library calls are serialized by a lock:
the normalizer's lookup caches are shared, and a worker's parallelism comes from
running more workers, not threads.
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from canonym.corpus.batch import BatchSpec, normalize_text
from canonym.gazetteer.core import Gazetteer
from canonym.jobs.detect import paragraph_languages
from canonym.normalize.document import context_of
from canonym.normalize.normalizer import Normalizer
from canonym.serve.payload import ApiError, as_object, reject_unknown, take
from canonym.serve.settings import TRANSLATE_MODES, ServeSettings

if TYPE_CHECKING:
    from canonym.translate.translator import Translator

__all__ = ["Service", "MAX_TOP"]

MAX_TOP = 100
_NORMALIZERS = 8
_FORMS = re.compile(r"auto|[a-z]{2,3}")
_NORMALIZE_FIELDS = ("text", "forms", "fuzzy", "translate", "lang", "shield")


class Service:
    """A loaded gazetteer and the answers of ``/normalize``, ``/resolve`` and ``/detect``."""

    def __init__(self, gazetteer: Gazetteer, settings: ServeSettings | None = None) -> None:
        self.gazetteer = gazetteer
        self.settings = settings or ServeSettings()
        self.lock = threading.Lock()
        self._normalizers: dict[tuple[bool, str], Normalizer] = {}
        self._translator: Translator | None = None

    @classmethod
    def load(cls, settings: ServeSettings) -> Service:
        """The gazetteer the settings name, loaded (from the index cache when it can be)."""
        return cls(settings.gazetteer.load(), settings)

    def normalizer(self, fuzzy: bool = True, forms: str = "auto") -> Normalizer:
        key = (fuzzy, forms)
        if key not in self._normalizers:
            if len(self._normalizers) >= _NORMALIZERS:
                self._normalizers.clear()  # each holds its caches: a few option sets at once
            self._normalizers[key] = Normalizer(self.gazetteer, fuzzy=fuzzy, forms=forms)
        return self._normalizers[key]

    def translator(self) -> Translator:
        if self._translator is None:
            from canonym.translate.translator import ArgosTranslator

            self._translator = ArgosTranslator(device=self.settings.device)
        return self._translator

    def health(self) -> dict[str, Any]:
        from canonym._version import __version__

        return {"status": "ok", "version": __version__, "entities": len(self.gazetteer)}

    def normalize(self, payload: Any) -> dict[str, Any]:
        """``canonym normalize --format json`` of the payload's ``text``."""
        body = as_object(payload, "the body")
        reject_unknown(body, _NORMALIZE_FIELDS)
        text = take(body, "text", str, required=True)
        forms = take(body, "forms", str, "auto").strip().lower()
        if not _FORMS.fullmatch(forms):
            raise ApiError(
                422, f"'forms' must be auto or a language code such as fr, not {forms!r}"
            )
        translate = take(body, "translate", str, self.settings.translate)
        if translate not in TRANSLATE_MODES:
            raise ApiError(422, f"'translate' must be one of {', '.join(TRANSLATE_MODES)}")
        shield = take(body, "shield", str, "canonical")
        if shield not in ("canonical", "placeholder"):
            raise ApiError(422, "'shield' must be canonical or placeholder")
        spec = BatchSpec(
            translate=translate, lang=take(body, "lang", str), shield=shield,
            fuzzy=take(body, "fuzzy", bool, True), forms=forms,
        )  # fmt: skip
        from canonym.translate.translator import TranslationError

        with self.lock:
            normalizer = self.normalizer(spec.fuzzy, spec.forms)
            translator = self.translator() if spec.translate != "never" else None
            try:
                return normalize_text(text, normalizer, spec, translator, describe=True).to_dict()
            except TranslationError as e:
                raise ApiError(422, str(e)) from None

    def resolve(self, payload: Any) -> dict[str, Any]:
        """``canonym resolve --format json`` of ``name``, with ``context`` and ``explain``."""
        body = as_object(payload, "the body")
        reject_unknown(body, ("name", "top", "context", "explain"))
        name = take(body, "name", str, required=True)
        if not name.strip():
            raise ApiError(422, "'name' is empty; send the name to resolve")
        top = take(body, "top", int, 5)
        if not 1 <= top <= MAX_TOP:
            raise ApiError(422, f"'top' must be between 1 and {MAX_TOP}")
        text = take(body, "context", str, None)
        explain = take(body, "explain", bool, False)
        with self.lock:
            ctx = context_of(self.gazetteer, text) if text is not None else None
            matches = self.gazetteer.resolve(name, top=top, context=ctx)
            why = self.gazetteer.explain(name, context=ctx) if explain else None
        doc: dict[str, Any] = {"query": name, "candidates": [m.to_dict() for m in matches]}
        if ctx is not None:
            doc["context"] = ctx.to_dict()
        if why is not None:
            doc["explanation"] = why.to_dict()
        return doc

    def detect(self, payload: Any) -> list[dict[str, Any]]:
        """``canonym detect --format json``: each paragraph's language and confidence."""
        body = as_object(payload, "the body")
        reject_unknown(body, ("text",))
        text = take(body, "text", str, required=True)
        with self.lock:
            return [asdict(p) for p in paragraph_languages(text)]
