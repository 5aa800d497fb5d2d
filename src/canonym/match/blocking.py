"""Blocking: the few gazetteer aliases worth scoring against a name.

Reach for this module to cut the index down before fuzzy scoring. Aliases are
filed under the skeleton of each name token and its one-deletion variants (the
symmetric-delete trick), so a query finds every alias within two edits of a
token with set lookups only.

The work is bounded whatever the gazetteer's size: query tokens are taken
rarest first, and their blocks are walked whole only up to ``WALK`` entries in
all. Past that, a block gives only the aliases closest to the query in length
(the index keeps long blocks in that order, so they are found by bisection):
the candidates kept are those nearest in length anyway, so for a one-token
name the result is the same as a full walk.

The candidates come in one order whatever the index: most query tokens shared
first, then nearest in skeleton length (at the same distance, the shorter), then
in index order. A compiled index, whose blocks are arrays in a mapping, has them
counted and ranked by numpy, in one sort of one integer per candidate; so has an
in-memory one once a name meets a few hundred aliases (its blocks made arrays as
they are first read). Fewer are ranked by set and list builtins, since numpy
takes longer to import than a small gazetteer takes to block a name.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from canonym.gazetteer.arrays import numpy_module
from canonym.gazetteer.index import BIG_BLOCK, SORTED_BLOCK, Index, deletes

__all__ = ["WALK", "blocked"]

# Posting entries walked whole for one query at most. Large enough that the dev
# sets' gazetteers are always walked whole (their results are those of a full
# walk), small enough that resolving stays flat from 100k to millions of forms.
WALK = 3000


Block = Callable[[str], "Sequence[int] | None"]


def _probe_lists(block: Block, s: str, alone: bool) -> list[Sequence[int]]:
    """The blocks a query token meets: its skeleton's and its one-deletion variants'.

    A block larger than ``BIG_BLOCK`` ("br", "bd") says little about a name: it is
    used only by a query of one token that meets nothing more selective.
    """
    probes = {s} | deletes(s) if len(s) >= 3 else {s}
    small: list[Sequence[int]] = []
    big: list[Sequence[int]] = []
    for b in sorted(probes):
        lst = block(b)
        if lst is not None:
            (big if len(lst) > BIG_BLOCK else small).append(lst)
    return small or (big if alone else [])


def _nearest_in_length(ix: Index, lst: Sequence[int], qlen: int, n: int) -> Sequence[int]:
    """The ``n`` aliases of a block whose skeleton length is closest to ``qlen``."""
    if len(lst) <= n:
        return lst
    at = bisect_left(lst, qlen, key=ix.skeleton_length)
    lo, hi = max(0, at - n // 2), min(len(lst), at + n // 2)
    if hi - lo < n:  # at one end: take the rest from the other side
        lo, hi = (0, n) if lo == 0 else (len(lst) - n, len(lst))
    return lst[lo:hi]


def _per_token(
    ix: Index, block: Block, qskel_tokens: list[str], qlen: int, limit: int
) -> list[list[Sequence[int]]]:
    """For each query token that meets any block, the blocks (or parts) to read, in
    bounded work, rarest token first."""
    alone = len(qskel_tokens) == 1
    tokens = []
    for s in qskel_tokens:
        lists = _probe_lists(block, s, alone)
        if lists:
            tokens.append((sum(map(len, lists)), lists))
    tokens.sort(key=lambda t: t[0])  # rarest first: its blocks say most
    take = max(limit, SORTED_BLOCK)
    found: list[list[Sequence[int]]] = []
    room = WALK
    for size, lists in tokens:
        if size <= room:
            room -= size
        else:
            # Of a long block only the aliases nearest in length can be among the
            # ``limit`` kept; those sharing several tokens are near in length too.
            lists = [_nearest_in_length(ix, lst, qlen, take) for lst in lists]
        found.append(lists)
    return found


def _own_blocks(block: Block, qskel_tokens: list[str]) -> list[Sequence[int]]:
    """The blocks of the query tokens' own skeletons, big blocks aside."""
    out: list[Sequence[int]] = []
    for s in qskel_tokens:
        lst = block(s)
        if lst is not None and len(lst) <= BIG_BLOCK:
            out.append(lst)
    return out


def blocked(ix: Index, qskel_tokens: list[str], limit: int) -> list[int]:
    """Aliases sharing a skeleton token within two edits of a query token, most shared first."""
    qlen = sum(map(len, qskel_tokens)) + len(qskel_tokens) - 1
    per_token = _per_token(ix, ix.block, qskel_tokens, qlen, limit)
    # Compounds are written in one word or two (Khanabad, Khan Abad): aliases whose
    # skeleton is the query's, spaces aside, come first. (The index also files an
    # alias written apart under its joined skeleton, for a query in one word.)
    whole = ix.block("".join(qskel_tokens)) or [] if len(qskel_tokens) > 1 else []
    head = list(whole[:limit])
    room = limit - len(head)
    if not per_token or room <= 0:
        return head
    # Among the aliases sharing as many tokens, those filed under a query token's own
    # skeleton (one edit away at most) come before those met through a deletion (up
    # to two): in length alone, the many neighbours of a short skeleton crowd it out.
    lengths = _numpy_lengths(ix, per_token)
    if lengths is None:
        return head + _ranked(ix, per_token, _own_blocks(ix.block, qskel_tokens), qlen, room)
    block = getattr(ix, "_block_array", ix.block)  # an in-memory index's lists as arrays
    if block != ix.block:
        per_token = _per_token(ix, block, qskel_tokens, qlen, limit)
    own = _own_blocks(block, qskel_tokens)
    return head + _ranked_arrays(lengths, per_token, own, qlen, room)


