"""The compile's describer gives ``describe``'s rows, whatever its tables held before."""

from __future__ import annotations

import random

from canonym import Gazetteer
from canonym.gazetteer.describing import Describer, fold_ascii
from canonym.gazetteer.index import KIND_ALIAS, KIND_BARE, KIND_SHORT, alias_forms, describe
from canonym.gazetteer.keying import filed
from canonym.text.normalize import fold_text

# Articles spaced, hyphenated, glued and assimilated, acronyms, dotted, possessives,
# Arabic script, lower-case openings, marks: each path through the pieces.
TRICKY = [
    "al-Sudani", "al Sudani", "Al Sudani al", "as-Sadr", "as Sadr", "ash-Shaab", "El-Baghdadi",
    "AL MAYADEEN", "Errachidia", "Essence", "U.S. Army", "PKK", "BBC News", "bin Laden",
    "courant al-Hikma", "Abu Bakr al-Baghdadi", "TURKEY’S Ankara", "Ra's al-Ayn",
    "محمد شياع السوداني", "Zandżan", "Dair az-Zawr", "Hamidiyeh", "l'Île-de-France",
    "São Paulo", "Ḥamāh", "Hizb ut-Tahrir", "al-", "al", "- al -", "'s", "Mu'tah",
    "Abd al-Aziz", "abd al aziz", "Sharm el-Sheikh", "Beit Lahiya", "Qaraqosh 2", "X",
]  # fmt: skip


def _expected(text: str, kind: int, key_only: bool) -> tuple[object, ...] | None:
    a = describe(text, kind, key_only)
    return None if a is None else (*a[:8], frozenset(a.blocks))


def _got(d: Describer, text: str, kind: int, key_only: bool) -> tuple[object, ...] | None:
    row = d.row(text, kind, key_only)
    return None if row is None else (*row[:8], frozenset(row[8]))


def test_rows_are_those_of_describe_for_every_bundled_form() -> None:
    forms = [f for e in Gazetteer.load(use_cache=False, with_defaults=True) for f in alias_forms(e)]
    assert len(forms) > 5000
    small = Describer(limit=50, rows=20)  # tables emptied many times over
    large = Describer()
    for text, kind, key_only in forms:
        want = _expected(text, kind, key_only)
        assert _got(large, text, kind, key_only) == want, text
        assert _got(small, text, kind, key_only) == want, text
    # The same forms again, now met in the tables.
    for text, kind, key_only in forms[:2000]:
        assert _got(large, text, kind, key_only) == _expected(text, kind, key_only), text


def test_rows_are_those_of_describe_for_each_shape_of_word() -> None:
    rng = random.Random(7)
    d = Describer(limit=8, rows=4)
    words = [w for t in TRICKY for w in t.split()]
    texts = [*TRICKY, *(" ".join(rng.sample(words, rng.randint(1, 4))) for _ in range(3000))]
    for text in texts:
        for kind, key_only in (
            (KIND_ALIAS, False),
            (KIND_ALIAS, True),
            (KIND_SHORT, False),
            (KIND_BARE, False),
        ):
            assert _got(d, text, kind, key_only) == _expected(text, kind, key_only), text


def test_filed_columns_decode_to_the_row() -> None:
    d = Describer()
    for text in TRICKY:
        row = d.row(text, KIND_ALIAS)
        if row is None:
            assert filed(row) is None
            continue
        got = filed(row)
        assert got is not None
        cols, ends = got[0], got[1]
        parts = [cols[a:b].decode() for a, b in zip((0, *ends[:3]), ends, strict=True)]
        assert parts == [row[0], row[2], row[3], row[4]]
        assert got[3] == row[2] and got[4] == min(len(row[3]), 255)
        pieces = row[2].split()
        assert list(got[9]) == [" ".join(pieces[:n]) for n in range(1, len(pieces))]


def test_plain_ascii_fold_is_fold_text() -> None:
    samples = [*TRICKY, "A-B_c d\tE!", "  O'Neil  ", "x" * 3, "\x00\x7f mixed", "N°7"]
    samples += ["".join(map(chr, range(32, 128)))]
    for text in samples:
        assert fold_ascii(text) == fold_text(text), text
