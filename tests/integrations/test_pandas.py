"""DataFrame helpers: columns normalized and resolved, results as tables."""

from __future__ import annotations

import pytest

pd = pytest.importorskip("pandas", reason="the pandas extra is not installed")

from canonym import Gazetteer, Normalizer  # noqa: E402
from canonym.integrations.pandas import (  # noqa: E402
    MATCH_COLUMNS,
    findings_frame,
    mentions_frame,
    normalize_column,
    resolve_column,
)


def test_normalize_column_keeps_index_and_missing_values(bundled: Gazetteer) -> None:
    col = pd.Series(["Hisbollah fighters crossed.", None, "Nothing here."], index=[10, 11, 12])
    out = normalize_column(col, Normalizer(bundled, forms="en"))
    assert list(out.index) == [10, 11, 12]
    assert out[10] == "Hezbollah fighters crossed."
    assert out[11] is None
    assert out[12] == "Nothing here."


def test_resolve_column_links_each_value(bundled: Gazetteer) -> None:
    col = pd.Series(["Hisbollah", "Mohamed Chia al-Soudani", "Zzyzx Qwerty", pd.NA, "Hisbollah"])
    frame = resolve_column(col, bundled)
    assert list(frame.columns) == list(MATCH_COLUMNS)
    assert list(frame["entity_id"]) == [
        "hezbollah", "mohammed-shia-al-sudani", None, None, "hezbollah",
    ]  # fmt: skip
    assert frame["score"].isna().tolist() == [False, False, True, True, False]


def test_a_value_that_is_not_text_names_its_row(bundled: Gazetteer) -> None:
    with pytest.raises(TypeError, match="row 1"):
        resolve_column(pd.Series(["Hisbollah", 42]), bundled)


def test_mentions_frame_lists_every_mention_in_order(bundled: Gazetteer) -> None:
    result = Normalizer(bundled, forms="en").normalize("Hisbollah and Zorblax Quux met in Baghdad.")
    frame = mentions_frame(result)
    assert frame["surface"].tolist()[0] == "Hisbollah"
    assert frame["start"].is_monotonic_increasing
    assert {"resolved"} <= set(frame["status"])
    assert frame.loc[frame["surface"] == "Baghdad", "entity_id"].item() == "baghdad"
    assert mentions_frame(Normalizer(bundled).normalize("nothing")).empty


def test_findings_frame_has_a_row_per_finding() -> None:
    from canonym.jobs.lint import Finding

    f = Finding("non-canonical", "a.txt", "a.txt", 1, 1, "hezbollah", "Hisbollah", "Hezbollah",
                "m", "ctx")  # fmt: skip
    frame = findings_frame([f, f])
    assert len(frame) == 2 and frame["entity_id"].tolist() == ["hezbollah"] * 2
