"""Blocking: bounded work however large the blocks, the nearest aliases kept."""

from pathlib import Path

import pytest

from canonym import Entity
from canonym.gazetteer.index import SORTED_BLOCK, Index, build_index, deletes
from canonym.match.blocking import WALK, blocked

# Syllables that make distinct second words ("Tarbak Lomedi", "Tarbak Sunafo").
_SYL = ["lo", "me", "di", "su", "na", "fo", "ri", "ga", "tu", "ve", "zo", "pi"]


def _word(i: int, n: int) -> str:
    parts = []
    for _ in range(n):
        i, r = divmod(i, len(_SYL))
        parts.append(_SYL[r])
    return "".join(parts).capitalize()


@pytest.fixture(scope="module")
def crowded() -> Index:
    """One skeleton ("trbk") shared by 3,000 names of many lengths, and the bare name."""
    ents = [Entity("tarbak", "Tarbak", "place"), Entity("lomedi", "Tarbak Lomedi", "place")]
    for i in range(3000):
        ents.append(Entity(f"t{i}", f"Tarbak {_word(i * 7 + 13, 2 + i % 4)}", "place"))
    return build_index([ents])


class CountingList(list[int]):
    """A block that counts the entries walked through it."""

    walked = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        for a in super().__iter__():
            CountingList.walked += 1
            yield a


def test_long_blocks_are_kept_in_length_order(crowded: Index) -> None:
    lst = crowded.block("trbk")
    assert lst is not None and len(lst) > SORTED_BLOCK
    lengths = [len(crowded.skeleton(a)) for a in lst]
    assert lengths == sorted(lengths)


def test_a_crowded_block_gives_the_names_nearest_in_length(crowded: Index) -> None:
    out = blocked(crowded, ["trbk"], 80)
    assert len(out) == 80
    assert crowded.owner(out[0]) == crowded.entity_index("tarbak")  # the same length
    qlen = len("trbk")
    spread = sorted(abs(len(crowded.skeleton(a)) - qlen) for a in out)
    # Only the aliases at the nearest lengths, none from the long tail.
    all_lens = sorted(abs(len(crowded.skeleton(a)) - qlen) for a in crowded.block("trbk") or [])
    assert spread == all_lens[:80]


def test_work_is_bounded_however_large_the_blocks(
    crowded: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = {k: CountingList(v) for k, v in crowded.block_table.items()}
    monkeypatch.setattr(crowded, "block_table", counted)
    CountingList.walked = 0
    blocked(crowded, ["trbk"], 80)
    blocked(crowded, ["trbk", "lmd"], 80)
    probes = len("trbk") + 1
    # Whole blocks up to WALK entries, then a bounded slice of each.
    assert CountingList.walked <= 2 * (WALK + probes * max(80, SORTED_BLOCK))
    assert sum(map(len, counted.values())) > 10 * CountingList.walked


def test_rarest_token_first_finds_the_names_sharing_most_tokens(crowded: Index) -> None:
    # "lmd" and its variants are rare, "trbk" is everywhere: the names with both come first.
    out = blocked(crowded, ["trbk", "lmd"], 10)
    owners = {crowded.owner(a) for a in out}
    assert crowded.entity_index("lomedi") in owners
    # A name sharing one token comes after those sharing both.
    assert crowded.entity_index("tarbak") not in owners


def test_a_compiled_index_blocks_as_the_in_memory_one_without_copying_blocks(
    crowded: Index, tmp_path: Path
) -> None:
    from canonym.gazetteer.compiled import write_compiled
    from canonym.gazetteer.mapped import MappedIndex

    mapped = MappedIndex(write_compiled(crowded, tmp_path / "index"))
    # A long block is read in place from the mapping: blocking reads only the few
    # entries nearest the query in length, and a copy would cost the whole block.
    lst = mapped.block("trbk")
    assert lst is not None and len(lst) > WALK and not isinstance(lst, list)
    for q in (["trbk"], ["trbk", "lmd"], ["lmd"], ["trbk", "smf"], ["xq"]):
        assert blocked(mapped, q, 80) == blocked(crowded, q, 80), q  # type: ignore[arg-type]


def test_candidates_come_in_one_order_most_shared_then_own_block_nearest_then_index(
    crowded: Index,
) -> None:
    # The order decides which candidates a cut keeps, and which of equal scores the
    # scorer sees first: it must not depend on how sets iterate.
    q = ["lmd", "snf"]  # small blocks only

    def filed(s: str) -> set[str]:
        return {s} | deletes(s) if len(s) >= 3 else {s}

    def shared(a: int) -> int:
        keys = set().union(*(filed(t) for t in crowded.skeleton(a).split()))
        return sum(bool(filed(s) & keys) for s in q)

    own = {a for s in q for a in crowded.block(s) or []}
    qlen = len("lmd snf")

    def offset(a: int) -> int:
        n = crowded.skeleton_length(a)
        return 2 * abs(n - qlen) + (n > qlen)

    out = blocked(crowded, q, 60)
    met = blocked(crowded, q, 10_000)
    assert len(out) == 60 and len(met) > 60 and len(set(met)) == len(met)
    assert met == sorted(met, key=lambda a: (-shared(a), a not in own, offset(a), a))
    assert out == met[:60]


def test_the_numpy_ranking_keeps_what_the_builtins_keep(
    crowded: Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from canonym.gazetteer.compiled import write_compiled
    from canonym.gazetteer.mapped import MappedIndex
    from canonym.match import blocking

    mapped = MappedIndex(write_compiled(crowded, tmp_path / "index"))
    queries = (["trbk"], ["trbk", "lmd"], ["lmd", "sfn"], ["trbk", "smf", "lmd"], ["lmd"])
    limits = (1, 7, 80, 333, 5000)
    # The in-memory index ranks with builtins below a number of aliases met...
    monkeypatch.setattr(blocking, "_NUMPY_FROM", 10**9)
    builtins = {(tuple(q), n): blocked(crowded, q, n) for q in queries for n in limits}
    # ... and in numpy from it on, as the compiled index always does (when it can).
    monkeypatch.setattr(blocking, "_NUMPY_FROM", 0)
    monkeypatch.setattr(blocking, "_NUMPY_AFTER", 0)
    calls: list[int] = []
    ranked_arrays = blocking._ranked_arrays
    monkeypatch.setattr(blocking, "_ranked_arrays", lambda *a: calls.append(1) or ranked_arrays(*a))
    # Cuts at every size, for one token and for several.
    for (q, n), expected in builtins.items():
        assert blocked(crowded, list(q), n) == expected, (q, n)
        assert blocked(mapped, list(q), n) == expected, (q, n)  # type: ignore[arg-type]
    assert len(calls) > len(builtins)  # both indexes ranked in numpy (a cut at 1 may not rank)


def test_a_compiled_index_without_numpy_blocks_alike(
    crowded: Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from canonym.gazetteer import mapped as mapped_module
    from canonym.gazetteer.compiled import write_compiled

    monkeypatch.setattr(mapped_module, "numpy_module", lambda: None)
    mapped = mapped_module.MappedIndex(write_compiled(crowded, tmp_path / "index"))
    assert mapped.skeleton_length_array() is None
    ais = list(range(0, mapped.alias_count, 7))
    assert mapped.keys_of(ais) == crowded.keys_of(ais)
    for q in (["trbk"], ["trbk", "lmd"], ["lmd", "snf"]):
        assert blocked(mapped, q, 80) == blocked(crowded, q, 80), q  # type: ignore[arg-type]
