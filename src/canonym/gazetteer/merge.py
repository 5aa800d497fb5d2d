"""Applying a reviewed patch to gazetteer files, keeping their comments and layout.

Reach for this module when new spellings found in a corpus have been reviewed:
a patch is a gazetteer file whose entities either carry the id of a known entity
(their ``names`` and ``aliases`` are added to it, in the file that defines it) or
are new (appended to one chosen file). An entity another layer defines (the
bundled data, ``CANONYM_GAZETTEERS``) is never edited there: the target gets an
``extend:`` entry for it. Nothing is written unless the changed files still
validate together with those layers; all files are replaced together, each atomically.
"""

from __future__ import annotations

import dataclasses
import difflib
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from canonym.gazetteer.entity import Entity, GazetteerError, Overlay, Problem
from canonym.gazetteer.files import GIVEN, JSON_LINES, Layer, gazetteer_files, read_entries
from canonym.gazetteer.overlay import combine
from canonym.io import AtomicFile, OutputError
from canonym.text.normalize import surface_norm

__all__ = ["MergeReport", "merge_patch"]


@dataclass
class MergeReport:
    """What a merge did (or would do, in a dry run)."""

    added: dict[str, list[str]] = field(default_factory=dict)  # entity id -> new forms
    new_entities: list[str] = field(default_factory=list)
    overlays: list[str] = field(default_factory=list)  # ids given an ``extend:`` entry
    unchanged: list[str] = field(default_factory=list)  # patch entries with nothing new
    diffs: dict[str, str] = field(default_factory=dict)  # file -> unified diff

    @property
    def changed(self) -> bool:
        return bool(self.added or self.new_entities or self.overlays)


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _flow(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _read_patch(path: Path) -> list[Entity | Overlay]:
    problems: list[Problem] = []
    entities = list(read_entries(path, problems))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise GazetteerError(errors)
    return entities


def _load_target(y: YAML, path: Path) -> tuple[str, CommentedMap]:
    """A target file's text and YAML document, or GazetteerError saying why it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise GazetteerError(
            [Problem(str(path), 0, f"not valid UTF-8 ({e.reason} at byte {e.start}); "
                     "merge into a gazetteer YAML file")]
        ) from None  # fmt: skip
    try:
        doc = y.load(text) if text.strip() else CommentedMap()
    except YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        reason = getattr(e, "problem", None) or "invalid YAML"
        raise GazetteerError([Problem(str(path), line, f"not valid YAML: {reason}")]) from None
    if doc is None:
        doc = CommentedMap()
    if not isinstance(doc, CommentedMap) or not isinstance(
        doc.get("entities") or CommentedSeq(), CommentedSeq
    ):
        raise GazetteerError(
            [Problem(str(path), 1, "not a gazetteer file (expected a mapping with 'entities:' "
                     "listing entities); check the merge target")]
        )  # fmt: skip
    return text, doc


def merge_patch(
    patch: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    new_into: str | os.PathLike[str] | None = None,
    dry_run: bool = False,
    layers: Sequence[Layer] = (),
) -> MergeReport:
    """Merge ``patch`` into the gazetteer file or directory ``target``.

    ``layers`` are what commands load before ``target`` (``search_layers()``: the
    bundled data and ``CANONYM_GAZETTEERS``); their files are never written: an
    entity they define gets an ``extend:`` entry in the target. New entities go to
    ``new_into`` (default: ``target`` itself when it is a file, else
    ``additions.yaml`` inside it); a ``.yaml`` target that does not exist yet is
    created. Raises ``GazetteerError`` when the patch or the
    merged result does not validate with ``layers``, ``OutputError`` when a file
    cannot be written; then no file is touched.
    """
    target_path = Path(target)
    # A file not written yet is where a new user's names start.
    fresh = target_path.suffix in (".yaml", ".yml") and not target_path.exists()
    files = [] if fresh else gazetteer_files([target_path])
    lines = [f for f in files if f.suffix == JSON_LINES]
    if lines:
        # Edited in place with comments and layout kept: YAML only. A JSON-lines
        # file is an import's output, made again by the import.
        what = "merge edits YAML gazetteers; merge into a .yaml file beside this one"
        raise GazetteerError([Problem(str(lines[0]), 0, what)])
    mine = {f.resolve() for f in files}
    others = [Layer(la.path, tuple(f for f in la.files if f.resolve() not in mine), la.label)
              for la in layers]  # fmt: skip
    y = _yaml()
    docs: dict[Path, Any] = {}
    texts: dict[Path, str] = {}
    where: dict[str, CommentedMap] = {}
    owner: dict[str, Path] = {}
    extends: dict[str, tuple[CommentedMap, Path]] = {}
    for f in files:
        texts[f], doc = _load_target(y, f)
        docs[f] = doc
        for node in doc.get("entities") or []:
            if isinstance(node, CommentedMap) and "id" in node:
                where[str(node["id"])] = node
                owner[str(node["id"])] = f
            elif isinstance(node, CommentedMap) and "extend" in node:
                extends.setdefault(str(node["extend"]), (node, f))
    elsewhere = {e.id: e for group in combine(others).layers for e in group} if others else {}

    if new_into is not None:
        dest = Path(new_into)
    elif target_path.is_dir():
        dest = target_path / "additions.yaml"
    else:
        dest = target_path
    if dest.exists() and not dest.is_file():
        raise OutputError(f"{dest}: not a regular file; new entities need a gazetteer file")
    if dest not in docs:
        if dest.is_dir():
            raise GazetteerError(
                [Problem(str(dest), 0, "is a directory; new entities go to a file (--new-into)")]
            )
        if dest.exists():
            texts[dest], docs[dest] = _load_target(y, dest)
        else:
            texts[dest], docs[dest] = "", CommentedMap()

    report = MergeReport()
    touched: set[Path] = set()
    for e in _read_patch(Path(patch)):
        eid = e.id if isinstance(e, Entity) else e.target
        node, home = where.get(eid), owner.get(eid)
        if node is None and eid in extends:
            node, home = extends[eid]
        if node is None and isinstance(e, Overlay) and eid not in elsewhere:
            # Said of the patch's line: the merged target may not exist yet.
            what = f"'extend: {eid}': no loaded gazetteer defines this id"
            raise GazetteerError([Problem(e.source or str(patch), e.line, what, entity=eid)])
        if node is None and (eid in elsewhere or isinstance(e, Overlay)):
            node, home = _new_overlay(e), dest
            docs[dest].setdefault("entities", CommentedSeq()).append(node)
            extends[eid] = (node, dest)
            report.overlays.append(eid)
        elif node is None:
            assert isinstance(e, Entity)
            entry = CommentedMap(e.to_dict())
            for key in ("names", "aliases"):
                if key in entry:
                    entry[key] = _flow(list(entry[key]))
            docs[dest].setdefault("entities", CommentedSeq()).append(entry)
            report.new_entities.append(eid)
            touched.add(dest)
            continue
        assert home is not None
        base = elsewhere.get(eid)
        added = _add_forms(node, e, base.known_forms if base is not None else ())
        if added:
            report.added[eid] = added
            touched.add(home)
        elif eid not in report.overlays:
            report.unchanged.append(eid)
        elif _has_changes(node):  # a patch's overlay that disables or renames
            touched.add(home)
        else:  # an overlay with nothing to say is not written
            docs[dest]["entities"].remove(node)
            del extends[eid]
            report.overlays.remove(eid)
            report.unchanged.append(eid)

    rendered: dict[Path, str] = {}
    for f in sorted(touched):
        buf = io.StringIO()
        y.dump(docs[f], buf)
        rendered[f] = buf.getvalue()
        report.diffs[str(f)] = "".join(
            difflib.unified_diff(
                texts[f].splitlines(keepends=True),
                rendered[f].splitlines(keepends=True),
                fromfile=str(f),
                tofile=str(f),
            )
        )
    if dry_run or not rendered:
        return report
    _write_all_or_nothing(rendered, others, [*files, *([dest] if dest not in files else [])])
    return report


def _new_overlay(e: Entity | Overlay) -> CommentedMap:
    """An ``extend:`` entry for ``e``'s entity; a patch overlay's own changes are kept."""
    node = CommentedMap({"extend": e.id if isinstance(e, Entity) else e.target})
    if isinstance(e, Overlay):
        for key, value in e.to_dict().items():
            if key not in ("extend", "names", "aliases", "forms"):
                node[key] = value
    return node


def _has_changes(node: CommentedMap) -> bool:
    return any(key != "extend" for key in node)


def _add_forms(
    node: CommentedMap, e: Entity | Overlay, known_elsewhere: Sequence[str]
) -> list[str]:
    """Add ``e``'s names and aliases that ``node`` (and the entity it extends) lacks."""
    known = {surface_norm(str(node.get("name", "")))}
    known.update(surface_norm(t) for t in known_elsewhere)
    for key in ("names", "aliases"):
        known.update(surface_norm(str(v)) for v in node.get(key) or [])
    for texts in (node.get("forms") or {}).values():
        known.update(surface_norm(str(v)) for v in texts or [])
    # A patch's name of a known entity is a spelling seen, never a new preferred name.
    seen = (e.name, *e.aliases) if isinstance(e, Entity) else e.aliases
    added: list[str] = []
    for key, forms in (("names", e.names), ("aliases", seen)):
        fresh = list(dict.fromkeys(f for f in forms if f and surface_norm(f) not in known))
        if not fresh:
            continue
        seq = node.get(key)
        if seq is None:
            node[key] = _flow(fresh)
        else:
            seq.extend(fresh)
        known.update(surface_norm(f) for f in fresh)
        added.extend(fresh)
    added.extend(_add_language_forms(node, e))
    return added


def _add_language_forms(node: CommentedMap, e: Entity | Overlay) -> list[str]:
    """Add ``e``'s per-language forms that ``node`` lacks in that language.

    A spelling already known as an alias still becomes a form: a form is what
    normalizing writes in that language, an alias only what it reads.
    """
    added: list[str] = []
    for lang, texts in dict(e.forms).items():
        forms = node.get("forms")
        have = {surface_norm(str(t)) for t in (forms or {}).get(lang) or []}
        fresh = list(dict.fromkeys(t for t in texts if surface_norm(t) not in have))
        if not fresh:
            continue
        if forms is None:
            forms = node["forms"] = CommentedMap()
        if forms.get(lang) is None:
            forms[lang] = _flow(fresh)
        else:
            forms[lang].extend(fresh)
        added.extend(fresh)
    return added


def _write_all_or_nothing(
    rendered: dict[Path, str], others: Sequence[Layer], all_files: list[Path]
) -> None:
    """Stage every merged file, validate them together, then put each in place.

    Staging goes through ``textio.AtomicFile``: a linked file is written where it
    points, modes are kept, and a file that is not a regular one is refused before
    anything is written (it could not be validated, nor replaced all or nothing).
    """
    staged: dict[Path, AtomicFile] = {}
    try:
        for f in rendered:
            staged[f] = AtomicFile(f, suffix=".yaml", parents=True, regular_only=True)
        for f, text in rendered.items():
            out = staged[f]
            out.open().write(text.encode("utf-8"))
            out.close()
        merged = tuple(staged[f].tmp or f if f in staged else f for f in all_files)
        errors = combine([*others, Layer(Path("."), merged, GIVEN)]).errors
        if errors:
            real = {str(out.tmp): str(f) for f, out in staged.items() if out.tmp}
            raise GazetteerError(
                [dataclasses.replace(p, file=real.get(p.file, p.file)) for p in errors]
            )
        for out in staged.values():
            out.commit()
        staged.clear()
    finally:
        for out in staged.values():
            out.discard()
