"""Language detection: by script, by function words, by langdetect; deterministic."""

import pytest

from canonym.text.language import detect_language

SAMPLES = {
    "en": "The Iraqi government said on Sunday that it would investigate the strike, which "
    "killed three fighters near the border with Syria.",
    "fr": "Le gouvernement irakien a annoncé dimanche l'ouverture d'une enquête sur la frappe, "
    "qui a tué trois combattants près de la frontière syrienne.",
    "de": "Die irakische Regierung kündigte am Sonntag eine Untersuchung des Angriffs an, bei "
    "dem drei Kämpfer nahe der syrischen Grenze getötet wurden.",
    "es": "El gobierno iraquí anunció el domingo una investigación sobre el ataque, que mató a "
    "tres combatientes cerca de la frontera con Siria.",
    "ar": "أعلنت الحكومة العراقية يوم الأحد فتح تحقيق في الضربة "
    "التي قتلت ثلاثة مقاتلين قرب الحدود السورية",
    "fa": "دولت عراق روز یکشنبه اعلام کرد که درباره این حمله تحقیق خواهد کرد",
    "he": "ממשלת עיראק הודיעה ביום ראשון כי תחקור את התקיפה",
    "ur": "عراقی حکومت نے اتوار کو کہا کہ وہ اس حملے کی تحقیقات کرے گی",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_paragraph_in_each_language(lang: str) -> None:
    assert detect_language(SAMPLES[lang]).lang == lang


@pytest.mark.parametrize("text", ["Kirkuk", "Hashd al-Shaabi", "AFP", "", "12 mars 2024"])
def test_one_or_two_words_are_undecided(text: str) -> None:
    d = detect_language(text)
    assert (d.lang, d.method) == ("und", "default")


def test_short_text_is_decided_by_a_model_and_deterministically() -> None:
    text = "Manifestation devant l'ambassade américaine"
    first = detect_language(text)
    assert first.lang == "fr" and first.method in ("lingua", "langdetect")
    assert all(detect_language(text) == first for _ in range(5))


def test_persian_and_urdu_letters_decide_over_arabic() -> None:
    assert detect_language(SAMPLES["fa"]).method == "script"
    assert detect_language(SAMPLES["ar"]).lang == "ar"


def test_a_text_in_capitals_is_detected_as_its_lower_case_reads() -> None:
    text = "LE GOUVERNEMENT A ANNONCE DE NOUVELLES MESURES POUR LES REFUGIES DU SUD"
    assert detect_language(text).lang == detect_language(text.lower()).lang == "fr"