# An in-memory index ranks the aliases met in numpy from this many on; below it,
# builtins cost less than numpy's calls (with its sorts merging runs, numpy ranks a
# hundred aliases faster than builtins).
_NUMPY_FROM = 64
# ... but only once the process has met this many in such blocks: importing numpy and
# laying the index's blocks out as arrays costs some 0.1 s of processor time, more
# than builtins spend ranking one article's names (a one-article run never pays it).
_NUMPY_AFTER = 250_000
_met_by_builtins = [0]


def _numpy_lengths(ix: Index, per_token: list[list[Sequence[int]]]) -> Any:
    """The skeleton lengths array to rank in numpy with, or None to rank with builtins."""
    arrays = getattr(ix, "skeleton_length_array", None)
    if arrays is None:
        return None
    if hasattr(ix, "_block_array"):
        walked = sum(len(lst) for lists in per_token for lst in lists)
        if walked < _NUMPY_FROM:
            return None
        if _met_by_builtins[0] < _NUMPY_AFTER:
            _met_by_builtins[0] += walked
            return None
        if numpy_module() is None:
            return None
    return arrays()


def _ranked(
    ix: Index, per_token: list[list[Sequence[int]]], own: list[Sequence[int]], qlen: int, room: int
) -> list[int]:
    """The first ``room`` of the aliases met, counted and sorted by builtins (loops in C)."""
    counts: Counter[int] = Counter()
    for lists in per_token:
        members: set[int] = set()
        for lst in lists:
            members.update(lst)
        counts.update(members)
    ids = sorted(counts)
    lens = ix.skeleton_lengths(ids)
    rank = [2 * abs(n - qlen) + (n > qlen) for n in range(max(lens) + 1)]
    off = list(map(rank.__getitem__, lens))
    if own:
        near: set[int] = set()
        for lst in own:
            near.update(lst)
        far = 2 * max(rank) + 2  # after every alias of the own blocks
        off = [o if a in near else o + far for o, a in zip(off, ids, strict=True)]
    order = sorted(range(len(ids)), key=off.__getitem__)  # stable: index order at a tie
    if len(per_token) > 1:
        shared = [-c for c in map(counts.__getitem__, ids)]
        order.sort(key=shared.__getitem__)
    return [ids[i] for i in order[:room]]


def _ranked_arrays(
    lengths: Any,
    per_token: list[list[Sequence[int]]],
    own: list[Sequence[int]],
    qlen: int,
    room: int,
) -> list[int]:
    """``_ranked`` in numpy, over blocks that are arrays (views of the mapping, or an
    in-memory index's lists made arrays once).

    Every rank is one integer (tokens not met, then own block or not, then length
    offset, then the alias), so that one sort orders them as ``_ranked`` does.
    """
    np = numpy_module()

    def distinct(lists: list[Any]) -> Any:
        # Sorted, then cut where the value changes (np.unique does more: slower here).
        # Each block is in index order or in runs of it: a merging sort is quicker.
        a = np.sort(
            np.concatenate(lists) if len(lists) > 1 else np.asarray(lists[0]), kind="stable"
        )
        if len(a) > 1:
            a = a[np.concatenate(([True], a[1:] != a[:-1]))]
        return a.astype(np.int64, copy=False)

    if len(per_token) == 1:
        ids = distinct(per_token[0])
        rank = _offsets(qlen)[lengths[ids]] << _OFF_SHIFT
    else:
        a = np.sort(np.concatenate([distinct(lists) for lists in per_token]), kind="stable")
        starts = np.flatnonzero(np.concatenate(([True], a[1:] != a[:-1])))
        ids = a[starts]
        missed = len(per_token) - np.diff(np.append(starts, len(a)))  # tokens not met
        rank = (missed << _MISSED_SHIFT) | (_offsets(qlen)[lengths[ids]] << _OFF_SHIFT)
    if own:
        near = distinct(own)
        at = np.minimum(np.searchsorted(near, ids), len(near) - 1)
        rank |= (near[at] != ids).astype(np.int64) << _FAR_SHIFT  # after the own blocks'
    rank |= ids
    if len(rank) > room:
        rank = np.partition(rank, room - 1)[:room]
    rank.sort()
    return (rank & _ALIAS_MASK).tolist()  # type: ignore[no-any-return]


# Bits of a candidate's rank: the alias (index order at a tie), its length offset
# (up to 511), whether it is outside the own blocks, how many query tokens it missed.
_OFF_SHIFT, _FAR_SHIFT, _MISSED_SHIFT = 34, 44, 45
_ALIAS_MASK = (1 << _OFF_SHIFT) - 1


@lru_cache(maxsize=256)
def _offsets(qlen: int) -> Any:
    """How far each skeleton length is from ``qlen``, as ``_ranked`` counts: nearer
    first, and at the same distance the shorter."""
    np = numpy_module()
    return np.array([2 * abs(n - qlen) + (n > qlen) for n in range(256)], dtype=np.int64)
