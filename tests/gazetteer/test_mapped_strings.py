"""A compiled index reads many alias strings at once as it reads them one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from canonym import Entity
from canonym.gazetteer.compiled import write_compiled
from canonym.gazetteer.index import build_index
from canonym.gazetteer.mapped import MappedIndex


def test_strings_read_together_are_those_read_one_by_one(tmp_path: Path) -> None:
    # Accents, Arabic script and several words, up to the last alias of the file.
    names = ["Tarbakabad", "Qaṣr al-Tūb", "قصر الطوب", "Ńowe Miasto", "Zuru", "Dzheyrat Bala"]
    ents = [
        Entity(f"e{i}", f"{names[i % len(names)]} {i}", "place", aliases=(names[(i + 1) % 6],))
        for i in range(120)
    ]
    ix = build_index([ents])
    mapped = MappedIndex(write_compiled(ix, tmp_path / "index"))
    n = mapped.alias_count
    assert n == len(ix.alias_text) and n > 200
    for ais in (list(range(n)), list(range(n - 1, -1, -3)), [n - 1] * 60, [5, 3]):
        assert mapped.keys_of(ais) == ix.keys_of(ais)
        assert mapped.skeletons(ais) == ix.skeletons(ais)
        assert mapped.folds(ais) == [ix.fold(a) for a in ais]
        # The texts are UTF-8 of several bytes a letter: cut where each string ends.
        assert mapped._strings_of(ais, 0) == [ix.text(a) for a in ais]


def test_aliases_that_may_be_arabic_hold_every_arabic_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from canonym.gazetteer import arrays
    from canonym.text.scripts import is_arabic_script

    # Each range of Arabic-script letters, and other scripts whose UTF-8 shares
    # nothing with them or only the first byte (ﻻ and ﷲ are EF, as € is).
    names = ["Ṣūr", "صور", "ڤالنسيا", "ݐݑ", "ࢠࢡ", "ﻻﷲ", "€ Ville", "Москва", "東京", "Ürgüp"]
    ents = [Entity(f"e{i}", f"{names[i % 10]} {i}", "place", aliases=(names[(i + 3) % 10],))
            for i in range(60)]  # fmt: skip
    ix = build_index([ents])
    mapped = MappedIndex(write_compiled(ix, tmp_path / "index"))
    arabic = [a for a in range(mapped.alias_count) if is_arabic_script(mapped.text(a))]
    # Stretches far smaller than the table: a string cut between two of them counts once.
    monkeypatch.setattr(arrays, "_STRETCH", 7)
    maybe = list(mapped.maybe_arabic())
    assert maybe == sorted(set(maybe)) and set(arabic) <= set(maybe)
    assert [a for a in maybe if is_arabic_script(mapped.text(a))] == arabic
    assert len(maybe) < mapped.alias_count  # Cyrillic, Latin and CJK are passed over
    monkeypatch.setattr("canonym.gazetteer.mapped.numpy_module", lambda: None)
    assert list(mapped.maybe_arabic()) == list(range(mapped.alias_count))
