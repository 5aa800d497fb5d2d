"""The compiled gazetteer index and its on-disk cache.

Reach for this module when loading must be fast: ``build_index`` turns entities
into flat lookup tables (exact surfaces, name keys, skeleton blocks for fuzzy
candidates), and ``load_or_build`` keeps them in a cache file that is rebuilt
whenever a source gazetteer, the key rules or canonym itself change.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, chain
from operator import itemgetter
from typing import Any, NamedTuple

from canonym.gazetteer.arrays import numpy_module
from canonym.gazetteer.entity import REGION_KINDS, Entity, Problem
from canonym.names.designators import bare_forms
from canonym.names.keys import KEY_FULL, KEY_PREFIX, name_key, pieces, skeleton_tokens
from canonym.names.suffixes import inflected_variants
from canonym.names.surnames import short_forms
from canonym.text.normalize import fold_text, surface_norm
from canonym.text.scripts import script_of
from canonym.text.tokenize import cap_like, tokenize

__all__ = [
    "Index",
    "Alias",
    "alias_forms",
    "build_index",
    "describe",
    "step_flags",
    "short_forms",
    "KIND_NAME",
    "KIND_NAMES",
    "KIND_ALIAS",
    "KIND_SHORT",
    "KIND_BARE",
    "BIG_BLOCK",
    "SORTED_BLOCK",
]

KIND_NAME, KIND_NAMES, KIND_ALIAS, KIND_SHORT = 0, 1, 2, 3
KIND_BARE = 4  # a place's form without its designator words: for fuzzy search only
# Skeleton blocks larger than this say little about a name ("br", "bd"): the
# fuzzy search skips them when the query has any more selective block.
BIG_BLOCK = 1500
# Blocks longer than this are kept in order of skeleton length, so that a search
# that cannot walk a whole block takes the aliases closest in length by bisection.
SORTED_BLOCK = 128


def deletes(s: str) -> set[str]:
    """The strings one deletion away: the symmetric-delete trick for edit-distance blocking."""
    return {s[:i] + s[i + 1 :] for i in range(len(s))}


@dataclass
class Index:
    """Flat lookup tables over a list of entities; ``dump_index`` stores them as plain data."""

    entities: list[Entity]
    entity_rank: list[int]
    alias_entity: list[int] = field(default_factory=list)
    alias_text: list[str] = field(default_factory=list)
    alias_kind: list[int] = field(default_factory=list)
    alias_key: list[str] = field(default_factory=list)
    alias_skel: list[str] = field(default_factory=list)
    alias_fold: list[str] = field(default_factory=list)  # plain letters, for scoring
    # Read through the query methods below: surface -> aliases, key -> aliases,
    # skeleton block -> aliases.
    surface_table: dict[str, list[int]] = field(default_factory=dict)
    key_table: dict[str, list[int]] = field(default_factory=dict)
    block_table: dict[str, list[int]] = field(default_factory=dict)
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

    # -- queries: the rules of the tables live here, not in their readers --------

    def entity(self, ei: int) -> Entity:
        return self.entities[ei]

    def entity_index(self, entity_id: str) -> int:
        """The position of the entity with this id; KeyError when there is none."""
        return self.by_id[entity_id]

    def has_entity(self, entity_id: object) -> bool:
        return entity_id in self.by_id

    def owner(self, ai: int) -> int:
        """The entity an alias belongs to."""
        return self.alias_entity[ai]

    def owners(self, ais: Iterable[int]) -> tuple[int, ...]:
        """The entities of these aliases, each once, in order."""
        return tuple(dict.fromkeys(self.alias_entity[a] for a in ais))

    def text(self, ai: int) -> str:
        return self.alias_text[ai]

    @property
    def alias_count(self) -> int:
        """How many aliases there are: ``text`` answers for each of ``range(alias_count)``."""
        return len(self.alias_text)

    def rank(self, ei: int) -> int:
        """The precedence of an entity's gazetteer: lower outranks higher."""
        return self.entity_rank[ei]

    def entity_type(self, ei: int) -> str:
        return self.entities[ei].type

    def scripts(self, ais: Iterable[int]) -> list[str]:
        """Each alias's script (``script_of``): what the scanner asks of a key's aliases."""
        return [script_of(self.alias_text[a]) for a in ais]

    def exact(self, norm: str) -> Sequence[int]:
        """The aliases written as ``norm`` (a ``surface_norm``); surnames are not among them."""
        return self.surface_table.get(norm, ())

    def by_key(self, key: str) -> list[int]:
        """The aliases, surnames included, whose name key is ``key``."""
        return self.key_table.get(key, [])

    def has_key(self, key: str) -> bool:
        return key in self.key_table

    def has_key_prefix(self, prefix: str) -> bool:
        """Whether some alias's key starts with ``prefix`` (a scan of every key: for
        the few words an alias table asks about, not for running text)."""
        return any(k.startswith(prefix) for k in self.key_table)

    def block(self, skeleton_key: str) -> list[int] | None:
        """The aliases filed under one skeleton block, for fuzzy candidates."""
        return self.block_table.get(skeleton_key)

    def skeleton(self, ai: int) -> str:
        return self.alias_skel[ai]

    def skeletons(self, ais: Iterable[int]) -> list[str]:
        return _picked(self.alias_skel, ais)

    @cached_property
    def _skeleton_lengths(self) -> array[int]:
        # One byte an alias, made on first use (a cached index is not rebuilt for it).
        return array("B", (min(len(s), 255) for s in self.alias_skel))

    def skeleton_length(self, ai: int) -> int:
        return self._skeleton_lengths[ai]

    def skeleton_length_array(self) -> Any:
        """Every alias's skeleton length (up to 255) as a numpy view, for blocking to
        rank many candidates in numpy (``match.blocking``); None without numpy."""
        return self._numpy_views[0]

    def _block_array(self, skeleton_key: str) -> Any:
        """``block`` as a numpy array (a view of every block laid end to end, made on
        first use); None when absent."""
        flat, spans = self._numpy_views[1]
        at = spans.get(skeleton_key)
        return None if at is None else flat[at[0] : at[1]]

    @cached_property
    def _numpy_views(self) -> tuple[Any, tuple[Any, dict[str, tuple[int, int]]]]:
        np = numpy_module()
        if np is None:
            return None, (None, {})
        lengths = np.frombuffer(self._skeleton_lengths, dtype=np.uint8)
        blocks = self.block_table.values()
        sizes = list(map(len, blocks))
        flat = np.fromiter(chain.from_iterable(blocks), dtype=np.int64, count=sum(sizes))
        ends = list(accumulate(sizes))
        starts = [0, *ends[:-1]]
        spans = dict(zip(self.block_table, zip(starts, ends, strict=True), strict=True))
        return lengths, (flat, spans)

    def skeleton_lengths(self, ais: Sequence[int]) -> tuple[int, ...]:
        """The skeleton lengths of these aliases (up to 255), gathered in one call."""
        if len(ais) < 2:
            return tuple(self._skeleton_lengths[a] for a in ais)
        return itemgetter(*ais)(self._skeleton_lengths)  # type: ignore[no-any-return]

    def key(self, ai: int) -> str:
        return self.alias_key[ai]

    def keys_of(self, ais: Iterable[int]) -> list[str]:
        return _picked(self.alias_key, ais)

    def texts(self, ais: Iterable[int]) -> list[str]:
        return [self.alias_text[a] for a in ais]

    def fold(self, ai: int) -> str:
        """An alias's plain lower-case ASCII letters, for scoring."""
        return self.alias_fold[ai]

    def folds(self, ais: Iterable[int]) -> list[str]:
        return _picked(self.alias_fold, ais)

    def is_alias(self, ai: int) -> bool:
        return self.alias_kind[ai] == KIND_ALIAS

    def is_short(self, ai: int) -> bool:
        """Whether an alias is a surname, which resolves through document context only."""
        return self.alias_kind[ai] == KIND_SHORT

    def is_bare(self, ai: int) -> bool:  # a form without its designator words
        return self.alias_kind[ai] == KIND_BARE

    def full(self, ais: Iterable[int]) -> list[int]:
        """The aliases that are not surnames."""
        kind = self.alias_kind
        return [a for a in ais if kind[a] != KIND_SHORT]

    def best(self, ais: Sequence[int]) -> list[int]:
        """The aliases from the gazetteer that comes first in precedence, in order."""
        if not ais:
            return []
        rank, owner = self.entity_rank, self.alias_entity
        top = min(rank[owner[a]] for a in ais)
        return [a for a in ais if rank[owner[a]] == top]

    def lower_form(self, key: str, norm: str) -> bool:
        """Whether the gazetteer writes this form in lower case ("peshmergas")."""
        return key in self.lower_keys and norm in self.lower_forms


