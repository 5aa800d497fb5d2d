"""DataFrames in and out: normalize or resolve a column, tabulate results and findings.

Reach for this module when the names are in a table::

    from canonym.integrations.pandas import normalize_column, resolve_column
    df["text_canon"] = normalize_column(df["text"], normalizer)
    df = df.join(resolve_column(df["actor"], gazetteer))

and to read canonym's results as DataFrames (``mentions_frame``,
``alias_table_frame``, ``findings_frame``). Needs the ``pandas`` extra. Missing
values stay missing; a value that is not text is an error naming its row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from canonym.gazetteer.core import Gazetteer
from canonym.jobs.aliases import AliasTable
from canonym.jobs.lint import Finding
from canonym.normalize.mention import NormalizedText
from canonym.normalize.normalizer import Normalizer

__all__ = [
    "normalize_column",
    "resolve_column",
    "mentions_frame",
    "alias_table_frame",
    "findings_frame",
    "MATCH_COLUMNS",
]

# What ``resolve_column`` gives for each value, in this order.
MATCH_COLUMNS = ("entity_id", "canonical", "type", "score", "method")


def _texts(column: pd.Series) -> Iterable[tuple[Any, str | None]]:
    for row, value in column.items():
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
            yield row, None
        elif isinstance(value, str):
            yield row, value
        else:
            raise TypeError(f"row {row!r}: expected text, got {type(value).__name__}")


def normalize_column(column: pd.Series, normalizer: Normalizer) -> pd.Series:
    """Each text of ``column`` normalized; a missing value stays missing."""
    out = {row: None if t is None else normalizer.normalize(t).text for row, t in _texts(column)}
    return pd.Series(out, index=column.index, name=column.name, dtype="object")


def resolve_column(column: pd.Series, gazetteer: Gazetteer) -> pd.DataFrame:
    """For each value, the entity it links to (``MATCH_COLUMNS``), or missing values.

    Values are linked as ``gazetteer.link`` links a name: no answer where two
    entities are about as likely. Each distinct value is resolved once.
    """
    seen: dict[str, tuple[Any, ...]] = {}
    rows = []
    empty = (None,) * len(MATCH_COLUMNS)
    for _, value in _texts(column):
        if value is None:
            rows.append(empty)
            continue
        if value not in seen:
            m = gazetteer.link(value)
            seen[value] = (
                empty
                if m is None
                else (m.entity.id, m.entity.name, m.entity.type, round(m.score, 4), m.method)
            )
        rows.append(seen[value])
    frame = pd.DataFrame(rows, index=column.index, columns=list(MATCH_COLUMNS), dtype="object")
    frame["score"] = frame["score"].astype("Float64")  # a missing score is <NA>, not NaN
    return frame


def mentions_frame(result: NormalizedText) -> pd.DataFrame:
    """One row per mention (resolved, ambiguous or unresolved), in document order."""
    frame: pd.DataFrame = result.to_frame()
    return frame


def alias_table_frame(table: AliasTable) -> pd.DataFrame:
    """One row per spelling seen of a known entity (``AliasVariant`` fields)."""
    from dataclasses import asdict

    return pd.DataFrame.from_records([asdict(v) for v in table.variants])


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """One row per linter finding (``Finding.to_dict()`` fields)."""
    return pd.DataFrame.from_records([f.to_dict() for f in findings])
