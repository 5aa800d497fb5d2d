"""Applying overlays to the loaded layers, and checking the combined set.

Reach for this module to know what commands will load: ``combine`` reads every
layer (bundled, ``CANONYM_GAZETTEERS``, the files given), applies each
``extend:`` entry to the entity it names, drops disabled ones, and reports every
conflict with the places on both sides, so that nothing is shadowed silently.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from canonym.gazetteer.entity import PLACE_KINDS, Entity, Forms, Overlay, Problem
from canonym.gazetteer.files import GIVEN, Layer, read_entries
from canonym.text.normalize import surface_norm

__all__ = ["Combined", "combine", "rules_digest"]


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
                    msg = f"duplicate id (first defined at {_at(first.source, first.line)})"
                    if layer.label == GIVEN and rank[entry.id] < r:
                        msg += (
                            f"; to change that entity, write 'extend: {entry.id}' instead of 'id:'"
                        )
                    problems.append(Problem(entry.source, entry.line, msg, entry.id))
                    continue
                seen[entry.id] = entry
                rank[entry.id] = r
                group.append(entry)
        out.layers.append(group)
    # Where each form was given, for messages naming both sides of a conflict.
    origin: dict[tuple[str, str], tuple[str, int]] = {}
    current = dict(seen)
    done: dict[str, Overlay] = {}
    for ov in overlays:
        base = current.get(ov.target)
        if base is None:
            where = f" (disabled at {_at(done[ov.target].source, done[ov.target].line)})" \
                if ov.target in done else ""  # fmt: skip
            msg = f"'extend: {ov.target}': no loaded gazetteer defines this id{where}"
            problems.append(Problem(ov.source, ov.line, msg, ov.target))
            continue
        if ov.kind is not None and base.type == "place" and ov.kind not in PLACE_KINDS:
            msg = f"kind '{ov.kind}' of a place is not one of {', '.join(PLACE_KINDS)}"
            problems.append(Problem(ov.source, ov.line, msg, ov.target))
            continue
        done[ov.target] = ov
        if ov.disabled:
            del current[ov.target]
            continue
        current[ov.target] = _apply(base, ov)
        for text in ov.added_forms:
            origin.setdefault((ov.target, surface_norm(text)), (ov.source, ov.line))
    out.layers = [[current[e.id] for e in g if e.id in current] for g in out.layers]
    problems.extend(_conflicts(out.layers, origin, {o.target: o for o in overlays if o.name}))
    return out


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
        if len(claims) < 2:
            continue
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
