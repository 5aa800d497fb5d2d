"""Alignments: the walk over slot tables costs what reading each letter's readings one
by one costs, and an alignment worked out once answers for every bound."""

from __future__ import annotations

import random

import pytest

from canonym.match import align
from canonym.match.align import forget_readings, reading_cost
from canonym.names.keys import name_key
from canonym.names.readings import Slot, arabic_slots, latin_slots, reading_costs

# Invented names, Latin and Arabic script, and keys to read them against.
_LATIN = ["Tarbakabad", "Qandesh", "Ouslimane", "Kherbet Zuru", "Dzheyrat", "Bellaoui"]
_ARABIC = ["تربك آباد", "قندش", "خربة زورو", "بلاوي", "مسكنة", "ينبوع"]
_FORMS = [*_LATIN, "Tarbekabad", "Kandesh", "Uslimane", "Khirbat Zoru", "Jeyrat", "Belawi",
          "Maskana", "Yanbu", "Zuru", "Bad"]  # fmt: skip


def _reference(slots: tuple[Slot, ...], key: str, script: str) -> float:
    """The cheapest reading, every reading of every slot tried at every key letter."""
    c = reading_costs(script)
    m = len(key)
    ins = [align._inserted(ch, c) for ch in key]
    for j, ch in enumerate(key):
        opens = ch in "aiu" and (j == 0 or key[j - 1] == " ")
        ends = ch in "au" and (j == m - 1 or key[j + 1] == " ")
        if opens or ends:
            ins[j] = c.unmatched_edge_vowel
    inf = float("inf")
    cur = [0.0] * (m + 1)
    for j in range(m):
        cur[j + 1] = cur[j] + ins[j]
    for slot in slots:
        nxt = [inf] * (m + 1)
        for j in range(m + 1):
            nxt[j] = min(nxt[j], cur[j] + align._dropped(slot, c))
            for k, cost in slot:
                if not k or j == m:
                    continue
                if key.startswith(k, j):
                    nxt[j + len(k)] = min(nxt[j + len(k)], cur[j] + cost)
                elif len(k) == 1 and k != " " and key[j] != " ":
                    sub = align._substituted(k, key[j], c)
                    nxt[j + 1] = min(nxt[j + 1], cur[j] + cost + sub)
        for j in range(m):
            nxt[j + 1] = min(nxt[j + 1], nxt[j] + ins[j])
        cur = nxt
    return cur[m]


def _pairs() -> list[tuple[tuple[Slot, ...], str, str]]:
    keys = [name_key(f) for f in _FORMS]
    out = [(latin_slots(name_key(n)), k, "latin") for n in _LATIN for k in keys]
    out += [(arabic_slots(n), k, "arabic") for n in _ARABIC for k in keys]
    return out


def test_the_walk_costs_what_every_reading_tried_costs() -> None:
    forget_readings()
    for slots, key, script in _pairs():
        assert reading_cost(slots, key, script) == pytest.approx(
            _reference(slots, key, script), abs=1e-9
        ), (key, script)


def test_an_alignment_worked_out_once_answers_for_every_bound() -> None:
    # The same questions in a shuffled order of bounds, each against a fresh walk:
    # a cost found under a loose bound answers a tight one, and "too far" under a
    # tight bound is worked out again under a looser one.
    rng = random.Random(3)
    asks = [(p, b) for p in _pairs() for b in (0.3, 1.0, 2.5, float("inf"))]
    fresh = {}
    for (slots, key, script), bound in asks:
        forget_readings()
        fresh[(slots, key, script, bound)] = reading_cost(slots, key, script, bound)
    rng.shuffle(asks)
    forget_readings()
    for (slots, key, script), bound in asks:
        assert reading_cost(slots, key, script, bound) == fresh[(slots, key, script, bound)]
    assert any(v == float("inf") for v in fresh.values())
    assert any(v != float("inf") for v in fresh.values())


def test_the_least_cost_never_exceeds_the_walk_and_rejects_without_walking() -> None:
    # The sum of each key letter's least cost is a floor: a key it rejects is one
    # the walk finds too far, so rejecting it first changes no answer.
    pairs = _pairs()
    for slots, key, script in pairs:
        ref = _reference(slots, key, script)
        assert align._least_cost(slots, script, key) <= ref + 1e-9, (key, script)
    forget_readings()
    walked: list[str] = []
    walk = align._walk
    try:
        align._walk = lambda s, k, sc, b: walked.append(k) or walk(s, k, sc, b)  # type: ignore[assignment]
        for slots, key, script in pairs:
            got = reading_cost(slots, key, script, 1.0)
            ref = _reference(slots, key, script)
            assert got == (pytest.approx(ref, abs=1e-9) if ref <= 1.0 else float("inf"))
    finally:
        align._walk = walk  # type: ignore[assignment]
    assert 0 < len(walked) < len(pairs)  # some keys were rejected by the floor alone


def test_the_slots_least_cost_never_exceeds_the_walk_and_rejects_more() -> None:
    # Each slot dropped or read at its least is a floor too: what it rejects the
    # walk finds too far, and it rejects keys the key letters' floor lets by.
    pairs = _pairs()
    extra = 0
    for slots, key, script in pairs:
        ref = _reference(slots, key, script)
        for bound in (0.5, 1.0, 2.0, ref, ref - 1e-6):
            if align._slots_exceed(slots, script, key, bound):
                assert ref > bound, (key, script, bound)
                extra += align._least_cost(slots, script, key) <= bound + 1e-9
    assert extra > 0
