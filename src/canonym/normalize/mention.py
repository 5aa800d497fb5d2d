"""What normalizing a text yields: its mentions and the rewritten text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from canonym.match.resolve import Match

__all__ = ["AMBIGUOUS", "RESOLVED", "UNRESOLVED", "Mention", "NormalizedText"]

RESOLVED, AMBIGUOUS, UNRESOLVED = "resolved", "ambiguous", "unresolved"


@dataclass(slots=True)
class Mention:
    """A name found in the text: where, what was written, and what it resolved to.

    ``start``/``end`` index the source text; ``out_start``/``out_end`` the output.
    ``canonical`` is the English canonical form; ``written`` what the output holds
    in its place, in the forms of ``form_language`` (``None``: the entity has no
    form in the paragraph's ``language``, and the spelling found is kept).
    """

    start: int
    end: int
    surface: str
    status: str = RESOLVED
    entity_id: str | None = None
    canonical: str | None = None
    type: str | None = None
    method: str | None = None
    score: float = 0.0
    context: bool = False
    candidates: tuple[Match, ...] = ()
    out_start: int = 0
    out_end: int = 0
    language: str | None = None
    written: str | None = None
    form_language: str | None = None
    # Where a place is, for mapping what a text names: the entity's kind (country,
    # governorate, city, sea...), country code and (latitude, longitude), when known.
    kind: str | None = None
    country: str | None = None
    coordinates: tuple[float, float] | None = None
    # What running text glued to the name and the mention leaves out: an elided
    # article or an Arabic proclitic before it ("l'", "وب"), an ending after it ("s").
    clitic: str | None = None
    ending: str | None = None

    @property
    def changed(self) -> bool:
        written = self.written if self.written is not None else self.canonical
        return self.status == RESOLVED and written is not None and written != self.surface

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "status": self.status,
        }
        if self.status == RESOLVED:
            d.update(
                entity_id=self.entity_id,
                canonical=self.canonical,
                type=self.type,
                method=self.method,
                score=round(self.score, 4),
                context=self.context,
                out_start=self.out_start,
                out_end=self.out_end,
                written=self.written,
                form_language=self.form_language,
            )
        for name in ("kind", "country", "coordinates", "clitic", "ending"):
            value = getattr(self, name)
            if value is not None:
                d[name] = list(value) if name == "coordinates" else value
        if self.language is not None:
            d["language"] = self.language
        if self.candidates:
            d["candidates"] = [c.to_dict() for c in self.candidates]
        return d


# The leading columns of ``NormalizedText.to_frame``.
_FRAME_COLUMNS = [
    *("start", "end", "surface", "status", "entity_id", "canonical", "type", "method"),
    *("score", "written", "language"),
]


@dataclass
class NormalizedText:
    """The rewritten text and every mention found in the source."""

    source: str
    text: str
    mentions: list[Mention] = field(default_factory=list)
    ambiguous: list[Mention] = field(default_factory=list)
    unresolved: list[Mention] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.source

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per mention (resolved, ambiguous or unresolved)
        in document order; needs pandas (the ``pandas`` extra)."""
        import pandas as pd

        found = sorted([*self.mentions, *self.ambiguous, *self.unresolved], key=lambda m: m.start)
        records = [m.to_dict() for m in found]
        for r in records:
            r.pop("candidates", None)
        frame = pd.DataFrame.from_records(records, columns=_FRAME_COLUMNS if not records else None)
        rest = [c for c in frame.columns if c not in _FRAME_COLUMNS]
        return frame.reindex(columns=[*_FRAME_COLUMNS, *rest])

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "changed": self.changed,
            "mentions": [m.to_dict() for m in self.mentions],
            "ambiguous": [m.to_dict() for m in self.ambiguous],
            "unresolved": [m.to_dict() for m in self.unresolved],
        }
