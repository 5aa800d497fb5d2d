"""Arabic-script names read every way their letters allow, against Latin forms."""

import csv
from pathlib import Path

import pytest

from canonym import Entity, Gazetteer
from canonym.match.align import reading_cost, reading_similarity
from canonym.match.calibrate import FEATURES, decides, features, probability
from canonym.names.keys import name_key
from canonym.names.readings import (
    arabic_slots,
    glide_as_vowel,
    latin_name_slots,
    latin_slots,
    turkish_reading,
    without_final_t,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", rows("script_readings.csv"), ids=lambda r: r["name"])
def test_arabic_script_links_its_reading_or_calls_a_tie(row: dict[str, str]) -> None:
    forms = row["forms"].split("|")
    gz = Gazetteer.from_entities([Entity(f"e{i}", f, "place") for i, f in enumerate(forms)])
    got = gz.link(row["name"])
    if row["expected"] == "NONE":
        assert got is None, row["note"]
    elif row["expected"] == "AMBIGUOUS":
        assert got is None, row["note"]
        assert len(gz.resolve(row["name"])) >= 2, row["note"]
    else:
        assert got is not None and got.entity.name == row["expected"], row["note"]


@pytest.mark.parametrize("row", rows("length_gaps.csv"), ids=lambda r: r["name"])
def test_letters_one_side_lacks_weigh_against_a_link(row: dict[str, str]) -> None:
    forms = row["forms"].split("|")
    gz = Gazetteer.from_entities([Entity(f"e{i}", f, "place") for i, f in enumerate(forms)])
    got = gz.link(row["name"])
    if row["expected"] == "NONE":
        assert got is None, row["note"]
    else:
        assert got is not None and got.entity.name == row["expected"], row["note"]


def test_homonyms_among_many_names_of_one_skeleton_are_all_read() -> None:
    # Dozens of names share the skeleton krm; the two spellings of the one name
    # the Arabic reads must both be aligned, and so tie.
    others = [f"{k}{a}r{b}m{c}" for k in "KC" for a in "aou" for b in "ao" for c in ("", "a", "o")]
    forms = [*others, "Karīm", "Karim"]
    gz = Gazetteer.from_entities([Entity(f"e{i}", f, "place") for i, f in enumerate(forms)])
    found = {m.entity.name for m in gz.resolve("كريم")}
    assert {"Karīm", "Karim"} <= found
    assert gz.link("كريم") is None


def test_short_vowels_cost_little_and_consonants_a_whole_letter() -> None:
    slots = arabic_slots("مسقط")
    assert reading_cost(slots, name_key("Muscat")) < 0.2
    assert reading_cost(slots, name_key("Mastab")) >= 1.0
    # Above the bound the alignment stops: only "too far" is known.
    assert reading_cost(slots, name_key("Mastab"), "arabic", 0.5) == float("inf")
    assert reading_similarity(slots, name_key("Muscat")) > 0.95


def test_a_final_ayn_and_an_initial_glide_cost_nothing() -> None:
    slots = arabic_slots("ينبع")
    assert reading_cost(slots, name_key("Yanbu")) <= 0.1  # two short vowels
    assert reading_cost(slots, name_key("Nabi")) > 0.3  # the y is a letter


def test_letters_are_read_at_their_place_in_the_word() -> None:
    # ي opens a word as a glide; ه ends one as a vowel.
    initial = dict(arabic_slots("يزد")[0])
    final = dict(arabic_slots("نجفه")[-1])
    assert initial["y"] == 0.0 and "" not in initial
    assert final["a"] == 0.0


def test_latin_endings_other_languages_add_are_cheap() -> None:
    slots = latin_slots(name_key("Bagdadas"))
    assert reading_similarity(slots, name_key("Bagdad"), "latin") > 0.9
    assert reading_similarity(latin_slots(name_key("Bagdad")), name_key("Bagram"), "latin") < 0.8


def test_an_e_reads_as_a_where_an_i_does_not() -> None:
    # Persian and Turkish e for the a of other spellings (Yezd, Yazd); Salimiya and
    # Salamiya are two words.
    def read(name: str, form: str) -> float:
        return reading_similarity(latin_name_slots(name), name_key(form), "latin")

    assert read("Kermeshan", "Karmashan") > read("Kirmishan", "Karmashan")
    assert read("Kermeshan", "Kirmishan") == 1.0  # e is still i to the key
    assert latin_name_slots("Talab") == latin_slots(name_key("Talab"))


def test_the_model_decides_unlisted_place_spellings_only() -> None:
    assert decides("Mossoul", "key", "place", "Mosul")
    assert not decides("Mosul", "exact", "place", "Mosul")
    assert not decides("Masrour Barzani", "fuzzy", "person", "Masoud Barzani")
    assert not decides("Piranshahr", "fuzzy", "place", "Iranshahr")  # a consonant at the edge
    assert decides("فيتون", "fuzzy", "person", "Veton")  # fitted on people in Arabic script


def test_probability_rises_with_the_reading_and_the_lead() -> None:
    close = features("Mossoul", "Mosul", 0.95, None, False)
    tied = features("Mossoul", "Mosul", 0.95, 0.95, False)
    far = features("Mossoul", "Masal", 0.85, None, False)
    assert len(close) == len(FEATURES)
    assert probability(close, False) > probability(tied, False)
    assert probability(close, False) > probability(far, False)
    assert 0.0 < probability(far, False) < 1.0


def test_the_model_knows_a_place_from_a_person() -> None:
    at = FEATURES.index("not_place")
    place = features("فيتون", "Veton", 0.95, None, True, "place")
    person = features("فيتون", "Veton", 0.95, None, True, "person")
    assert (place[at], person[at]) == (0.0, 1.0)
    assert place[:at] == person[:at]  # the type alone differs


def test_a_key_shared_by_homonyms_is_aligned_once_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from canonym.match import scoring

    # Five places with one name and a sixth spelled another way: a misspelled name
    # meets the shared key five times among the candidates it reads.
    forms = ["Tarbakabad"] * 5 + ["Tarbekabad"]
    gz = Gazetteer.from_entities([Entity(f"e{i}", f, "place") for i, f in enumerate(forms)])
    aligned: list[str] = []
    real = scoring.reading_similarity

    def counted(slots, key, script="arabic", floor=0.0):  # type: ignore[no-untyped-def]
        aligned.append(key)
        return real(slots, key, script, floor)

    monkeypatch.setattr(scoring, "reading_similarity", counted)
    found = gz.resolve("Tarbakebad", top=10)
    assert {f"e{i}" for i in range(5)} <= {m.entity.id for m in found}
    assert aligned.count(name_key("Tarbakabad")) == 1
    assert len(aligned) == len(set(aligned))
    # The same scores as aligning every candidate.
    monkeypatch.setattr(scoring, "_read_once", lambda _seen, s, k, need: real(s, k, "latin", need))
    again = gz.resolve("Tarbakebad", top=10)
    assert [(m.entity.id, m.score) for m in again] == [(m.entity.id, m.score) for m in found]


def test_the_article_written_on_both_sides_prefers_that_form() -> None:
    # The keys drop the article, so both forms read alike; whether each side
    # writes it tells them apart, in either direction.
    gz = Gazetteer.from_entities(
        [Entity("a", "Ar Ramādī", "place"), Entity("b", "Ramadi", "place")]
    )
    with_article = {m.entity.id: m.score for m in gz.resolve("الرمادي")}
    without = {m.entity.id: m.score for m in gz.resolve("رمادي")}
    assert with_article["a"] > with_article["b"]
    assert without["b"] > without["a"]


def test_a_form_in_turkish_spelling_reads_s_cedilla_as_sh_and_c_as_j() -> None:
    gz = Gazetteer.from_entities([Entity("k", "Kırşehir", "place"), Entity("c", "Çorlu", "place")])
    assert [m.entity.id for m in gz.resolve("قيرشهير")][:1] == ["k"]
    assert [m.entity.id for m in gz.resolve("چورلو")][:1] == ["c"]
    # c alone is k or s in most spellings: read as j, it costs more.
    marked, unmarked = turkish_reading("Cizre Şırnak"), turkish_reading("Cizre")
    assert marked is not None and unmarked is not None
    assert marked[0] == "jizre shırnak" and marked[1] < unmarked[1]
    assert turkish_reading("Mosul") is None


def test_a_consonant_written_twice_may_be_one_doubled_sound() -> None:
    # Kurdish spellings write the doubled l of Hillah twice; the key has one.
    assert reading_cost(arabic_slots("حەللە"), name_key("Hillah")) < 0.3
    # Two sounds still read as two, for free.
    assert reading_cost(arabic_slots("سنندج"), name_key("Sanandaj")) < 0.2


def test_a_word_opening_on_waw_is_found_where_latin_writes_a_vowel() -> None:
    # The skeleton keeps the glide w, which Ourika lacks: among the many names
    # of the skeleton wrk it is looked up as u too.
    others = [f"W{a}r{b}k{c}" for a in "aiou" for b in "aiou" for c in ("", "a", "i")]
    forms = [*others, "Ourika"]
    gz = Gazetteer.from_entities([Entity(f"e{i}", f, "place") for i, f in enumerate(forms)])
    assert "Ourika" in {m.entity.name for m in gz.resolve("وريكة")}
    assert glide_as_vowel("wrika") == "urika" and glide_as_vowel("mrika") is None


def test_a_short_word_ending_in_at_is_also_looked_up_without_its_t() -> None:
    # The skeleton of Rabat's key drops the -at's t, the shorter Arabic key keeps it.
    assert without_final_t("rbat") == "rba"
    assert without_final_t("mhmd rbat") == "mhmd rba"
    assert without_final_t("bagdad") is None and without_final_t("xrkat") is None


def test_the_article_may_be_read_fused_to_the_word_as_french_spellings_write_it() -> None:
    # Laayoune: the article's l glued to the word, which the key keeps.
    fused = reading_cost(arabic_slots("العيون"), name_key("Laayoune"))
    bare = reading_cost(arabic_slots("عيون"), name_key("Laayoune"))
    assert fused < 0.2 < bare
    # Leaving it unread stays free.
    assert reading_cost(arabic_slots("العيون"), name_key("Ayoun")) < 0.1
