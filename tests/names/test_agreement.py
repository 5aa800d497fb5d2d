"""One suite over two keyings: a gazetteer form and the same words in running text.

Each case of ``piece_agreement.csv`` is keyed by ``keys.pieces`` (how forms are
keyed, strict as running text is) and by ``running.Scan.pieces_of`` (how the
scanner keys a text word by word): both must give the same pieces per word, and
the case's ``running_key``. ``form_key`` (when it differs) is the lenient key a
gazetteer form gets, where a spaced "as" before an s is the article.
"""

import csv
from pathlib import Path

import pytest

from canonym.names.keys import name_key, pieces
from canonym.names.running import scan_text
from canonym.text.tokenize import tokenize

DATA = Path(__file__).resolve().parents[1] / "data"

with (DATA / "piece_agreement.csv").open(encoding="utf-8") as fh:
    CASES = list(csv.DictReader(fh))


def form_pieces(text: str, *, strict: bool) -> list[tuple[str, ...]]:
    toks = tokenize(text)
    built = pieces(toks, text, strict=strict)
    return [tuple(p.key for p in built if p.token == i) for i in range(len(toks))]


def running_pieces(text: str) -> list[tuple[str, ...]]:
    scan = scan_text(text)
    return [scan.pieces_of(i) for i in range(len(scan))]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["text"])
def test_forms_and_running_text_give_the_same_pieces(case: dict[str, str]) -> None:
    text = case["text"]
    assert [t.text for t in tokenize(text)] == scan_text(text).words, case["note"]
    as_form = form_pieces(text, strict=True)
    assert as_form == running_pieces(text), case["note"]
    assert " ".join(k for word in as_form for k in word) == case["running_key"], case["note"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["text"])
def test_form_key(case: dict[str, str]) -> None:
    expected = case["form_key"] or case["running_key"]
    assert name_key(case["text"]) == expected, case["note"]
    lenient = " ".join(k for word in form_pieces(case["text"], strict=False) for k in word)
    assert lenient == expected