def _picked(column: list[str], ais: Iterable[int]) -> list[str]:
    """``[column[a] for a in ais]``: one ``itemgetter`` call gathers a few hundred
    candidates' strings in a third less time than the loop."""
    if not isinstance(ais, (list, tuple)):
        ais = list(ais)
    if len(ais) < 2:
        return [column[a] for a in ais]
    return [*itemgetter(*ais)(column)]


class Alias(NamedTuple):
    """One form as the tables file it (``describe``)."""

    text: str
    kind: int
    key: str
    skel: str
    fold: str
    lead: str | None  # the first key piece, when the form opens on a lower-case word
    norm: str | None  # the surface form; None for a surname or an inflected variant
    lower: bool  # no capital anywhere: a form the data writes in lower case
    blocks: frozenset[str]  # skeleton blocks (none when ``norm`` is None)


def alias_forms(e: Entity) -> Iterator[tuple[str, int, bool]]:
    """The forms an entity is filed under, in order: (text, kind, key only)."""
    for text in e.canonical_forms:
        yield text, KIND_NAME if text == e.name else KIND_NAMES, False
    # Forms in other languages are recognized as aliases are; which form to write
    # for a paragraph is the rewriter's choice.
    for text in (*e.aliases, *e.form_texts):
        yield text, KIND_ALIAS, False
    for lang, texts in e.forms.items():
        for text in texts:
            for variant in inflected_variants(text, lang):
                yield variant, KIND_ALIAS, True
    if e.type != "person":
        if e.kind in REGION_KINDS:
            # Without its designator (Al Bayda for Al Bayda Governorate) a region
            # has the name of its seat as often as its own.
            return
        for text in bare_forms(e.known_forms):
            yield text, KIND_BARE, False
    else:
        shorts: set[str] = set()
        for text in e.known_forms:
            shorts.update(s for s in short_forms(text) if name_key(s))
        own = {surface_norm(t) for t in e.known_forms}
        for s in sorted(shorts):
            if surface_norm(s) not in own:
                yield s, KIND_SHORT, False


