"""Text that is not prose is never matched nor rewritten: addresses, handles, code, markup.

Cases in ``tests/data/protected.csv``: a sentence, a region of it that must come out
exactly as written with no mention inside, and a name outside it that must still be
found (every sentence names the same group in prose too).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from canonym import Gazetteer, Normalizer
from canonym.text.protect import MASK, mask_protected, protected_spans

_DATA = Path(__file__).resolve().parents[1] / "data"
CASES = list(csv.DictReader((_DATA / "protected.csv").open(encoding="utf-8")))


@pytest.fixture(scope="module")
def norm(bundled: Gazetteer) -> Normalizer:
    return Normalizer(bundled, forms="en")


@pytest.mark.parametrize("case", CASES, ids=[c["note"] for c in CASES])
def test_protected_region_is_kept(norm: Normalizer, case: dict[str, str]) -> None:
    text, region = case["text"], case["protected"]
    start = text.index(region)
    end = start + len(region)
    result = norm.normalize(text)
    assert not [m for m in result.mentions if m.start < end and start < m.end]
    assert region in result.text
    # The prose around it is still read: the group is named outside the region.
    outside = [m for m in result.mentions if m.end <= start or m.start >= end]
    assert [m.entity_id for m in outside] == ["hezbollah"]
    assert "Hezbollah" in result.text


def test_fenced_code_and_reference_definitions() -> None:
    text = "Hisbollah said so.\n\n```\nHisbollah = 1\n```\n\n[ref]: https://example.org/Hisbollah\n"
    masked = mask_protected(text)
    assert len(masked) == len(text)
    assert masked.count("\n") == text.count("\n")  # lines and paragraphs stay put
    assert masked.startswith("Hisbollah said so.")
    assert "Hisbollah" not in masked[len("Hisbollah said so.") :]


def test_prose_without_markup_is_left_alone() -> None:
    text = "Hisbollah fighters crossed the border at 5 a.m., officials said (twice)."
    assert protected_spans(text) == []
    assert mask_protected(text) is text
    assert MASK not in mask_protected("casualties < 10 and > 5")  # comparisons, not a tag


def test_html_entities_and_headings_are_prose() -> None:
    assert protected_spans("# Hisbollah and Amal\n\nQ&#38;A with Hisbollah") == []


def test_a_shortcut_reference_label_stays_as_its_definition_spells_it(norm: Normalizer) -> None:
    text = (
        "Hisbollah said so, as the [Hizbullah] archive and the [Hizbullah][] page show; "
        "[Hizbullah fighters][ref] is prose.\n\n"
        "[Hizbullah]: https://example.org/h\n[ref]: https://example.org/r\n"
    )
    out = norm.normalize(text).text
    assert out.count("[Hizbullah]") == 2 + 1  # both links, and the definition
    assert "[Hezbollah fighters][ref]" in out  # a full reference's text is prose
    assert out.startswith("Hezbollah said so")
