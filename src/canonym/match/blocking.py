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
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict

from canonym.gazetteer.index import BIG_BLOCK, SORTED_BLOCK, Index, deletes

__all__ = ["WALK", "blocked"]

# Posting entries walked whole for one query at most. Large enough that the dev
# sets' gazetteers are always walked whole (their results are those of a full
# walk), small enough that resolving stays flat from 100k to millions of forms.
WALK = 3000


def _probe_lists(ix: Index, s: str, alone: bool) -> list[list[int]]:
    """The blocks a query token meets: its skeleton's and its one-deletion variants'.

    A block larger than ``BIG_BLOCK`` ("br", "bd") says little about a name: it is
    used only by a query of one token that meets nothing more selective.
    """
    probes = {s} | deletes(s) if len(s) >= 3 else {s}
    small: list[list[int]] = []
    big: list[list[int]] = []
    for b in sorted(probes):
        lst = ix.block(b)
        if lst is not None:
            (big if len(lst) > BIG_BLOCK else small).append(lst)
    return small or (big if alone else [])


def _nearest_in_length(ix: Index, lst: list[int], qlen: int, n: int) -> list[int]:
    """The ``n`` aliases of a block whose skeleton length is closest to ``qlen``."""
    if len(lst) <= n:
        return lst
    at = bisect_left(lst, qlen, key=ix.skeleton_length)
    lo, hi = max(0, at - n // 2), min(len(lst), at + n // 2)
    if hi - lo < n:  # at one end: take the rest from the other side
        lo, hi = (0, n) if lo == 0 else (len(lst) - n, len(lst))
    return lst[lo:hi]


def _per_token(ix: Index, qskel_tokens: list[str], qlen: int, limit: int) -> list[set[int]]:
    """For each query token that meets any block, the aliases it meets, in bounded work."""
    alone = len(qskel_tokens) == 1
    tokens = []
    for s in qskel_tokens:
        lists = _probe_lists(ix, s, alone)
        if lists:
            tokens.append((sum(map(len, lists)), lists))
    tokens.sort(key=lambda t: t[0])  # rarest first: its blocks say most
    take = max(limit, SORTED_BLOCK)
    found: list[set[int]] = []
    room = WALK
    for size, lists in tokens:
        if size <= room:
            room -= size
        else:
            # Of a long block only the aliases nearest in length can be among the
            # ``limit`` kept; those sharing several tokens are near in length too.
            lists = [_nearest_in_length(ix, lst, qlen, take) for lst in lists]
        members: set[int] = set()
        for lst in lists:
            members.update(lst)
        found.append(members)
    return found


def _own_blocks(ix: Index, qskel_tokens: list[str]) -> set[int]:
    """The aliases in the blocks of the query tokens' own skeletons, big blocks aside."""
    out: set[int] = set()
    for s in qskel_tokens:
        lst = ix.block(s)
        if lst is not None and len(lst) <= BIG_BLOCK:
            out.update(lst)
    return out


def blocked(ix: Index, qskel_tokens: list[str], limit: int) -> list[int]:
    """Aliases sharing a skeleton token within two edits of a query token, most shared first."""
    qlen = sum(map(len, qskel_tokens)) + len(qskel_tokens) - 1
    per_token = _per_token(ix, qskel_tokens, qlen, limit)
    # Compounds are written in one word or two (Khanabad, Khan Abad): aliases whose
    # skeleton is the query's, spaces aside, come first. (The index also files an
    # alias written apart under its joined skeleton, for a query in one word.)
    whole = ix.block("".join(qskel_tokens)) or [] if len(qskel_tokens) > 1 else []
    if not per_token and not whole:
        return []
    if len(per_token) <= 1:
        groups = [whole[:limit], *(list(f) for f in per_token)]
    else:
        counts: Counter[int] = Counter()
        for f in per_token:
            counts.update(f)
        by_count: dict[int, list[int]] = defaultdict(list)
        for a, c in counts.items():
            by_count[c].append(a)
        groups = [whole[:limit], *(by_count[c] for c in sorted(by_count, reverse=True))]
    # Keep the aliases sharing most skeleton tokens, then those closest in length.
    # Within a group, the aliases filed under a query token's own skeleton (one
    # edit away at most) come before those met through a deletion (up to two):
    # in length alone, the many neighbours of a short skeleton crowd it out.
    near = _own_blocks(ix, qskel_tokens)
    out: list[int] = []
    for members in groups:
        room = limit - len(out)
        if len(members) <= room:
            out.extend(members)
            continue
        # Closest in length first; at the same distance, the shorter. (Loops in C:
        # the blocks of a large gazetteer give a thousand candidates.)
        lens = ix.skeleton_lengths(members)
        rank = [2 * abs(n - qlen) + (n > qlen) for n in range(max(lens) + 1)]
        off = list(map(rank.__getitem__, lens))
        if near:
            far = 2 * max(rank) + 2  # below every alias of the own blocks
            off = [o if a in near else o + far for o, a in zip(off, members, strict=True)]
        nearest = sorted(range(len(members)), key=off.__getitem__)[:room]
        out.extend(members[i] for i in nearest)
        break
    return out
