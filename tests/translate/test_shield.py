"""Name protection through translation, with a translator that mangles names it sees."""

import re
from collections.abc import Sequence

import pytest

from canonym import Gazetteer, Normalizer
from canonym.translate.shield import Shielding, translate_document
from canonym.translate.translator import MissingModel

WORDS = {
    "une": "a",
    "frappe": "strike",
    "de": "of",
    "drone": "drone",
    "a": "has",
    "visé": "hit",
    "position": "position",
    "du": "of the",
    "près": "near",
    "le": "the",
    "la": "the",
    "premier": "prime",
    "ministre": "minister",
    "condamné": "condemned",
    "attaque": "attack",
    "l'attaque": "the attack",
    "et": "and",
    "dans": "in",
    "région": "region",
}
# What a real model does to names it has not seen as names: it translates them.
MANGLE = {"Chaabi": "Popular", "Chia": "Seeds", "Soudani": "Sudanese", "Kirkouk": "Kirkouk"}


class ManglingTranslator:
    """fr → en word by word; translates name parts it knows as words, copies the rest."""

    def __init__(self, *, drop_placeholders: bool = False) -> None:
        self.drop_placeholders = drop_placeholders
        self.calls: list[list[str]] = []

    def has(self, source: str, target: str = "en") -> bool:
        return (source, target) == ("fr", "en")

    def model_name(self, source: str, target: str = "en") -> str:
        return f"fake:{source}-{target}"

    def translate_batch(self, texts: Sequence[str], source: str, target: str = "en") -> list[str]:
        self.calls.append(list(texts))

        def word(m: re.Match[str]) -> str:
            w = m.group()
            if self.drop_placeholders and re.fullmatch(r"ZQX\d+Q", w):
                return "it"
            return MANGLE.get(w) or WORDS.get(w.lower(), w)

        return [re.sub(r"[\w'’]+", word, t) for t in texts]


FRENCH = (
    "Une frappe de drone a visé une position du Hachd al-Chaabi près de Kirkouk.\n\n"
    "Le Premier ministre Mohamed Chia al-Soudani a condamné l'attaque."
)


@pytest.fixture(scope="module")
def norm() -> Normalizer:
    from pathlib import Path

    return Normalizer(
        Gazetteer.load(Path(__file__).resolve().parents[1] / "data" / "mini.yaml", use_cache=False)
    )


def test_unprotected_translation_mangles_names() -> None:
    out = ManglingTranslator().translate_batch(["Mohamed Chia al-Soudani et Hachd al-Chaabi"], "fr")
    assert out == ["Mohamed Seeds al-Sudanese and Hachd al-Popular"]


@pytest.mark.parametrize("strategy", [Shielding.CANONICAL, Shielding.PLACEHOLDER])
def test_shielded_names_come_out_canonical(norm: Normalizer, strategy: str) -> None:
    t = ManglingTranslator()
    r = translate_document(FRENCH, norm, t, lang="fr", strategy=strategy)
    assert (
        "Hashd al-Shaabi" in r.text and "Mohammed Shia al-Sudani" in r.text and "Kirkuk" in r.text
    )
    assert "Seeds" not in r.text and "Popular" not in r.text
    assert [p.translated for p in r.paragraphs] == [True, True]
    assert all(p.fallback_sentences == 0 and p.model == "fake:fr-en" for p in r.paragraphs)
    assert sum(p.shields for p in r.paragraphs) == 3


def test_alignment_maps_source_spans_to_output_spans(norm: Normalizer) -> None:
    r = translate_document(FRENCH, norm, ManglingTranslator(), lang="fr")
    assert len(r.alignments) == 3
    for a in r.alignments:
        assert a.output_start is not None and a.output_end is not None
        assert r.text[a.output_start : a.output_end] == a.canonical
    by_entity = {a.entity_id: a for a in r.alignments}
    a = by_entity["mohammed-shia-al-sudani"]
    assert FRENCH[a.source_start : a.source_end] == "Mohamed Chia al-Soudani"


def test_lost_shield_falls_back_per_sentence_and_is_reported(norm: Normalizer) -> None:
    t = ManglingTranslator(drop_placeholders=True)
    r = translate_document(FRENCH, norm, t, lang="fr", strategy=Shielding.PLACEHOLDER)
    assert [p.fallback_sentences for p in r.paragraphs] == [1, 1]
    # The fallback translates the plain sentence: the model's mangled names are what
    # it wrote, and the alignment says the names did not come through.
    assert "Seeds" in r.text
    assert all(a.output_start is None for a in r.alignments if a.entity_id.startswith("mohammed"))


def test_per_paragraph_languages_in_a_mixed_document(norm: Normalizer) -> None:
    mixed = (
        "Officials in Baghdad said on Sunday that the strike had hit a depot used by the group, "
        "and that the security forces had opened an investigation into the attack on Monday.\n\n"
        "Une frappe de drone a visé une position du Hachd al-Chaabi près de Kirkouk, selon "
        "des responsables de la sécurité.\n\n"
        "قال رئيس الوزراء محمد شياع السوداني إن الحشد الشعبي جزء من القوات المسلحة\n\n"
        "Kirkuk."
    )
    t = ManglingTranslator()
    r = translate_document(mixed, norm, t)
    assert [p.lang for p in r.paragraphs] == ["en", "fr", "ar", "en"]
    assert [p.detection for p in r.paragraphs][3] == "inherited"
    assert [p.translated for p in r.paragraphs] == [False, True, False, False]
    assert any("no ar → en model" in w for w in r.warnings)
    assert r.text.startswith("Officials in Baghdad said on Sunday")  # English kept as written


def test_require_raises_without_a_model(norm: Normalizer) -> None:
    with pytest.raises(MissingModel, match="canonym models install de"):
        translate_document(
            "Die Miliz Kataib Hisbollah machte die USA für den Angriff verantwortlich.",
            norm, ManglingTranslator(), mode="require",
        )  # fmt: skip


def test_never_keeps_every_paragraph(norm: Normalizer) -> None:
    t = ManglingTranslator()
    r = translate_document(FRENCH, norm, t, mode="never")
    assert t.calls == [] and r.text == norm.normalize(FRENCH).text


def test_windows_line_ends_split_paragraphs_as_unix_ones(norm: Normalizer) -> None:
    unix = translate_document(FRENCH, norm, ManglingTranslator())
    windows = translate_document(FRENCH.replace("\n", "\r\n"), norm, ManglingTranslator())
    assert len(windows.paragraphs) == len(unix.paragraphs) == 2
    assert windows.text == unix.text.replace("\n", "\r\n")
