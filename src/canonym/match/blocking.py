"""Blocking: the few gazetteer aliases worth scoring against a name.

Reach for this module to cut the index down before fuzzy scoring. Aliases are
filed under the skeleton of each name token and its one-deletion variants (the
symmetric-delete trick), so a query finds every alias within two edits of a
token with set lookups only.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from canonym.gazetteer.index import BIG_BLOCK, Index, deletes

__all__ = ["blocked"]


def blocked(ix: Index, qskel_tokens: list[str], limit: int) -> list[int]:
    """Aliases sharing a skeleton token within two edits of a query token, most shared first."""
    per_token: list[set[int]] = []
    for s in qskel_tokens:
        probes = {s} | deletes(s) if len(s) >= 3 else {s}
        found: set[int] = set()
        big: list[list[int]] = []
        for b in probes:
            lst = ix.block(b)
            if lst is None:
                continue
            if len(lst) > BIG_BLOCK:
                big.append(lst)
            else:
                found.update(lst)
        if not found and big and len(qskel_tokens) == 1:
            for lst in big:
                found.update(lst)
        if found:
            per_token.append(found)
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
        for found in per_token:
            counts.update(found)
        by_count: dict[int, list[int]] = defaultdict(list)
        for a, c in counts.items():
            by_count[c].append(a)
        groups = [whole[:limit], *(by_count[c] for c in sorted(by_count, reverse=True))]
    # Keep the aliases sharing most skeleton tokens, then those closest in length:
    # a length bucket walk, cheaper than sorting hundreds of candidates.
    qlen = sum(map(len, qskel_tokens)) + len(qskel_tokens) - 1
    out: list[int] = []
    for members in groups:
        room = limit - len(out)
        if len(members) <= room:
            out.extend(members)
            continue
        by_len: dict[int, list[int]] = defaultdict(list)
        for a in members:
            by_len[len(ix.skeleton(a))].append(a)
        for d in range(max(by_len) + qlen + 1):
            for n in {qlen - d, qlen + d}:
                take = by_len.get(n)
                if take:
                    out.extend(take[: limit - len(out)])
            if len(out) >= limit:
                break
        break
    return out
