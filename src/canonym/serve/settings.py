"""What a server needs to know before its first request, and how its workers learn it.

uvicorn starts each worker process from an import string, so the settings travel
to them as JSON in an environment variable rather than as Python objects.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

from canonym.corpus.run import GazetteerSpec

__all__ = ["ServeSettings", "SETTINGS_ENV", "DEFAULT_MAX_BODY_BYTES"]

SETTINGS_ENV = "CANONYM_SERVE_SETTINGS"
DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
TRANSLATE_MODES = ("never", "auto", "require")


@dataclass(frozen=True)
class ServeSettings:
    """The gazetteer every worker loads once, and the limits of each request."""

    gazetteer: GazetteerSpec = field(default_factory=GazetteerSpec)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    # Translation models are loaded once per worker; a request may ask for less.
    translate: str = "never"
    device: str | None = None
    max_queries: int = 1000  # per reconciliation batch
    service_name: str = "canonym"

    def __post_init__(self) -> None:
        if self.translate not in TRANSLATE_MODES:
            raise ValueError(f"translate must be one of {', '.join(TRANSLATE_MODES)}")
        if self.max_body_bytes < 1 or self.max_queries < 1:
            raise ValueError("max_body_bytes and max_queries must be positive")

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ServeSettings:
        raw = json.loads(text)
        gz = raw.pop("gazetteer")
        spec = GazetteerSpec(tuple(gz["paths"]), gz["with_defaults"], gz["accept"])
        return cls(gazetteer=spec, **raw)

    @classmethod
    def from_env(cls) -> ServeSettings:
        text = os.environ.get(SETTINGS_ENV)
        return cls.from_json(text) if text else cls()
