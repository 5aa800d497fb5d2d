"""The bundled gazetteers: valid, unambiguous, complete, and right on the sample articles."""

import re
from pathlib import Path

import pytest

from canonym import Gazetteer, Normalizer
from canonym.data import bundled_gazetteer_dir
from canonym.gazetteer.core import check_files
from canonym.gazetteer.files import gazetteer_files

ROOT = Path(__file__).resolve().parents[2]
MUST_INCLUDE = ROOT.parent / "shared" / "gazetteer-must-include.txt"
ARTICLES = ROOT / "fixtures" / "articles"


def test_every_file_validates_and_ids_are_unique() -> None:
    bundled = bundled_gazetteer_dir()
    assert bundled is not None
    files = gazetteer_files([bundled])
    assert len(files) >= 3
    groups, problems = check_files(files)
    assert [str(p) for p in problems] == []
    ids = [e.id for g in groups for e in g]
    assert len(ids) == len(set(ids))


def test_no_name_silently_points_to_two_entities(bundled: Gazetteer) -> None:
    assert [str(w) for w in bundled.warnings] == []


def test_coverage_by_type(bundled: Gazetteer) -> None:
    counts: dict[str, int] = {}
    for e in bundled:
        counts[e.type] = counts.get(e.type, 0) + 1
    assert counts["person"] >= 120 and counts["organization"] >= 90 and counts["place"] >= 90


def must_include() -> list[tuple[str, str]]:
    if not MUST_INCLUDE.exists():
        return []
    rows = []
    for line in MUST_INCLUDE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            etype, name = line.split("\t")
            rows.append((etype, name))
    return rows


@pytest.mark.skipif(
    not MUST_INCLUDE.exists(), reason="../shared/gazetteer-must-include.txt not present"
)
@pytest.mark.parametrize("etype, name", must_include())
def test_must_include_name_resolves_to_its_entity(
    bundled: Gazetteer, etype: str, name: str
) -> None:
    m = bundled.link(name)
    assert m is not None, f"{name} does not resolve"
    assert (m.entity.name, m.entity.type, m.method) == (name, etype, "exact")


@pytest.mark.parametrize(
    "variant, canonical",
    [
        ("Hachd al-Chaabi", "Popular Mobilization Forces"),
        ("Mohamed Chia al-Soudani", "Mohammed Shia al-Sudani"),
        ("Hisbollah", "Hezbollah"),
        ("الحشد الشعبي", "Popular Mobilization Forces"),
        ("Moqtada Sadr", "Muqtada al-Sadr"),
        ("Oussama ben Laden", "Osama bin Laden"),
        ("Bagdad", "Baghdad"),
        ("Daech", "Islamic State"),
    ],
)
def test_common_press_variants(bundled: Gazetteer, variant: str, canonical: str) -> None:
    m = bundled.link(variant)
    assert m is not None and m.entity.name == canonical


EXPECTED = {
    "en_french_translit.txt": [
        "Hashd al-Shaabi",
        "Kataib Hezbollah",
        "Harakat al-Nujaba",
        "Mohammed Shia al-Sudani",
        "Mr. Sudani",
        "Mosul",
        "Masoud Barzani",
        "Beirut",
        "Hezbollah",
        "Israel",
        "Gaza Strip",
    ],
    "fr_report.txt": [
        "Hashd al-Shaabi",
        "Mohammed Shia al-Sudani",
        "M. Sudani",
        "Hadi al-Amiri",
        "Mosul",
    ],
    "de_report.txt": [
        "Hashd al-Shaabi",
        "Kataib Hezbollah",
        "Mohammed Shia al-Sudani",
        "Gaza Strip",
    ],
    "en_arabic_mentions.txt": [
        "Kataib Hezbollah",
        "Mohammed Shia al-Sudani",
        "Harakat al-Nujaba",
        "Kirkuk and Mosul",
    ],
}
UNEXPECTED = {
    "en_french_translit.txt": ["Soudani", "Chaabi", "Mossoul", "Beyrouth", "Hisbollah", "Israël"],
    "fr_report.txt": ["Soudani", "Chaabi", "Mossoul", "Ameri"],
    "de_report.txt": ["Schaabi", "Hisbollah", "Schia"],
    "en_arabic_mentions.txt": ["كركوك", "السوداني", "Hashd al-Shaabi (Hashd al-Shaabi)"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_articles(bundled: Gazetteer, name: str) -> None:
    text = (ARTICLES / name).read_text(encoding="utf-8")
    # The English forms everywhere: what is read is recognition, not the local forms.
    out = Normalizer(bundled, forms="en").normalize(text)
    for s in EXPECTED[name]:
        assert s in out.text, s
    for s in UNEXPECTED[name]:
        assert s not in out.text, s
    assert out.ambiguous == []


_ARABIC = re.compile("[\u0600-\u06ff]")
_PERSIAN_OR_KURDISH = re.compile("[یکپچژگەێۆ\u06c0-\u06d3]")


def test_a_person_spelled_in_arabic_has_an_arabic_form(bundled: Gazetteer) -> None:
    # What an Arabic paragraph writes for a person: the spelling the data knows, as a form.
    lacking = [
        e.id
        for e in bundled
        if e.type == "person"
        and "ar" not in e.forms
        and any(_ARABIC.search(a) and not _PERSIAN_OR_KURDISH.search(a) for a in e.aliases)
    ]
    assert lacking == []


def test_an_iranian_in_the_data_has_a_form_in_every_language(bundled: Gazetteer) -> None:
    # Persian names are transliterated differently by each press (Dschalili, Yalilí, Djalili),
    # and Arabic copy writes them in Arabic letters, not in the Persian ones the aliases hold.
    lacking = [
        (e.id, lang)
        for e in bundled
        if e.type == "person" and e.country == "IR"
        for lang in ("fr", "de", "es", "it", "ar")
        if lang not in e.forms
    ]
    assert lacking == []


_REGION = {"IQ", "SY", "LB", "PS", "YE", "JO", "SA", "AE", "QA", "EG", "OM", "IL", "IR", "TR"}


def test_an_office_holder_of_the_region_has_french_german_and_spanish_forms(
    bundled: Gazetteer,
) -> None:
    # Each press transliterates Arabic and Hebrew names its own way (Hicham Charaf, Hischam
    # Scharaf; Jossi Cohen): without its own form a paragraph would take the English one.
    lacking = [
        (e.id, lang)
        for e in bundled
        if e.type == "person"
        and e.country in _REGION
        and Path(e.source).name in ("officials.yaml", "officials-more.yaml")
        and e.id != "queen-rania"  # a title, translated in her aliases
        for lang in ("fr", "de", "es")
        if lang not in e.forms
    ]
    assert lacking == []
