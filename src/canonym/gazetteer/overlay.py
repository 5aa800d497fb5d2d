"""Applying overlays to the loaded layers, and checking the combined set.

Reach for this module to know what commands will load: ``combine`` reads every
layer (bundled, ``CANONYM_GAZETTEERS``, the files given), applies each
``extend:`` entry to the entity it names, drops disabled ones, and reports every
conflict with the places on both sides, so that nothing is shadowed silently.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from canonym.gazetteer.entity import PLACE_KINDS, Entity, Forms, Overlay, Problem
from canonym.gazetteer.files import GIVEN, Layer, read_entries
from canonym.text.normalize import surface_norm

__all__ = [
    "Combined",
    "apply_overlays",
    "by_target",
    "claim_problems",
    "combine",
    "duplicate_id",
    "renamed_by",
    "rules_digest",
]


@dataclass
class Combined:
    """Effective entities per layer (precedence order) and every problem found."""

    layers: list[list[Entity]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def rules_digest() -> str:
    """What the code that reads and combines layers is: it decides the loaded result too."""
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in ("entity.py", "fields.py", "files.py", "overlay.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


def _at(file: str, line: int) -> str:
    return f"{file}:{line}" if line else file


def combine(layers: Sequence[Layer]) -> Combined:
    """Read and combine ``layers``; entities are those of the layer that defines them."""
    out = Combined()
    problems = out.problems
    seen: dict[str, Entity] = {}
    overlays: list[Overlay] = []
    rank: dict[str, int] = {}
    for r, layer in enumerate(layers):
        group: list[Entity] = []
        for f in layer.files:
            for entry in read_entries(Path(f), problems):
                if isinstance(entry, Overlay):
                    overlays.append(entry)
                    continue
                first = seen.get(entry.id)
                if first is not None:
                    at = (first.source, first.line, rank[entry.id])
                    problems.append(duplicate_id(entry, at, r, layer.label))
                    continue
                seen[entry.id] = entry
                rank[entry.id] = r
                group.append(entry)
        out.layers.append(group)
    # Where each form was given, for messages naming both sides of a conflict.
    origin: dict[tuple[str, str], tuple[str, int]] = {}
    current = dict(seen)
    failed: list[tuple[int, Problem]] = []
    for target, ovs in by_target(overlays).items():
        base, bad = apply_overlays(current.get(target), ovs, origin)
        failed.extend(bad)
        if base is None:
            current.pop(target, None)
        else:
            current[target] = base
    problems.extend(p for _, p in sorted(failed, key=lambda np: np[0]))
    out.layers = [[current[e.id] for e in g if e.id in current] for g in out.layers]
    problems.extend(_conflicts(out.layers, origin, renamed_by(overlays)))
    return out


def duplicate_id(entry: Entity, first: tuple[str, int, int], r: int, label: str) -> Problem:
    """An entity whose id one loaded before it (``first``: its file, line and layer) has;
    ``r`` and ``label`` are the layer of ``entry``."""
    msg = f"duplicate id (first defined at {_at(first[0], first[1])})"
    if label == GIVEN and first[2] < r:
        msg += f"; to change that entity, write 'extend: {entry.id}' instead of 'id:'"
    return Problem(entry.source, entry.line, msg, entry.id)


def by_target(overlays: Iterable[Overlay]) -> dict[str, list[tuple[int, Overlay]]]:
    """The overlays, numbered in load order, grouped by the id they extend."""
    out: dict[str, list[tuple[int, Overlay]]] = {}
    for n, ov in enumerate(overlays):
        out.setdefault(ov.target, []).append((n, ov))
    return out


def renamed_by(overlays: Iterable[Overlay]) -> dict[str, Overlay]:
    """The overlay that last names each entity anew, by target."""
    return {o.target: o for o in overlays if o.name}


def apply_overlays(
    base: Entity | None,
    overlays: Sequence[tuple[int, Overlay]],
    origin: dict[tuple[str, str], tuple[str, int]],
) -> tuple[Entity | None, list[tuple[int, Problem]]]:
    """``base`` with ``overlays`` (numbered, all for its id) applied in order, None once one
    disables it, and each overlay that cannot apply with its problem.

    ``origin`` gets the file and line of every form an overlay adds.
    """
    done: Overlay | None = None
    failed: list[tuple[int, Problem]] = []
    for n, ov in overlays:
        if base is None:
            where = f" (disabled at {_at(done.source, done.line)})" if done is not None else ""
            msg = f"'extend: {ov.target}': no loaded gazetteer defines this id{where}"
            failed.append((n, Problem(ov.source, ov.line, msg, ov.target)))
            continue
        if ov.kind is not None and base.type == "place" and ov.kind not in PLACE_KINDS:
            msg = f"kind '{ov.kind}' of a place is not one of {', '.join(PLACE_KINDS)}"
            failed.append((n, Problem(ov.source, ov.line, msg, ov.target)))
            continue
        done = ov
        if ov.disabled:
            base = None
            continue
        base = _apply(base, ov)
        for text in ov.added_forms:
            origin.setdefault((ov.target, surface_norm(text)), (ov.source, ov.line))
    return base, failed


def _apply(e: Entity, ov: Overlay) -> Entity:
    """``e`` with ``ov``'s changes: names added, a new preferred name, fields replaced."""
    names = list(e.names)
    aliases = list(e.aliases)
    name = e.name
    if ov.name is not None and surface_norm(ov.name) != surface_norm(e.name):
        new = surface_norm(ov.name)
        names = [n for n in names if surface_norm(n) != new]
        aliases = [a for a in aliases if surface_norm(a) != new]
        aliases.insert(0, e.name)  # the old name is still read, and rewritten
        name = ov.name
    known = {surface_norm(t) for t in (name, *names, *aliases)}
    for target, added in ((names, ov.names), (aliases, ov.aliases)):
        for text in added:
            if surface_norm(text) not in known:
                known.add(surface_norm(text))
                target.append(text)
    if ov.names:  # a form the overlay makes canonical is no longer only an alias
        promoted = {surface_norm(n) for n in ov.names}
        aliases = [a for a in aliases if surface_norm(a) not in promoted or a in names]
    forms = dict(e.forms)
    for lang, texts in ov.forms:  # the overlay's forms come first: the preferred ones
        forms[lang] = tuple(dict.fromkeys((*texts, *forms.get(lang, ()))))
    changes: dict[str, object] = {
        k: getattr(ov, k) for k in ("description", "kind", "country", "coordinates", "prior")
        if getattr(ov, k) is not None
    }  # fmt: skip
    return dataclasses.replace(
        e, name=name, names=tuple(names), aliases=tuple(aliases),
        forms=Forms(forms), **changes,  # type: ignore[arg-type]
    )  # fmt: skip


