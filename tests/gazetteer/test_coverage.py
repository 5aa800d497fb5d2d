"""What the bundled data covers: every country, the first-level divisions, places on a map."""

from collections import Counter

import pytest

from canonym import Gazetteer, Normalizer

LANGS = ("fr", "de", "es", "it", "ar")


def test_curated_size(bundled: Gazetteer) -> None:
    assert len(list(bundled)) >= 1000


def test_every_country_has_forms_code_and_coordinates(bundled: Gazetteer) -> None:
    countries = [e for e in bundled if e.kind == "country"]
    assert len(countries) >= 196  # the UN members, Palestine, Kosovo and the Vatican
    for e in countries:
        assert e.country, e.id
        # Centroids come from one public list, which predates South Sudan.
        assert e.coordinates or e.id == "south-sudan", e.id
        # A form may be left out where it is also a common word or first name (French Dominique).
        missing = [lang for lang in LANGS if not e.forms_for(lang)]
        assert len(missing) <= 1, (e.id, missing)
    assert {"kosovo", "palestine", "taiwan", "vatican-city"} <= {e.id for e in bundled}


# First-level divisions by country, as the data holds them (Iraq with the Kurdistan Region).
DIVISIONS = {"SY": 14, "LB": 9, "JO": 12, "SA": 13, "YE": 22, "IR": 31, "IQ": 20, "EG": 27,
             "LY": 22, "PS": 16, "IL": 6, "KW": 6, "BH": 4, "QA": 8, "AE": 7, "OM": 11}  # fmt: skip


def test_region_divisions_are_complete_and_mapped(bundled: Gazetteer) -> None:
    divisions = [e for e in bundled if e.kind == "division" and e.country != "US"]
    counts = Counter(e.country for e in divisions)
    for cc, n in DIVISIONS.items():
        assert counts[cc] == n, cc
    assert counts["TR"] >= 9
    for e in divisions:
        assert e.coordinates is not None, e.id


def test_every_region_division_has_a_form_in_every_language(bundled: Gazetteer) -> None:
    # A paragraph in any of the languages writes the division in its own words
    # (Munizip Bengasi, émirat de Dubaï, محافظة ظفار), not in English.
    lacking = [
        (e.id, lang)
        for e in bundled
        if e.kind == "division" and e.country != "US"
        for lang in LANGS
        if not e.forms_for(lang)
    ]
    assert lacking == []


@pytest.mark.parametrize(
    "name, entity_id",
    [
        ("Deir ez-Zor Governorate", "deir-ez-zor-governorate"),
        ("province de Hodeïda", "hodeidah-governorate"),
        ("Sulaymaniyah Governorate", "sulaymaniyah-governorate"),
        ("gouvernorat de Gaza-Nord", "north-gaza-governorate"),
        ("Provinz Şanlıurfa", "sanliurfa-province"),
        ("محافظة شمال سيناء", "north-sinai"),
        ("Benghazi District", "benghazi-district"),
        ("Munizip Bengasi", "benghazi-district"),
        ("émirat de Dubaï", "emirate-of-dubai"),
        ("Emirat Schardscha", "emirate-of-sharjah"),
        ("gouvernorat du Dhofar", "dhofar-governorate"),
        ("محافظة الأحمدي", "ahmadi-governorate"),
        ("بلدية الريان", "al-rayyan-municipality"),
        ("المحافظة الجنوبية", "southern-governorate-bahrain"),
        ("محافظة كردستان", "kurdistan-province"),
    ],
)
def test_divisions_resolve_with_their_word(bundled: Gazetteer, name: str, entity_id: str) -> None:
    m = bundled.link(name)
    assert m is not None and m.entity.id == entity_id


@pytest.mark.parametrize(
    "text, surface, entity_id",
    [
        ("Troops raided Al-Shifa Hospital overnight.", "Al-Shifa Hospital", "al-shifa-hospital"),
        ("Die Verletzten kamen ins Nasser-Krankenhaus.", "Nasser-Krankenhaus", "nasser-hospital"),
        ("Die Universität Birzeit blieb geschlossen.", "Universität Birzeit", "birzeit-university"),
        ("Ships waited off the Port of Hodeidah.", "Port of Hodeidah", "port-of-hodeidah"),
        ("Flights left Queen Alia International Airport.", "Queen Alia International Airport",
         "queen-alia-international-airport"),
        ("Yazidis fled to Mount Sinjar in 2014.", "Mount Sinjar", "mount-sinjar"),
        ("The Assad family left Damascus.", "Assad family", "assad-family"),
    ],
)  # fmt: skip
def test_named_facilities_in_running_text(
    bundled: Gazetteer, text: str, surface: str, entity_id: str
) -> None:
    out = Normalizer(bundled, forms="en").normalize(text)
    assert {m.surface: m.entity_id for m in out.mentions}.get(surface) == entity_id
