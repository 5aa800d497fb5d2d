"""A compiled index answers for long lists of aliases (read by numpy) as it does for
a few, read one by one, and as the in-memory index."""

from __future__ import annotations

import random

import pytest

from canonym import Entity
from canonym.gazetteer import mapped as mapped_module
from canonym.gazetteer.compiled import write_compiled
from canonym.gazetteer.index import Index, build_index
from canonym.gazetteer.mapped import MappedIndex


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Index, MappedIndex]:
    # Hundreds of people who share a surname, in two gazetteers (two ranks), and
    # places in three scripts: the key of the surname files every one of them.
    given = ["Ali", "Omar", "Hadi", "Karim", "Samir", "Walid", "Nabil", "Ziad"]
    people = [
        Entity(f"p{i}", f"{given[i % 8]} {chr(65 + i % 26)}{i} Barzani", "person")
        for i in range(400)
    ]
    places = [
        Entity(f"c{i}", name, "place", aliases=(alias,))
        for i, (name, alias) in enumerate(
            [("Barzan", "برزان"), ("Erbil", "أربيل"), ("Haifa", "חיפה")] * 50
        )
    ]
    ix = build_index([people[:150], [*people[150:], *places]])
    out = tmp_path_factory.mktemp("columns") / "index"
    return ix, MappedIndex(write_compiled(ix, out))


def _answers(ix: Index | MappedIndex, ais: list[int]) -> tuple[object, ...]:
    return (ix.best(ais), ix.full(ais), ix.owners(ais), ix.scripts(ais), ix.texts(ais))


def test_long_lists_are_answered_as_the_in_memory_index(
    both: tuple[Index, MappedIndex], monkeypatch: pytest.MonkeyPatch
) -> None:
    ix, mx = both
    surname = ix.by_key(ix.alias_key[ix.by_key("barzani")[0]])
    assert len(surname) >= 2 * mapped_module._NUMPY_ROWS
    rng = random.Random(3)
    every = list(range(len(ix.alias_text)))
    lists = [surname, surname[::-1], every, rng.sample(every, 300), [*surname[:200], *every[-80:]]]
    assert len({tuple(ix.best(a)) for a in lists}) > 1  # the ranks tell some apart
    want = [_answers(ix, a) for a in lists]
    assert [_answers(mx, a) for a in lists] == want
    # Read one by one (no numpy, or lists too short for it), the same.
    monkeypatch.setattr(mapped_module, "_NUMPY_ROWS", 10**9)
    assert [_answers(MappedIndex(mx.path), a) for a in lists] == want
    monkeypatch.setattr(mapped_module, "numpy_module", lambda: None)
    assert [_answers(MappedIndex(mx.path), a) for a in lists] == want


def test_texts_read_together_are_those_read_one_by_one(both: tuple[Index, MappedIndex]) -> None:
    ix, mx = both
    rng = random.Random(5)
    n = len(ix.alias_text)
    for size in (3, 40, 120):  # one by one, then gathered by numpy
        ais = [rng.randrange(n) for _ in range(size)]
        assert mx.texts(ais) == ix.texts(ais) == [mx.text(a) for a in ais]


def test_entity_types_are_read_without_sqlites_json_functions(
    both: tuple[Index, MappedIndex],
) -> None:
    import sqlite3

    from canonym.gazetteer.columns import _types

    db = sqlite3.connect(f"{(both[1].path / 'entities.sqlite').as_uri()}?mode=ro", uri=True)

    class WithoutJson:
        def execute(self, sql: str) -> sqlite3.Cursor:
            if "json_" in sql:
                raise sqlite3.OperationalError("no such function: json_extract")
            return db.execute(sql)

    want = [e.type for e in both[0].entities]
    assert list(_types(db)) == want
    assert list(_types(WithoutJson())) == want  # type: ignore[arg-type]
    db.close()


def test_step_answers_kept_are_the_tables(
    both: tuple[Index, MappedIndex], monkeypatch: pytest.MonkeyPatch
) -> None:
    from canonym.gazetteer import views

    ix, mx = both
    monkeypatch.setattr(views, "STEPS_KEPT", 5)  # emptied again and again
    steps = MappedIndex(mx.path).key_steps
    keys = [*list(ix.key_steps)[:40], "zzqx", "barzani zzqx", ""]
    rng = random.Random(7)
    for key in rng.choices(keys, k=400):
        assert steps.get(key) == ix.key_steps.get(key)
        assert steps.get(key, 0) == ix.key_steps.get(key, 0)
    assert len(steps._met) <= 5  # type: ignore[attr-defined]
