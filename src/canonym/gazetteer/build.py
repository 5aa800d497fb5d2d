"""Compiling gazetteer sources into an index directory in bounded memory.

Reach for this module to compile millions of names: ``compile_layers`` reads the
entities a file at a time (``canonym.gazetteer.stream``), files every form as
``build_index`` does, writes the alias columns and entity records as it goes, and
spills the key tables to sorted runs every ``RUN_ALIASES`` forms
(``canonym.gazetteer.runs``), merged into the index's tries and arrays at the end.
What is held is the run being filled and a few bytes per form (the alias columns),
whatever the size of the sources.
"""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from canonym.gazetteer.compiled import (
    POSTING_TABLES,
    SCHEMA,
    SETS,
    entity_from_record,
    write_directory,
)
from canonym.gazetteer.entity import Entity, GazetteerError, Problem
from canonym.gazetteer.files import Layer
from canonym.gazetteer.index import KIND_BARE, SORTED_BLOCK
from canonym.gazetteer.keying import LINES, Keyed, Keyer, Prepared, default_jobs, prepare
from canonym.gazetteer.runs import SpillTable, write_array, write_postings
from canonym.gazetteer.stream import Sources
from canonym.names.keys import KEY_FULL, KEY_PREFIX
from canonym.text.normalize import surface_norm

__all__ = ["RUN_ALIASES", "compile_layers"]

# Forms filed before the tables spill a run: about 0.5 GB of Python objects at most.
RUN_ALIASES = 300_000
PROGRESS_EVERY = 100_000  # forms between two progress reports while reading
_ROWS = 5_000  # entity records written at a time
CLAIMS = "claims"  # surface form -> entities that list it, for the conflict check


class _Tables:
    """The files of one index as forms are added, the key tables spilled to ``spill``."""

    def __init__(self, d: Path, spill: Path, run_aliases: int) -> None:
        self.d = d
        names = (*POSTING_TABLES, "steps", *SETS, CLAIMS)
        self.t = {name: SpillTable(spill, name) for name in names}
        self.run_aliases = run_aliases
        self.next_spill = run_aliases
        self.alias_entity, self.alias_kind = array("I"), array("B")
        self.skel_len, self.rank = array("B"), array("I")
        self.n_ent = self.n_alias = self.max_pieces = 0
        self._strings = (d / "aliases.txt").open("wb", buffering=1 << 20)
        self._offsets = (d / "alias_strings.u64").open("wb", buffering=1 << 20)
        self._off = array("Q", [0])
        self._at = 0
        self.db = sqlite3.connect(d / "entities.sqlite")
        self.db.executescript(SCHEMA)
        # A folder no reader sees until it is whole: no journal needed.
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA cache_size = -65536")
        self._rows: list[tuple[int, str, str]] = []

    def add(self, r: int, e: Entity | Keyed, prepared: Prepared) -> None:
        """File entity ``e`` of layer ``r`` as ``prepare`` describes it."""
        rows, record, claimed = prepared
        ei = self.n_ent
        self.n_ent += 1
        self.rank.append(r)
        self._rows.append((ei, e.id, record))
        if len(self._rows) >= _ROWS:
            self.flush_rows()
        t = self.t
        # Bound once an entity: this runs for every form, in the one process that files.
        key_add, surface_add, blocks_add = t["key"].add, t["surface"].add, t["block"].add_all
        step, lead_mark = t["steps"].mark, t["lower_lead"].mark
        alias_entity, alias_kind, skel_lens = self.alias_entity, self.alias_kind, self.skel_len
        write = self._strings.write
        for a in rows:
            if a is None:
                continue
            cols, ends, kind, key, skel_len, lead, norm, lower, blocks, prefixes = a
            ai = self.n_alias
            self.n_alias += 1
            if lead is not None:
                lead_mark(lead)
            alias_entity.append(ei)
            alias_kind.append(kind)
            skel_lens.append(skel_len)
            off, at = self._off, self._at
            off.extend((at + ends[0], at + ends[1], at + ends[2], at + ends[3]))
            write(cols)
            self._at = at + ends[3]
            if len(off) >= 1 << 16:
                self._offsets.write(off.tobytes())
                self._off = array("Q")
            if kind != KIND_BARE:  # a form without its designators is for fuzzy search only
                key_add(key, ai)
                step(key, KEY_FULL)
                if prefixes:
                    self.max_pieces = max(self.max_pieces, len(prefixes) + 1)
                    for prefix in prefixes:
                        step(prefix, KEY_PREFIX)
                elif not self.max_pieces:
                    self.max_pieces = 1
            if norm is not None:
                surface_add(norm, ai)
                if lower:
                    t["lower_forms"].mark(norm)
                    t["lower_keys"].mark(key)
            if blocks:
                blocks_add(blocks, ai)
        claims = t[CLAIMS].add
        for norm in claimed:
            claims(norm, ei)
        if self.n_alias >= self.next_spill:
            for table in t.values():
                table.spill()
            self.next_spill = self.n_alias + self.run_aliases

    def flush_rows(self) -> None:
        self.db.executemany("INSERT INTO entities VALUES (?, ?, ?)", self._rows)
        self.db.executemany("INSERT INTO ids VALUES (?, ?)", ((i, ei) for ei, i, _ in self._rows))
        self._rows = []

    def write(self, step: Callable[[str], None]) -> None:
        """The alias columns and the tables, merged from their runs."""
        self.flush_rows()
        self._offsets.write(self._off.tobytes())
        self._strings.close()
        self._offsets.close()
        d = self.d
        write_array(d / "alias_entity.u32", "I", self.alias_entity)
        write_array(d / "alias_kind.u8", "B", self.alias_kind)
        write_array(d / "alias_skel_len.u8", "B", self.skel_len)
        write_array(d / "entity_rank.u32", "I", self.rank)
        by_length = self.skel_len.__getitem__

        def arrange(ais: array[int]) -> array[int]:
            # As build_index: a long block in order of skeleton length, stable.
            return array("I", sorted(ais, key=by_length)) if len(ais) > SORTED_BLOCK else ais

        for name in POSTING_TABLES:
            step(f"{name} table")
            order = arrange if name == "block" else None
            write_postings(d, name, self.t[name].merged(), arrange=order)
        step("scanner steps")
        write_postings(d, "steps", self.t["steps"].merged(), flags=True)
        for name in SETS:
            write_postings(d, name, self.t[name].merged(), postings=False)

    def conflicts(self, sources: Sources) -> list[Problem]:
        """The problems of every form several entities claim, in ``combine``'s order."""
        read = lru_cache(maxsize=4096)(self._entity)
        found: list[tuple[int, int, list[Problem]]] = []
        for norm, eis in self.t[CLAIMS].merged():
            if len(eis) < 2:
                continue
            claims = []
            for ei in eis:
                e = read(ei)
                j, text = next(
                    (j, t) for j, t in enumerate(dict.fromkeys(e.known_forms))
                    if surface_norm(t) == norm
                )  # fmt: skip
                claims.append((self.rank[ei], e, text))
                if len(claims) == 1:
                    first_at = j
            found.append((eis[0], first_at, sources.claim_problems(norm, claims)))
        found.sort(key=lambda f: (f[0], f[1]))
        return [p for _, _, ps in found for p in ps]

    def _entity(self, ei: int) -> Entity:
        row = self.db.execute("SELECT record FROM entities WHERE ei = ?", (ei,)).fetchone()
        return entity_from_record(row[0])

    def close(self) -> None:
        self._strings.close()
        self._offsets.close()
        self.db.close()


