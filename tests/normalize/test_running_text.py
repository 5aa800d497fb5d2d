"""Names glued to clitics in running text: elision and Arabic proclitics.

The cases live in ``tests/data/running_text.csv``: a sentence, the exact text a
mention must span (the name only, never the clitic), and the entity; an empty
entity means the word must not be reported as a mention at all. ``nth`` picks a
later occurrence of the surface (0, the first, when empty).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from canonym import Gazetteer, Normalizer

_DATA = Path(__file__).resolve().parents[1] / "data"
# wrong_links.csv: ordinary words that must not link, beside names that must;
# press_forms.csv: the descriptive names and acronyms each press writes;
# arabic_references.csv: Arabic words that refer to an entity the text names.
CASES = [
    row
    for name in ("running_text.csv", "wrong_links.csv", "press_forms.csv", "arabic_references.csv")
    for row in csv.DictReader((_DATA / name).open(encoding="utf-8"))
]


@pytest.fixture(scope="module")
def norm(bundled: Gazetteer) -> Normalizer:
    return Normalizer(bundled)


@pytest.mark.parametrize("case", CASES, ids=[c["note"] for c in CASES])
def test_running_text(norm: Normalizer, case: dict[str, str]) -> None:
    text, surface, entity = case["text"], case["surface"], case["entity_id"]
    start = -1
    for _ in range(int(case.get("nth") or 0) + 1):
        start = text.index(surface, start + 1)
    end = start + len(surface)
    result = norm.normalize(text)
    found = [m for m in (*result.mentions, *result.ambiguous) if m.start < end and start < m.end]
    if not entity:
        assert found == []
        return
    assert [(m.start, m.end, m.entity_id) for m in found] == [(start, end, entity)]
    # The clitic is text outside the name: it stays as written, up to the mention.
    m = found[0]
    before = max([0, *(p.end for p in result.mentions if p.end <= start)])
    assert result.text[m.out_start - (start - before) : m.out_start] == text[before:start]


@pytest.mark.parametrize(
    ("text", "surface", "clitic", "ending"),
    [
        ("Le ministre de l'Iran a parlé.", "Iran", "l'", None),
        ("Die Armee Israels meldete Angriffe.", "Israel", None, "s"),
        ("قال مسؤول لحزب الله إن الهدنة صامدة.", "حزب الله", "ل", None),
        ("Iran's army said.", "Iran", None, None),
    ],
)
def test_mentions_say_what_was_peeled_off(
    norm: Normalizer, text: str, surface: str, clitic: str | None, ending: str | None
) -> None:
    (m,) = [m for m in norm.normalize(text).mentions if m.surface == surface]
    assert (m.clitic, m.ending) == (clitic, ending)
    d = m.to_dict()
    assert (d.get("clitic"), d.get("ending")) == (clitic, ending)