def _conflicts(
    layers: list[list[Entity]],
    origin: dict[tuple[str, str], tuple[str, int]],
    renamed: dict[str, Overlay],
) -> list[Problem]:
    """A form two entities claim: ambiguous in one layer, shadowed across layers."""
    owners: dict[str, list[tuple[int, Entity, str]]] = {}
    for r, group in enumerate(layers):
        for e in group:
            for text in dict.fromkeys(e.known_forms):
                claims = owners.setdefault(surface_norm(text), [])
                if not any(c[1].id == e.id for c in claims):
                    claims.append((r, e, text))
    out: list[Problem] = []
    for norm, claims in owners.items():
        if len(claims) > 1:
            out.extend(claim_problems(norm, claims, origin, renamed))
    return out


def claim_problems(
    norm: str,
    claims: Sequence[tuple[int, Entity, str]],
    origin: dict[tuple[str, str], tuple[str, int]],
    renamed: dict[str, Overlay],
) -> list[Problem]:
    """The problems of one form (its ``surface_norm``) that several entities claim:
    ``claims`` are (layer, entity, the entity's text of it), in load order."""
    out: list[Problem] = []
    (r0, first, text), rest = claims[0], claims[1:]
    f0, l0 = origin.get((first.id, norm), (first.source, first.line))
    for r, e, _ in rest:
        f, line = origin.get((e.id, norm), (e.source, e.line))
        ov, other, at = renamed.get(e.id), first, _at(f0, l0)
        if ov is None or surface_norm(ov.name or "") != norm:
            ov, other, at = renamed.get(first.id), e, _at(f, line)
        if ov is not None and surface_norm(ov.name or "") == norm:
            msg = (f"overlay sets the name '{ov.name}', which belongs to {other.id} "
                   f"({at}); choose a name no other entity has")  # fmt: skip
            out.append(Problem(ov.source, ov.line, msg, ov.target))
        elif r == r0:
            msg = (f"name '{text}' is ambiguous: it belongs to {first.id} ({_at(f0, l0)}) "
                   f"and {e.id} ({_at(f, line)})")  # fmt: skip
            out.append(Problem(f0, l0, msg, first.id, severity="warning"))
        else:
            msg = (f"name '{text}' of {e.id} is shadowed: it resolves to {first.id} "
                   f"({_at(f0, l0)}), which an earlier gazetteer defines")  # fmt: skip
            out.append(Problem(f, line, msg, e.id, severity="warning"))
    return out
