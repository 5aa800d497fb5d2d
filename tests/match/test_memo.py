"""What resolving keeps between names: the same candidates and readings as working
them out again, for the index they were found in only."""

from __future__ import annotations

import pytest

from canonym import Entity, Gazetteer
from canonym.gazetteer.index import Index, build_index
from canonym.match import scoring
from canonym.match.blocking import blocked
from canonym.match.memo import blocked_once, forget_blocks, form_reading
from canonym.names.keys import name_key, skeleton_tokens
from canonym.names.readings import opens_with_article, turkish_reading

# Invented places: a shared skeleton, compounds written in one word or two, Turkish
# letters and the article.
_NAMES = ["Tarbak", "Tarbek", "Turbuk", "Tar Bak", "Tarbakabad", "Tarbak Abad", "Çarbak",
          "Al Tarbak", "El Turbek", "Şarbeki", "Carbek", "Darbak", "Tarbaki Lomedi"]  # fmt: skip


def _index(names: list[str]) -> Index:
    return build_index([[Entity(f"p{i}", n, "place") for i, n in enumerate(names)]])


@pytest.mark.parametrize("tokens", [["trbk"], ["tr", "bk"], ["trbk", "lmd"], ["drbk"]])
def test_a_kept_block_is_the_block_each_alias_once(tokens: list[str]) -> None:
    forget_blocks()
    ix = _index(_NAMES)
    for limit in (2, 320):
        expected = list(dict.fromkeys(blocked(ix, tokens, limit)))
        assert list(blocked_once(ix, tokens, limit)) == expected
        assert list(blocked_once(ix, tokens, limit)) == expected  # asked again: kept


def test_blocks_are_kept_for_their_own_index_only() -> None:
    forget_blocks()
    small, large = _index(_NAMES[:3]), _index(_NAMES)
    assert len(blocked_once(small, ["trbk"], 320)) < len(blocked_once(large, ["trbk"], 320))
    assert list(blocked_once(small, ["trbk"], 320)) == blocked(small, ["trbk"], 320)


def test_a_form_is_read_once_as_it_reads_every_time() -> None:
    ix = _index(_NAMES)
    for ai in range(ix.alias_count):
        text = ix.text(ai)
        turkish = turkish_reading(text)
        read = None if turkish is None else (name_key(turkish[0]), turkish[1])
        assert form_reading(ix, ai) == (opens_with_article(text), read)
    assert any(form_reading(ix, ai)[1] is not None for ai in range(ix.alias_count))
    assert any(form_reading(ix, ai)[0] for ai in range(ix.alias_count))


def test_the_aliases_to_align_are_chosen_alike_in_numpy_and_builtins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Enough forms sharing skeletons that the cap on alignments cuts, so that the
    # order of the hits and of the cut are both compared.
    names = [f"{a}{b}" for a in ("Tarbak", "Turbek", "Tirbik", "Tarbuk") for b in
             ("", "i", "a", "u", "ia", " Abad", " Lomedi", "e", "o", "ai")]  # fmt: skip
    ix = _index(names + _NAMES)
    asks = []
    for q in ("ترباك", "تربك آباد", "طربك", "تربكي"):
        key = name_key(q)
        qskels = [" ".join(skeleton_tokens(key)), "trbk", "trbk bd"]
        ids = list(range(ix.alias_count))
        asks.append((key, qskels, ids))
    monkeypatch.setattr(scoring, "_NUMPY_FROM", 0)
    in_numpy = [scoring._to_align(ix, *a) for a in asks]
    monkeypatch.setattr(scoring, "numpy_module", lambda: None)
    with_builtins = [scoring._to_align(ix, *a) for a in asks]
    assert in_numpy == with_builtins
    assert any(len(c) == scoring._ARABIC_ALIGNED for c in in_numpy)  # the cap cut some


def test_links_are_the_same_with_blocks_kept_or_not(mini: Gazetteer) -> None:
    names = ["Mossoul", "Mosul", "Al Mawsil", "Bagdad", "Baghdad City", "الموصل", "بغداد"]
    forget_blocks()
    first = [mini.resolve(n) for n in names]
    again = [mini.resolve(n) for n in names]  # every block kept by now
    assert first == again
