"""Aligning the readings of an Arabic-script name with a Latin form's key.

Reach for this module to score a name in Arabic script against a Latin form:
``reading_cost`` is a weighted edit distance between the name's slots (each letter
with its possible readings, ``names.readings``) and the form's key, in which the
short vowels Arabic leaves unwritten cost little and a consonant either side
lacks costs one. ``reading_similarity`` scales it by the name's length.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import accumulate

from canonym.names.readings import SPACE, ReadingCosts, Slot, borrowing_endings, reading_costs

__all__ = ["reading_cost", "reading_similarity", "consonants", "edge_extension", "forget_readings"]

_VOWELS = frozenset("aiu")
_NEAR = frozenset({frozenset("wu"), frozenset("yi")})


def _inserted(ch: str, c: ReadingCosts) -> float:
    if ch in _VOWELS:
        return c.unmatched_vowel
    if ch in "wy":
        return c.unmatched_glide
    if ch == "h":
        return c.unmatched_h
    if ch == " ":
        return c.unmatched_space
    return c.unmatched_other


def _substituted(a: str, b: str, c: ReadingCosts) -> float:
    if a in _VOWELS and b in _VOWELS:
        return c.substitute_vowel
    if frozenset((a, b)) in _NEAR:
        return c.substitute_glide
    return c.substitute_other


def _is_consonant_slot(slot: Slot) -> bool:
    k = slot[0][0]
    return bool(k) and k != " " and k[0] not in _VOWELS and k[0] not in "wy"


@lru_cache(maxsize=50_000)
def consonants(slots: tuple[Slot, ...]) -> int:
    """How many slots read first as a consonant: the letters that carry the name."""
    return sum(1 for s in slots if _is_consonant_slot(s))


def _dropped(slot: Slot, c: ReadingCosts) -> float:
    if slot is SPACE:
        return c.unmatched_space
    for k, cost in slot:
        if not k:
            return cost
    return c.dropped_other if _is_consonant_slot(slot) else c.dropped_vowel


class _Reads(dict[str, float]):
    """What one slot costs to read as each key letter: the cheapest of its one-letter
    readings, exact or substituted (filled as letters are asked for)."""

    def __init__(self, slot: Slot, c: ReadingCosts) -> None:
        super().__init__()
        self.singles = [(k, cost) for k, cost in slot if len(k) == 1]
        self.c = c

    def __missing__(self, here: str) -> float:
        best = float("inf")
        for k, cost in self.singles:
            if k == here:
                best = min(best, cost)
            elif k != " " and here != " ":
                best = min(best, cost + _substituted(k, here, self.c))
        self[here] = best
        return best


_Longer = tuple[tuple[str, float, int], ...]  # readings of two letters or more, and their lengths


@lru_cache(maxsize=4096)
def _slot_table(slot: Slot, script: str) -> tuple[_Reads, _Longer, float]:
    """A slot as the walk reads it: its one-letter readings by key letter, its longer
    readings, and what dropping it costs."""
    c = reading_costs(script)
    longer = tuple((k, cost, len(k)) for k, cost in slot if len(k) > 1)
    return _Reads(slot, c), longer, _dropped(slot, c)


# Alignments already worked out: (slots, key, script) -> (cost, the bound it was
# asked under). A cost found is exact under any bound (costs are never negative,
# so the cheapest reading is never cut off below it); "too far" holds for a bound
# as low or lower. ``link`` reads a name's best candidate again for its features.
_SEEN: dict[tuple[tuple[Slot, ...], str, str], tuple[float, float]] = {}
_SEEN_SIZE = 100_000


def reading_cost(
    slots: tuple[Slot, ...], key: str, script: str = "arabic", bound: float = float("inf")
) -> float:
    """The cheapest reading of ``slots`` as ``key``: each letter read one of its ways,
    key letters no letter accounts for and letters the key lacks paid for.

    Above ``bound`` the answer is only "too far" (infinity): the walk stops as soon
    as every partial reading costs more.
    """
    at = (slots, key, script)
    seen = _SEEN.get(at)
    if seen is not None:
        cost, asked = seen
        if cost <= asked:
            return cost if cost <= bound else float("inf")
        if bound <= asked:
            return cost
    if _least_cost(slots, script, key) > bound + 1e-9 or _slots_exceed(slots, script, key, bound):
        cost = float("inf")  # what the walk would find, without walking
    else:
        cost = _walk(slots, key, script, bound)
    if len(_SEEN) >= _SEEN_SIZE:
        _SEEN.clear()
    _SEEN[at] = (cost, bound)
    return cost


class _LetterFloor(dict[str, float]):
    """The least any reading can pay for one key letter: inserted, read by some slot
    (exactly or substituted), or inside some slot's longer reading (at least 0)."""

    def __init__(self, slots: tuple[Slot, ...], script: str) -> None:
        super().__init__()
        self.tables = [_slot_table(slot, script) for slot in set(slots)]
        self.each = [_slot_table(slot, script) for slot in slots]  # in order, repeats too
        self.inside = {ch for _, longer, _ in self.tables for k, _, _ in longer for ch in k}
        self.c = reading_costs(script)

    def __missing__(self, ch: str) -> float:
        least = 0.0
        if ch not in self.inside:
            least = _inserted(ch, self.c)
            if ch in _VOWELS:
                least = min(least, self.c.unmatched_edge_vowel)
            for reads, _, _ in self.tables:
                least = min(least, reads[ch])
        self[ch] = least
        return least


