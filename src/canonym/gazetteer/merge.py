"""Applying a reviewed patch to gazetteer files, keeping their comments and layout.

Reach for this module when new spellings found in a corpus have been reviewed:
a patch is a gazetteer file whose entities either carry the id of a known entity
(their ``names`` and ``aliases`` are added to it, in the file that defines it) or
are new (appended to one chosen file). Nothing is written unless every changed
file still validates; all files are replaced together, each atomically.
"""

from __future__ import annotations

import difflib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from canonym.gazetteer.core import check_files
from canonym.gazetteer.entity import Entity, GazetteerError, Problem
from canonym.gazetteer.files import gazetteer_files, read_entities
from canonym.gazetteer.index import surface_norm
from canonym.io import AtomicFile, OutputError

__all__ = ["MergeReport", "merge_patch"]


@dataclass
class MergeReport:
    """What a merge did (or would do, in a dry run)."""

    added: dict[str, list[str]] = field(default_factory=dict)  # entity id -> new forms
    new_entities: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # patch entries with nothing new
    diffs: dict[str, str] = field(default_factory=dict)  # file -> unified diff

    @property
    def changed(self) -> bool:
        return bool(self.added or self.new_entities)


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


def _read_patch(path: Path) -> list[Entity]:
    problems: list[Any] = []
    entities = list(read_entities(path, problems))
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
) -> MergeReport:
    """Merge ``patch`` into the gazetteer file or directory ``target``.

    New entities go to ``new_into`` (default: ``target`` itself when it is a file,
    else ``additions.yaml`` inside it). Raises ``GazetteerError`` when the patch or
    the merged result does not validate, ``OutputError`` when a file cannot be
    written; then no file is touched.
    """
    target_path = Path(target)
    files = gazetteer_files([target_path])
    y = _yaml()
    docs: dict[Path, Any] = {}
    texts: dict[Path, str] = {}
    where: dict[str, CommentedMap] = {}
    owner: dict[str, Path] = {}
    for f in files:
        texts[f], doc = _load_target(y, f)
        docs[f] = doc
        for node in doc.get("entities") or []:
            if isinstance(node, CommentedMap) and "id" in node:
                where[str(node["id"])] = node
                owner[str(node["id"])] = f

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
        node = where.get(e.id)
        if node is None:
            entities = docs[dest].setdefault("entities", CommentedSeq())
            entry = CommentedMap(e.to_dict())
            for key in ("names", "aliases"):
                if key in entry:
                    entry[key] = _flow(list(entry[key]))
            entities.append(entry)
            report.new_entities.append(e.id)
            touched.add(dest)
            continue
        known = {surface_norm(str(node.get("name", "")))}
        for key in ("names", "aliases"):
            known.update(surface_norm(str(v)) for v in node.get(key) or [])
        added: list[str] = []
        for key, forms in (("names", e.names), ("aliases", (e.name, *e.aliases))):
            fresh = [f for f in forms if surface_norm(f) not in known]
            if not fresh:
                continue
            seq = node.get(key)
            if seq is None:
                node[key] = _flow(fresh)
            else:
                seq.extend(fresh)
            known.update(surface_norm(f) for f in fresh)
            added.extend(fresh)
        if added:
            report.added[e.id] = added
            touched.add(owner[e.id])
        else:
            report.unchanged.append(e.id)

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
    _write_all_or_nothing(rendered, [*files, *([dest] if dest not in files else [])])
    return report


def _write_all_or_nothing(rendered: dict[Path, str], all_files: list[Path]) -> None:
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
        _, problems = check_files([staged[f].tmp or f if f in staged else f for f in all_files])
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise GazetteerError(errors)
        for out in staged.values():
            out.commit()
        staged.clear()
    finally:
        for out in staged.values():
            out.discard()