def compile_layers(
    layers: Sequence[Layer],
    out: str | os.PathLike[str],
    *,
    sources: Sequence[str] = (),
    fingerprint: str = "",
    progress: Callable[[str], None] | None = None,
    run_aliases: int = RUN_ALIASES,
    jobs: int = 0,
    lines: int = LINES,
) -> Path:
    """Compile ``layers`` (as ``combine`` reads them) into the index directory ``out``.

    JSON-lines files are read and keyed by ``jobs`` worker processes (0:
    ``default_jobs``), ``lines`` at a time; the index is the same whatever the number.

    Raises ``GazetteerError`` with every error of the sources (then nothing is
    written), as loading them would, and when a given path holds no entity.
    """
    step = progress or (lambda what: None)

    def fill(d: Path) -> dict[str, int]:
        spill = d / ".spill"
        spill.mkdir()
        src = Sources(layers, spill / "seen.sqlite", require_entries=True)
        tables = _Tables(d, spill, run_aliases)
        try:
            counts = _fill(src, tables, step, out, jobs or default_jobs(), lines)
        finally:
            tables.close()
            src.close()
            shutil.rmtree(spill, ignore_errors=True)
        return counts

    with _no_cycle_collection():
        return write_directory(out, fill, sources=sources, fingerprint=fingerprint)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector off while compiling: the tables hold millions of lists,
    which each of its full passes walks (a fifth of the compile's time, in this
    process and in the workers forked from it), and filing makes no cycles."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _fill(
    src: Sources,
    tables: _Tables,
    step: Callable[[str], None],
    out: str | os.PathLike[str],
    jobs: int,
    lines: int,
) -> dict[str, int]:
    step("reading gazetteers")
    checked = 0
    failed = False
    report = PROGRESS_EVERY
    keyer = Keyer(jobs, lines)
    try:
        for r, e, prepared in src.entities(keyer):
            if not failed and len(src.problems) > checked:
                # Past an error nothing is written: the files are read on for their problems.
                failed = any(p.severity == "error" for p in src.problems[checked:])
                checked = len(src.problems)
            if failed:
                continue
            if prepared is None:
                assert isinstance(e, Entity)  # as read here, or changed by an overlay
                prepared = prepare(e)
            tables.add(r, e, prepared)
            if tables.n_alias >= report:
                step(f"reading gazetteers: {tables.n_alias:,} forms")
                report += PROGRESS_EVERY
    finally:
        keyer.close()
    if not src.errors and not tables.n_ent:
        src.problems.append(Problem(str(out), 0, "no entities to compile"))
    if src.errors:
        raise GazetteerError(src.errors)
    tables.write(step)
    step("names claimed twice")
    problems = [*src.problems, *tables.conflicts(src)]
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise GazetteerError(errors)
    step("entities")
    tables.db.executemany(
        "INSERT INTO problems VALUES (?, ?, ?, ?, ?)",
        (
            (p.file, p.line, p.message, p.entity, p.severity)
            for p in problems
            if p.severity == "warning"
        ),  # fmt: skip
    )
    tables.db.commit()
    return {"entities": tables.n_ent, "aliases": tables.n_alias, "max_pieces": tables.max_pieces}