@lru_cache(maxsize=256)
def _letter_floor(slots: tuple[Slot, ...], script: str) -> _LetterFloor:
    return _LetterFloor(slots, script)


def _floor_of(slots: tuple[Slot, ...], script: str) -> _LetterFloor:
    # Kept on a name's ``Slots`` (asked for every candidate key): a cache lookup
    # would cost as much as the sum it saves.
    kept = getattr(slots, "floors", None)
    if kept is None:
        return _letter_floor(slots, script)
    got: _LetterFloor | None = kept.get(script)
    if got is None:
        got = kept[script] = _LetterFloor(slots, script)
    return got


def _least_cost(slots: tuple[Slot, ...], script: str, key: str) -> float:
    """A lower bound of ``_walk``'s cost: every key letter paid at its least.

    Each key letter is inserted, read by one slot or inside a longer reading, and
    every slot costs 0 or more: no reading costs less. A key far from the name is
    rejected by this sum alone, without its walk.
    """
    return sum(map(_floor_of(slots, script).__getitem__, key))


def _slots_exceed(slots: tuple[Slot, ...], script: str, key: str, bound: float) -> bool:
    """Whether the slots alone, each paid at its least, cost more than ``bound``.

    Every slot is dropped, read as one key letter (exactly or substituted) or as a
    longer reading the key holds: it pays at least the cheapest of those, whatever
    the key letters cost. The letters' sum (``_least_cost``) misses a name letter
    the key lacks (a ق against Karim); this sum rejects half the walks it lets by.
    """
    letters = set(key)
    limit = bound + 1e-9
    total = 0.0
    for reads, longer, drop in _floor_of(slots, script).each:
        least = drop
        for ch in letters:
            v = reads[ch]
            if v < least:
                least = v
        for k, cost, _ in longer:
            if cost < least and k in key:
                least = cost
        total += least
        if total > limit:
            return True
    return False


def forget_readings() -> None:
    """Empty the alignments kept (benchmarks measure names met for the first time)."""
    _SEEN.clear()
    _letter_floor.cache_clear()
    _key_consonants.cache_clear()
    _insertions.cache_clear()


@lru_cache(maxsize=50_000)
def _insertions(key: str, script: str) -> tuple[float, ...]:
    """What leaving each key letter unread costs (asked of a key by every name walked)."""
    c = reading_costs(script)
    m = len(key)
    ins = [_inserted(ch, c) for ch in key]
    for j, ch in enumerate(key):
        opens = ch in _VOWELS and (j == 0 or key[j - 1] == " ")
        ends = ch in "au" and (j == m - 1 or key[j + 1] == " ")
        if opens or ends:
            # Arabic script writes the sound a word opens on (ا, ع, و) and a final
            # a or u (ا, ة, و): a Latin vowel there that no letter reads makes
            # another name (Islam is not سلم). A final i may be an English silent e.
            ins[j] = c.unmatched_edge_vowel
    return tuple(ins)


def _walk(slots: tuple[Slot, ...], key: str, script: str, bound: float) -> float:
    ins = _insertions(key, script)
    m = len(key)
    inf = float("inf")
    cur = list(accumulate(ins, initial=0.0))
    for reads, longer, drop in _floor_of(slots, script).each:
        nxt = [inf] * (m + 1)
        row = list(map(reads.__getitem__, key))  # this slot read as each key letter
        for j in range(m):
            base = cur[j]
            if base > bound:
                continue
            if base + drop < nxt[j]:
                nxt[j] = base + drop
            v = base + row[j]
            if v < nxt[j + 1]:
                nxt[j + 1] = v
        base = cur[m]
        if base <= bound and base + drop < nxt[m]:
            nxt[m] = base + drop
        for k, cost, n in longer:
            # Only where the key holds the reading: found, not tried at every letter.
            j = key.find(k)
            while j >= 0:
                base = cur[j]
                if base <= bound:
                    v = base + cost
                    if v < nxt[j + n]:
                        nxt[j + n] = v
                j = key.find(k, j + 1)
        for j in range(m):
            v = nxt[j] + ins[j]
            if v < nxt[j + 1]:
                nxt[j + 1] = v
        if min(nxt) > bound:
            return inf
        cur = nxt
    return cur[m] if cur[m] <= bound else inf


def reading_similarity(
    slots: tuple[Slot, ...], key: str, script: str = "arabic", floor: float = 0.0
) -> float:
    """One minus the reading cost per consonant of the name or the key, whichever has
    more; 0.0 for a reading below ``floor``, which is not worked out."""
    n = max(consonants(slots), _key_consonants(key), 1)
    cost = reading_cost(slots, key, script, round((1.0 - floor) * n, 6))
    return max(0.0, 1.0 - cost / n)


@lru_cache(maxsize=100_000)
def _key_consonants(key: str) -> int:
    # Asked of each candidate key a name is aligned with, by many names.
    return len(key) - sum(map(key.count, "aiuwy "))


def edge_extension(a: str, b: str) -> bool:
    """Whether one key is the other with letters added at its start or end only.

    Transliterations differ inside a name; letters added at its edge make another
    name (Piranshahr and Iranshahr, Adano and Dano) or a derived word (Iraqi);
    an ending a borrowing language adds whole (``borrowing_endings``) does not.
    """
    if a == b:
        return False
    if len(a) < len(b):
        a, b = b, a
    if a.startswith(b) and a[len(b) :] in borrowing_endings():
        return False  # a case ending another language adds: Lithuanian Kabulas
    return a.startswith(b) or a.endswith(b)