def describe(text: str, kind: int, key_only: bool = False) -> Alias | None:
    """What the tables hold for one form; None for a form without a key."""
    toks = tokenize(text)
    ps = pieces(toks, text)
    key = " ".join(p.key for p in ps)  # name_key, from the pieces needed here anyway
    if not key:
        return None
    lead = ps[0]
    skel = " ".join(skeleton_tokens(key))
    opens_lower = None if cap_like(toks[lead.token].text) else lead.key
    if kind == KIND_SHORT or key_only:
        # Surnames resolve through document context, not fuzzy search; inflected
        # variants of a form are for the scanner's walk only.
        return Alias(text, kind, key, skel, fold_text(text), opens_lower, None, False, frozenset())
    block_keys: set[str] = set()
    for s in skel.split():
        block_keys.add(s)
        if len(s) >= 3:
            block_keys |= deletes(s)
    if " " in skel:
        block_keys.add(skel.replace(" ", ""))  # met by the same name in one word
    bare = kind == KIND_BARE  # for fuzzy search only: no surface, no lower-case lead
    lower = not bare and not any(cap_like(t.text) for t in toks)
    return Alias(
        text, kind, key, skel, fold_text(text), None if bare else opens_lower,
        None if bare else surface_norm(text), lower, frozenset(block_keys),
    )  # fmt: skip


def step_flags(key: str) -> Iterator[tuple[str, int]]:
    """The scanner's steps for one key: the key itself, then each shorter prefix."""
    yield key, KEY_FULL
    parts = key.split()
    for n in range(1, len(parts)):
        yield " ".join(parts[:n]), KEY_PREFIX


def build_index(groups: Sequence[Sequence[Entity]]) -> Index:
    """Compile entities; ``groups`` are in precedence order (earlier outranks later)."""
    entities = [e for g in groups for e in g]
    ranks = [r for r, g in enumerate(groups) for _ in g]
    ix = Index(entities=entities, entity_rank=ranks)

    def add(ei: int, a: Alias) -> None:
        if a.lead is not None:
            ix.lower_lead.add(a.lead)
        ai = len(ix.alias_text)
        ix.alias_entity.append(ei)
        ix.alias_text.append(a.text)
        ix.alias_kind.append(a.kind)
        ix.alias_key.append(a.key)
        ix.alias_skel.append(a.skel)
        ix.alias_fold.append(a.fold)
        if a.kind != KIND_BARE:
            ix.key_table.setdefault(a.key, []).append(ai)
            ix.max_pieces = max(ix.max_pieces, len(a.key.split()))
            steps = ix.key_steps
            for k, flag in step_flags(a.key):
                steps[k] = steps.get(k, 0) | flag
        if a.norm is not None:
            ix.surface_table.setdefault(a.norm, []).append(ai)
            if a.lower:
                ix.lower_forms.add(a.norm)
                ix.lower_keys.add(a.key)
        for b in a.blocks:
            ix.block_table.setdefault(b, []).append(ai)

    for ei, e in enumerate(entities):
        if e.id in ix.by_id:
            continue
        ix.by_id[e.id] = ei
        for text, kind, key_only in alias_forms(e):
            a = describe(text, kind, key_only)
            if a is not None:
                add(ei, a)
    skel_len = [len(s) for s in ix.alias_skel]
    for lst in ix.block_table.values():
        if len(lst) > SORTED_BLOCK:
            lst.sort(key=skel_len.__getitem__)  # stable: file order within a length
    # An alias spelled the same for two entities is kept for both and reported.
    for ais in ix.surface_table.values():
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
