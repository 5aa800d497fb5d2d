"""The decisions of a review as a gazetteer overlay, written or merged into a user's file.

Reach for this module to finish a review: ``overlay_entries`` gives an
``extend:`` entry for every known entity that gained a spelling (as an alias, or
as its form in a language; attached proposals too) and a new entity for every
accepted proposal, with the forms per language (and a place's country) it was
proposed with. ``export`` writes them as one file, only if it validates with the
gazetteers loaded before it, or merges them into ``into`` with the checks of
``canonym gazetteer merge``.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from canonym.gazetteer.entity import Entity, Forms, GazetteerError, Overlay
from canonym.gazetteer.files import GIVEN, Layer
from canonym.gazetteer.merge import MergeReport, merge_patch
from canonym.gazetteer.overlay import combine
from canonym.gazetteer.write import dump_entity
from canonym.io import AtomicFile, OutputError
from canonym.review.model import ACCEPTED, ATTACHED, Review, ReviewError

__all__ = ["ExportReport", "overlay_entries", "export"]

HEADER = "Reviewed with canonym review; load with -g, or merge: canonym gazetteer merge"


@dataclass
class ExportReport:
    path: Path
    overlays: int = 0  # extend: entries
    entities: int = 0  # new entities
    merge: MergeReport | None = None  # when merged into a file
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.merge is not None:
            m = self.merge
            forms = sum(map(len, m.added.values()))
            return (f"merged into {self.path}: {forms} forms added to {len(m.added)} entities, "
                    f"{len(m.new_entities)} new entities")  # fmt: skip
        return f"wrote {self.path}: {self.overlays} extend: entries, {self.entities} new entities"


def overlay_entries(review: Review) -> list[Entity | Overlay]:
    """What the review accepted, in gazetteer form: overlays first, then new entities."""
    aliases: dict[str, list[str]] = {}
    forms: dict[str, dict[str, list[str]]] = {}
    for e in review.entities():
        for s in e.spellings:
            if s.status != ACCEPTED:
                continue
            if s.lang:
                forms.setdefault(e.id, {}).setdefault(s.lang, []).append(s.variant.variant)
            else:
                aliases.setdefault(e.id, []).append(s.variant.variant)
    new: list[Entity | Overlay] = []
    for p in review.proposals():
        spellings = [s for s, _ in p.spellings]
        if p.status == ATTACHED and p.entity:
            aliases.setdefault(p.entity, []).extend(spellings)
        elif p.status == ACCEPTED:
            # The per-language spellings the proposal found stay forms, unless the
            # reviewer made one the name.
            langs = {
                lang: kept
                for lang, texts in p.proposal.forms.items()
                if (kept := [t for t in texts if t != p.name])
            }
            formed = {p.name, *(t for texts in langs.values() for t in texts)}
            rest = tuple(s for s in spellings if s not in formed)
            country = p.proposal.country if p.type == "place" else None
            new.append(
                Entity(
                    id=p.id,
                    name=p.name,
                    type=p.type,
                    aliases=rest,
                    forms=Forms(langs),
                    country=country,
                )  # fmt: skip
            )
    out: list[Entity | Overlay] = []
    for eid in sorted({*aliases, *forms}):
        out.append(
            Overlay(
                target=eid,
                aliases=tuple(dict.fromkeys(aliases.get(eid, ()))),
                forms=tuple((lang, tuple(t)) for lang, t in sorted(forms.get(eid, {}).items())),
            )
        )
    return out + new


def render(entries: Sequence[Entity | Overlay]) -> str:
    buf = io.StringIO()
    buf.write(f"# {HEADER}\n")
    buf.write("entities:\n" if entries else "entities: []\n")
    for e in entries:
        dump_entity(e, buf)
    return buf.getvalue()


def export(
    review: Review, path: str | Path, *, layers: Sequence[Layer], into: bool = False
) -> ExportReport:
    """Write the review's overlay to ``path``, or with ``into`` merge it into that file.

    ``layers`` are the gazetteers loaded before the result (``search_layers``):
    nothing is written unless it validates with them. Raises ``ReviewError``.
    """
    entries = overlay_entries(review)
    report = ExportReport(Path(path))
    report.overlays = sum(isinstance(e, Overlay) for e in entries)
    report.entities = len(entries) - report.overlays
    text = render(entries)
    try:
        if into:
            with tempfile.TemporaryDirectory(prefix="canonym-review-") as tmp:
                patch = Path(tmp) / "review.yaml"
                patch.write_text(text, encoding="utf-8")
                report.merge = merge_patch(patch, path, layers=layers)
        else:
            _write_validated(Path(path), text, layers)
    except GazetteerError as e:
        raise ReviewError(f"export refused, nothing written: {e}") from None
    except OutputError as e:
        raise ReviewError(f"{e}; nothing written") from None
    return report


def _write_validated(path: Path, text: str, layers: Sequence[Layer]) -> None:
    out = AtomicFile(path, suffix=".yaml", regular_only=True)
    try:
        out.open().write(text.encode("utf-8"))
        out.close()
        staged = out.tmp or path
        errors = combine([*layers, Layer(Path("."), (staged,), GIVEN)]).errors
        if errors:
            named = [replace(p, file=str(path)) if p.file == str(staged) else p for p in errors]
            raise GazetteerError(named)
        out.commit()
    except BaseException:
        out.discard()
        raise
