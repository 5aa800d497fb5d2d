"""Executors: results in item order, worker state loaded once per process, one choice."""

import os
from pathlib import Path

import pytest

import canonym
from canonym.corpus.executors import (
    DaskExecutor,
    LocalExecutor,
    executor_for,
    worker_state,
)
from canonym.corpus.store import Store

_loads: list[int] = []


def _load() -> int:
    _loads.append(os.getpid())
    return os.getpid()


def _square(item: int, spec: str) -> tuple[int, int, int]:
    owner = worker_state(("test-executors", spec), _load)
    return item * item, os.getpid(), owner


@pytest.mark.parametrize("jobs", [1, 3])
def test_local_executor_keeps_item_order_and_loads_once_per_process(jobs: int) -> None:
    ex = LocalExecutor(jobs)
    try:
        out = list(ex.map(_square, list(range(40)), {"spec": f"s{jobs}"}))
        again = list(ex.map(_square, list(range(40, 50)), {"spec": f"s{jobs}"}))
    finally:
        ex.close()
    assert [r[0] for r in out + again] == [i * i for i in range(50)]
    # Each process loaded its state itself, once, and used it for every item it ran.
    assert all(pid == owner for _, pid, owner in out + again)
    if jobs == 1:
        assert {pid for _, pid, _ in out} == {os.getpid()}
        assert _loads.count(os.getpid()) == 1


def test_executor_for_runs_locally_without_a_scheduler() -> None:
    ex = executor_for(jobs=2)
    assert isinstance(ex, LocalExecutor) and ex.jobs == 2 and not ex.distributed
    client = object()  # a client is taken as given, never connected again
    dask = executor_for(jobs=2, scheduler=client)
    assert isinstance(dask, DaskExecutor) and dask.distributed and dask.client is client


def test_store_offers_named_queries_not_sql(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as st:
        assert not hasattr(st, "query") and not hasattr(st, "sources_table")
        assert list(st.resolved_mentions()) == [] and st.documents_with_unresolved(["x"]) == 0


def test_alias_variant_is_the_top_level_name() -> None:
    assert canonym.AliasVariant.__name__ == "AliasVariant"
    with pytest.raises(AttributeError):
        canonym.Variant  # noqa: B018


def test_a_document_result_crosses_processes_whole() -> None:
    import pickle

    from canonym.corpus.schema import DocResult, MentionRow

    rows = (
        MentionRow(0, 5, 1, 1, "Irak", "resolved", "iraq", "Iraq", "Irak", "place", "alias",
                   0.97, "Irak ...", 1, 5),
        MentionRow(9, 14, 2, 3, "Zzyx", "unresolved", None, None, None, None, None, None, "…"),
    )  # fmt: skip
    r = DocResult("h" * 32, "fr", 120, rows)
    back = pickle.loads(pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == r and all(type(m) is MentionRow for m in back.mentions)
    assert pickle.loads(pickle.dumps(DocResult("h", "und", 0, ()))) == DocResult("h", "und", 0, ())
