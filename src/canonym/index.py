"""The compiled gazetteer index and its on-disk cache.

Reach for this module when loading must be fast: ``build_index`` turns entities
into flat lookup tables (exact surfaces, name keys, skeleton blocks for fuzzy
candidates), and ``load_or_build`` keeps them in a cache file that is rebuilt
whenever a source gazetteer, the key rules or canonym itself change.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from unidecode import unidecode

from canonym._version import __version__
from canonym.keys import cap_like, name_key, pieces, skeleton, tokenize
from canonym.resources import data_bytes, load_data
from canonym.sources import Entity, Problem

__all__ = [
    "Index",
    "short_forms",
    "KIND_NAME",
    "KIND_NAMES",
    "KIND_ALIAS",
    "KIND_SHORT",
    "surface_norm",
]

KIND_NAME, KIND_NAMES, KIND_ALIAS, KIND_SHORT = 0, 1, 2, 3
# Skeleton blocks larger than this say little about a name ("br", "bd"): the
# fuzzy search skips them when the query has any more selective block.
BIG_BLOCK = 1500
_CACHE_FORMAT = 14
KEY_FULL, KEY_PREFIX = 1, 2
KEEP_CACHES = 8  # compiled indexes kept on disk, most recently used first

_APOS_TABLE = str.maketrans({c: "'" for c in "\u2019\u02bc\u2018`\u02bf\u02be\u00b4"})
_DASH_TABLE = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014"})


def surface_norm(text: str) -> str:
    """How exact matching sees a surface: NFC, case-folded, one kind of apostrophe and dash."""
    if text.isascii():
        return " ".join(text.lower().replace("`", "'").split())
    text = unicodedata.normalize("NFC", text).casefold()
    text = text.translate(_APOS_TABLE).translate(_DASH_TABLE)
    return " ".join(text.split())


def fold_text(text: str) -> str:
    """Plain lower-case ASCII words of a name, for comparing letters as written."""
    return " ".join("".join(c if c.isalnum() else " " for c in unidecode(text).lower()).split())


def deletes(s: str) -> set[str]:
    """The strings one deletion away: the symmetric-delete trick for edit-distance blocking."""
    return {s[:i] + s[i + 1 :] for i in range(len(s))}


@dataclass
class Index:
    """Flat, picklable lookup tables over a list of entities."""

    entities: list[Entity]
    entity_rank: list[int]
    alias_entity: list[int] = field(default_factory=list)
    alias_text: list[str] = field(default_factory=list)
    alias_kind: list[int] = field(default_factory=list)
    alias_key: list[str] = field(default_factory=list)
    alias_skel: list[str] = field(default_factory=list)
    alias_fold: list[str] = field(default_factory=list)  # plain letters, for scoring
    exact: dict[str, list[int]] = field(default_factory=dict)
    by_key: dict[str, list[int]] = field(default_factory=dict)
    blocks: dict[str, list[int]] = field(default_factory=dict)
    # For the scanner's walk, one lookup per step: KEY_FULL when a key ends here,
    # KEY_PREFIX when a longer key goes on.
    key_steps: dict[str, int] = field(default_factory=dict)
    lower_forms: set[str] = field(default_factory=set)  # forms the data writes in lower case
    lower_keys: set[str] = field(default_factory=set)  # and their keys
    # First key pieces of forms that open with a word written in lower case
    # ("courant al-Hikma", "bin Laden"): where the scanner may start a match on a
    # lower-case word of running text. Every other match opens on a capital.
    lower_lead: set[str] = field(default_factory=set)
    max_pieces: int = 0
    by_id: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


@lru_cache(maxsize=100_000)
def short_forms(name: str) -> tuple[str, ...]:
    """Surname forms of a person's name: "Abu Mahdi al-Muhandis" -> "al-Muhandis", "Muhandis".

    A particle before the surname stays with it ("bin Salman"), as news copy writes it.
    """
    return tuple(_short_forms(name))


def _short_forms(name: str) -> list[str]:
    toks = tokenize(name)
    if len(toks) < 2:
        return []
    particles = load_data("particles.yaml")["particles"]
    joined = {p for forms in particles.values() for p in forms}
    articles = set(load_data("particles.yaml")["articles"]["always"]) | set(
        load_data("particles.yaml")["articles"]["assimilated"]
    )
    last = toks[-1]
    start = last.start
    # Walk back over an article hyphenated to the surname (al-, ash-).
    prev = toks[-2]
    if (
        prev.text.lower() in articles
        and name[prev.end : last.start] in ("-", " ")
        and len(toks) > 2
    ):
        start = prev.start
        bare = name[last.start :]
        if len(toks) > 3 and toks[-3].text.lower() in joined:
            return [name[toks[-3].start :]]
        return [name[start:], bare]
    if prev.text.lower() in joined and len(toks) > 2:
        return [name[prev.start :]]
    return [name[start:]]


def build_index(groups: Sequence[Sequence[Entity]]) -> Index:
    """Compile entities; ``groups`` are in precedence order (earlier outranks later)."""
    entities = [e for g in groups for e in g]
    ranks = [r for r, g in enumerate(groups) for _ in g]
    ix = Index(entities=entities, entity_rank=ranks)

    def add(ei: int, text: str, kind: int) -> None:
        key = name_key(text)
        if not key:
            return
        toks = tokenize(text)
        lead = pieces(toks, text)[0]
        if not cap_like(toks[lead.token].text):
            ix.lower_lead.add(lead.key)
        ai = len(ix.alias_text)
        ix.alias_entity.append(ei)
        ix.alias_text.append(text)
        ix.alias_kind.append(kind)
        ix.alias_key.append(key)
        skel = " ".join(s for s in (skeleton(k) for k in key.split()) if s)
        ix.alias_skel.append(skel)
        ix.alias_fold.append(fold_text(text))
        ix.by_key.setdefault(key, []).append(ai)
        parts = key.split()
        ix.max_pieces = max(ix.max_pieces, len(parts))
        steps = ix.key_steps
        steps[key] = steps.get(key, 0) | KEY_FULL
        for n in range(1, len(parts)):
            prefix = " ".join(parts[:n])
            steps[prefix] = steps.get(prefix, 0) | KEY_PREFIX
        if kind == KIND_SHORT:
            return  # surnames resolve through document context, not fuzzy search
        norm = surface_norm(text)
        ix.exact.setdefault(norm, []).append(ai)
        if not any(cap_like(t.text) for t in toks):
            ix.lower_forms.add(norm)
            ix.lower_keys.add(key)
        block_keys: set[str] = set()
        for s in skel.split():
            block_keys.add(s)
            if len(s) >= 3:
                block_keys |= deletes(s)
        if " " in skel:
            block_keys.add(skel.replace(" ", ""))  # met by the same name in one word
        for b in block_keys:
            ix.blocks.setdefault(b, []).append(ai)

    for ei, e in enumerate(entities):
        if e.id in ix.by_id:
            continue
        ix.by_id[e.id] = ei
        for text in e.canonical_forms:
            add(ei, text, KIND_NAME if text == e.name else KIND_NAMES)
        for text in e.aliases:
            add(ei, text, KIND_ALIAS)
        if e.type == "person":
            shorts: set[str] = set()
            for text in (*e.canonical_forms, *e.aliases):
                shorts.update(s for s in short_forms(text) if name_key(s))
            own = {surface_norm(t) for t in (*e.canonical_forms, *e.aliases)}
            for s in sorted(shorts):
                if surface_norm(s) not in own:
                    add(ei, s, KIND_SHORT)
    # An alias spelled the same for two entities is kept for both and reported.
    for ais in ix.exact.values():
        owners = sorted({ix.alias_entity[a] for a in ais})
        if len(owners) > 1 and len({ix.entity_rank[o] for o in owners}) == 1:
            first = entities[owners[0]]
            others = ", ".join(entities[o].id for o in owners)
            ix.warnings.append(
                Problem(
                    first.source,
                    first.line,
                    f"name '{ix.alias_text[ais[0]]}' is ambiguous: it belongs to {others}",
                    first.id,
                    severity="warning",
                )
            )
    return ix


def fingerprint(files: Sequence[Path]) -> str:
    """A digest of the source files, the key rules and canonym's version."""
    h = hashlib.sha256()
    h.update(f"{__version__}:{_CACHE_FORMAT}".encode())
    for name in ("letters.yaml", "particles.yaml"):
        h.update(data_bytes(name))
    for f in files:
        st = f.stat()
        h.update(f"{f.resolve()}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:32]


def _load_pickle(fh: object) -> object:
    # The index is a few hundred thousand small objects that live as long as the
    # process: collecting while they load, or rescanning them later, is wasted work.
    enabled = gc.isenabled()
    gc.disable()
    try:
        obj = pickle.load(fh)  # type: ignore[arg-type]
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return obj


def cache_dir() -> Path:
    env = os.environ.get("CANONYM_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "canonym"


def load_or_build(
    files: Sequence[Path], build: Callable[[], Index], *, use_cache: bool = True
) -> tuple[Index, bool]:
    """The index for ``files``, from the cache when it is fresh; returns (index, was_cached)."""
    if not use_cache:
        return build(), False
    path = cache_dir() / f"index-{fingerprint(files)}.pickle"
    try:
        with path.open("rb") as fh:
            ix = _load_pickle(fh)
        if isinstance(ix, Index):
            with contextlib.suppress(OSError):
                os.utime(path)  # recently used: kept when old caches are pruned
            return ix, True
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass  # missing or stale: rebuild below
    ix = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".index-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(ix, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        _prune(path.parent)
    except OSError:
        pass  # an unwritable cache only costs speed
    return ix, False


def _prune(directory: Path) -> None:
    """Keep the most recently used caches; each gazetteer change leaves one behind."""
    caches = sorted(
        directory.glob("index-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True
    )
    for old in caches[KEEP_CACHES:]:
        with contextlib.suppress(OSError):
            old.unlink()
