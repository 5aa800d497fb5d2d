"""The combined entities of a search path, one at a time, as ``combine`` gives them.

Reach for this module to read gazetteers too large to hold: ``Sources.entities``
yields each effective entity (overlays applied, disabled ones dropped, repeated
ids reported) with its layer as the files are read, keeping in memory only the
overlays and, in an SQLite file, the ids seen. What ``combine`` checks over the
whole set (names several entities claim) is left to the caller, which meets
every form anyway: ``Sources.claim_problems`` words them the same way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from canonym.gazetteer.entity import Entity, Overlay, Problem
from canonym.gazetteer.files import (
    GIVEN,
    JSON_LINES,
    Layer,
    gazetteer_files,
    read_entries,
    read_line,
)
from canonym.gazetteer.overlay import (
    apply_overlays,
    by_target,
    claim_problems,
    duplicate_id,
    renamed_by,
)

if TYPE_CHECKING:
    from canonym.gazetteer.keying import Keyed, Keyer, Prepared

__all__ = ["Sources"]

OVERLAY_WORD = b"extend"  # in every line that holds an overlay, quoted or not


class Sources:
    """The entities of ``layers``, read a file at a time; ``problems`` as ``combine`` lists them.

    ``seen`` is an SQLite file (made, then left for the caller to remove) holding
    the id, place and layer of every entity read, so that a repeated id is found
    without holding millions of ids. With ``require_entries``, a given path that
    holds no entry at all is a problem: compiling it would make an empty index.
    """

    def __init__(
        self, layers: Sequence[Layer], seen: Path, *, require_entries: bool = False
    ) -> None:
        self.layers = list(layers)
        self.problems: list[Problem] = []
        self.require_entries = require_entries
        self.origin: dict[tuple[str, str], tuple[str, int]] = {}
        self._overlays: list[Overlay] = []
        self._renamed: dict[str, Overlay] | None = None
        self._seen = _Seen(seen)

    def close(self) -> None:
        self._seen.close()

    def _scan_overlays(self) -> dict[str, list[tuple[int, Overlay]]]:
        """Every overlay, numbered in load order, by target: read before any entity, as an
        overlay may change an entity of an earlier file or layer."""
        found: list[Overlay] = []
        ignored: list[Problem] = []  # reported when the file is read for its entities
        for layer in self.layers:
            for f in layer.files:
                path = Path(f)
                if path.suffix == JSON_LINES:
                    found.extend(_json_lines_overlays(path))
                    continue
                try:
                    if OVERLAY_WORD not in path.read_bytes():
                        continue
                except OSError:
                    continue  # said when it is read
                found.extend(e for e in read_entries(path, ignored) if isinstance(e, Overlay))
        self._overlays = found
        return by_target(found)

    def entities(
        self, keyer: Keyer | None = None
    ) -> Iterator[tuple[int, Entity | Keyed, Prepared | None]]:
        """(layer, entity, prepared) for every effective entity, in load order.

        With a ``keyer``, JSON-lines files are read by its workers, which also give
        what ``prepare`` makes of each entity as it stands in its line (None for an
        entity an overlay changed, or read here); such an entity comes as ``Keyed``
        (its id and record), unless an overlay changed it.
        """
        overlays = self._scan_overlays()
        failed: list[tuple[int, Problem]] = []
        seen = self._seen.first
        for r, layer in enumerate(self.layers):
            entries = 0
            for f in layer.files:
                path = Path(f)
                if keyer is not None and path.suffix == JSON_LINES:
                    read = keyer.read(path, self.problems)
                else:
                    read = ((entry, None) for entry in read_entries(path, self.problems))
                for entry, prepared in read:
                    entries += 1
                    if isinstance(entry, Overlay):
                        continue
                    first = seen(entry.id, entry.source, entry.line, r)
                    if first is not None:
                        whole = entry if isinstance(entry, Entity) else entry.entity()
                        self.problems.append(duplicate_id(whole, first, r, layer.label))
                        continue
                    mine = overlays.pop(entry.id, None)
                    if not mine:
                        yield r, entry, prepared
                        continue
                    whole = entry if isinstance(entry, Entity) else entry.entity()
                    e, bad = apply_overlays(whole, mine, self.origin)
                    failed.extend(bad)
                    if e is not None:
                        yield r, e, prepared if e is whole else None
            # A path whose files all came in an earlier path (a file inside a folder also
            # given, or named twice) is read once, there: its layer is empty, not the file.
            repeated = not layer.files and bool(gazetteer_files([layer.path]))
            if self.require_entries and layer.label == GIVEN and not entries and not repeated:
                what = "holds no entities: an index compiled from it would be empty"
                self.problems.append(Problem(str(layer.path), 0, what))
        for ovs in overlays.values():  # targets no file defines
            failed.extend(apply_overlays(None, ovs, self.origin)[1])
        self.problems.extend(p for _, p in sorted(failed, key=lambda np: np[0]))

    def claim_problems(self, norm: str, claims: Sequence[tuple[int, Entity, str]]) -> list[Problem]:
        """What ``combine`` says of a form several entities claim (``claims``: layer,
        entity and its text of the form, in load order)."""
        if self._renamed is None:
            self._renamed = renamed_by(self._overlays)
        return claim_problems(norm, claims, self.origin, self._renamed)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class _Seen:
    """The ids read, in an SQLite file: where each was first read, when it comes again.

    A bit a hash of an id (16 MB) tells most ids never read before, which are then
    written in batches; only the rest (a repeat, or a hash met before) are looked up.
    """

    BITS = 1 << 27
    BATCH = 10_000

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path)
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute(
            "CREATE TABLE seen (id TEXT PRIMARY KEY, file TEXT, line INTEGER, layer INTEGER) "
            "WITHOUT ROWID"
        )
        self._bits = bytearray(self.BITS >> 3)
        self._pending: dict[str, tuple[str, int, int]] = {}

    def first(self, eid: str, file: str, line: int, layer: int) -> tuple[str, int, int] | None:
        """Where ``eid`` was first read; None when it was not (now read at ``file:line``)."""
        h = hash(eid) & (self.BITS - 1)
        at, bit = h >> 3, 1 << (h & 7)
        if self._bits[at] & bit:
            got = self._pending.get(eid)
            if got is not None:
                return got
            row = self._db.execute(
                "SELECT file, line, layer FROM seen WHERE id = ?", (eid,)
            ).fetchone()
            if row is not None:
                return (row[0], row[1], row[2])
        else:
            self._bits[at] |= bit
        self._pending[eid] = (file, line, layer)
        if len(self._pending) >= self.BATCH:
            self._flush()
        return None

    def _flush(self) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO seen VALUES (?, ?, ?, ?)",
            ((eid, *where) for eid, where in self._pending.items()),
        )
        self._pending = {}

    def close(self) -> None:
        self._db.close()


def _json_lines_overlays(path: Path) -> Iterator[Overlay]:
    """The overlays of a JSON-lines file: only lines naming ``extend`` are parsed."""
    try:
        fh = path.open("rb")
    except OSError:
        return
    with fh:
        for n, raw in enumerate(fh, 1):
            if OVERLAY_WORD in raw:
                entry = read_line(path, n, raw, [])
                if isinstance(entry, Overlay):
                    yield entry
