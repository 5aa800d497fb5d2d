"""The spaCy component: names linked in a Doc, beside or instead of another NER."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

spacy = pytest.importorskip("spacy", reason="the spacy extra is not installed")

from spacy.tokens import Span  # noqa: E402

from canonym import Gazetteer, Normalizer  # noqa: E402
from canonym.integrations.spacy import CanonymComponent  # noqa: E402

TEXT = "Mohamed Chia al-Soudani met Hisbollah officials in Baghdad on Monday."


@pytest.fixture(scope="module")
def nlp(bundled: Gazetteer) -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("canonym", config={"forms": "en"})
    return nlp


def test_the_component_is_registered_through_its_entry_point() -> None:
    found = {e.name: e.value for e in entry_points(group="spacy_factories")}
    if "canonym" not in found:
        pytest.skip("canonym is not installed with its entry points (pip install -e .)")
    assert found["canonym"] == "canonym.integrations.spacy:make_canonym"


def test_entities_carry_ids_and_canonical_forms(nlp: spacy.language.Language) -> None:
    doc = nlp(TEXT)
    got = [(e.text, e.label_, e.kb_id_, e._.canonical) for e in doc.ents]
    assert got == [
        ("Mohamed Chia al-Soudani", "PERSON", "mohammed-shia-al-sudani", "Mohammed Shia al-Sudani"),
        ("Hisbollah", "ORG", "hezbollah", "Hezbollah"),
        ("Baghdad", "GPE", "baghdad", "Baghdad"),
    ]
    assert doc._.canonym_text.startswith("Mohammed Shia al-Sudani met Hezbollah")
    assert doc.text == TEXT  # the Doc's own text is never changed


def test_a_previous_ner_keeps_its_entities_unless_told(bundled: Gazetteer) -> None:
    def with_ner(overwrite: bool) -> list[tuple[str, str]]:
        nlp = spacy.blank("en")
        doc = nlp.make_doc(TEXT)
        monday = TEXT.index("Monday")
        date = doc.char_span(monday, monday + len("Monday"), label="DATE")
        doc.ents = [Span(doc, 0, 2, label="MISC"), date]
        comp = CanonymComponent(Normalizer(bundled, forms="en"), overwrite_ents=overwrite)
        return [(e.text, e.label_) for e in comp(doc).ents]

    assert with_ner(False) == [("Mohamed Chia", "MISC"), ("Hisbollah", "ORG"), ("Baghdad", "GPE"),
                               ("Monday", "DATE")]  # fmt: skip
    assert with_ner(True)[0] == ("Mohamed Chia al-Soudani", "PERSON")
    assert ("Monday", "DATE") in with_ner(True)  # what does not overlap stays


def test_spans_key_leaves_doc_ents_alone(bundled: Gazetteer) -> None:
    nlp = spacy.blank("fr")
    nlp.add_pipe("canonym", config={"spans_key": "canonym"})
    doc = nlp("Le Hachd al-Chaabi a reçu l'appui de l'Iran.")
    assert doc.ents == ()
    assert [(s.text, s.kb_id_) for s in doc.spans["canonym"]] == [
        ("Hachd al-Chaabi", "popular-mobilization-forces"),
        ("Iran", "iran"),  # spaCy's French tokenizer splits the elided article off
    ]
