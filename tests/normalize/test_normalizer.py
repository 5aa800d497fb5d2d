"""Normalizing running text: spans, context, rewriting, and what must stay untouched."""

from itertools import pairwise

import pytest

from canonym import Entity, Gazetteer, Normalizer


@pytest.fixture(scope="module")
def norm(mini: Gazetteer) -> Normalizer:
    return Normalizer(mini)


def test_rewrites_to_closest_canonical_form(norm: Normalizer) -> None:
    r = norm.normalize("Fighters of the Hachd al-Chaabi, or Unités de mobilisation populaire.")
    assert r.text == "Fighters of the Hashd al-Shaabi, or Popular Mobilization Forces."
    assert [m.entity_id for m in r.mentions] == ["popular-mobilization-forces"] * 2


def test_short_form_follows_full_name_earlier_in_document(norm: Normalizer) -> None:
    text = (
        "Mohamed Chia al-Soudani spoke. Later Mr. Soudani's office and al-Soudani himself agreed."
    )
    r = norm.normalize(text)
    assert (
        r.text
        == "Mohammed Shia al-Sudani spoke. Later Mr. Sudani's office and al-Sudani himself agreed."
    )
    short = [m for m in r.mentions if m.surface in ("Soudani", "al-Soudani")]
    assert len(short) == 2 and all(m.context for m in short)


def test_ambiguous_short_form_is_reported_not_guessed(norm: Normalizer) -> None:
    r = norm.normalize("Barzani said the talks would go on.")
    assert r.text == "Barzani said the talks would go on."
    assert [m.surface for m in r.ambiguous] == ["Barzani"]
    assert {c.entity.id for c in r.ambiguous[0].candidates} == {
        "masoud-barzani",
        "nechirvan-barzani",
    }


def test_context_settles_an_ambiguous_short_form(norm: Normalizer) -> None:
    r = norm.normalize("Nechirvan Barzani arrived. Barzani said the talks would go on.")
    assert [m.entity_id for m in r.mentions] == ["nechirvan-barzani", "nechirvan-barzani"]
    assert r.ambiguous == []


def test_ambiguous_full_name_lists_candidates(norm: Normalizer) -> None:
    r = norm.normalize("Clashes in Tripoli.")
    assert r.mentions == [] and len(r.ambiguous) == 1
    assert len(r.ambiguous[0].candidates) == 2


def test_longest_match_wins(norm: Normalizer) -> None:
    r = norm.normalize("The Islamic Resistance in Iraq and Kataib Hezbollah.")
    assert [m.entity_id for m in r.mentions] == ["islamic-resistance-in-iraq", "kataib-hezbollah"]


def test_adjacent_mentions_and_punctuation(norm: Normalizer) -> None:
    r = norm.normalize("(Mossoul/Kirkuk), Irak; «Syrie»!")
    assert r.text == "(Mosul/Kirkuk), Iraq; «Syria»!"
    assert [m.surface for m in r.mentions] == ["Mossoul", "Kirkuk", "Irak", "Syrie"]


def test_possessive_and_hyphenated_compound(norm: Normalizer) -> None:
    r = norm.normalize("Hisbollah's allies and Hezbollah-backed groups")
    assert r.text == "Hezbollah's allies and Hezbollah-backed groups"


def test_line_break_inside_a_name_is_kept(norm: Normalizer) -> None:
    r = norm.normalize("met Mohamed Chia\nal-Soudani today")
    assert r.text == "met Mohammed Shia\nal-Sudani today"


def test_windows_line_break_inside_a_name_is_kept(norm: Normalizer) -> None:
    r = norm.normalize("met Mohamed Chia\r\nal-Soudani today")
    assert r.text == "met Mohammed Shia\r\nal-Sudani today"


def test_possessive_at_the_end_of_a_text(norm: Normalizer) -> None:
    for text, surface, out in [
        ("a word with Hisbollah\u2019s", "Hisbollah", "a word with Hezbollah\u2019s"),
        ("Mossoul's", "Mossoul", "Mosul's"),
    ]:
        r = norm.normalize(text)
        assert (r.text, [m.surface for m in r.mentions]) == (out, [surface])


def test_paragraph_break_ends_a_name(norm: Normalizer) -> None:
    r = norm.normalize("Hashd\n\nal-Shaabi")
    assert all(m.entity_id != "popular-mobilization-forces" for m in r.mentions)


def test_sentence_initial_article_is_capitalized(norm: Normalizer) -> None:
    r = norm.normalize("Al-Noujaba denied it.")
    assert r.text == "Al-Nujaba denied it."


def test_lowercase_words_do_not_match_capitalized_names(norm: Normalizer) -> None:
    text = "a hamas-style dibis of iraq"
    assert norm.normalize(text).text == text


def test_lowercase_form_listed_in_gazetteer_matches(norm: Normalizer) -> None:
    r = norm.normalize("les peshmergas kurdes")
    assert [m.entity_id for m in r.mentions] == ["peshmerga"]


def test_form_opening_with_a_lowercase_word_matches_in_full() -> None:
    gz = Gazetteer.from_entities(
        [Entity("hikma", "National Wisdom Movement", "organization", aliases=("courant al-Hikma",))]
    )
    r = Normalizer(gz).normalize("Selon le courant al-Hikma, le vote aura lieu.")
    assert [(m.surface, m.entity_id) for m in r.mentions] == [("courant al-Hikma", "hikma")]


def test_arabic_only_form_does_not_make_a_lowercase_latin_word_a_name() -> None:
    # "داعل" has the key of "d'Al"; Arabic script has no case, which must not
    # count as "written in lower case" for words of Latin text.
    gz = Gazetteer.from_entities([Entity("dail", "Dā‘il", "place", aliases=("داعل",))])
    r = Normalizer(gz).normalize("la chute d'Al Qaim et d'Al Anbar")
    assert r.mentions == []


def test_derived_words_are_not_their_roots(norm: Normalizer) -> None:
    text = "Iraqi and Syrian officials, pro-Iraqi groups"
    assert norm.normalize(text).text == text


def test_arabic_script_in_latin_paragraph_is_rewritten(norm: Normalizer) -> None:
    r = norm.normalize("A statement by الحشد الشعبي in كركوك.")
    assert r.text == "A statement by Hashd al-Shaabi in Kirkuk."


def test_arabic_paragraph_keeps_its_script_but_reports_mentions(norm: Normalizer) -> None:
    text = "قال رئيس الوزراء محمد شياع السوداني إن الحشد الشعبي جزء من القوات"
    r = norm.normalize(text)
    assert r.text == text
    assert {m.entity_id for m in r.mentions} >= {
        "mohammed-shia-al-sudani",
        "popular-mobilization-forces",
    }
    assert all(m.canonical for m in r.mentions)


def test_spans_index_source_and_output(norm: Normalizer) -> None:
    text = "In Mossoul, Hachd al-Chaabi units and Mohamed Chia al-Soudani."
    r = norm.normalize(text)
    for m in r.mentions:
        assert text[m.start : m.end] == m.surface
        assert r.text[m.out_start : m.out_end] == m.canonical


def test_empty_and_nameless_text(norm: Normalizer) -> None:
    assert norm.normalize("").text == ""
    r = norm.normalize("nothing to see here.\n")
    assert r.text == "nothing to see here.\n" and r.mentions == []


def test_unresolved_name_runs_are_listed(norm: Normalizer) -> None:
    r = norm.normalize("The envoy met Zaydoun Qarawi in town.")
    assert [m.surface for m in r.unresolved] == ["Zaydoun Qarawi"]


def test_result_to_dict_is_json_ready(norm: Normalizer) -> None:
    import json

    d = norm.normalize("Mossoul and Tripoli").to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert d["mentions"][0]["entity_id"] == "mosul"
    assert d["ambiguous"][0]["status"] == "ambiguous"


def test_idempotent_on_sample(norm: Normalizer) -> None:
    text = "Mohamed Chia al-Soudani said Mr. Soudani's Hachd al-Chaabi and Hisbollah in Mossoul."
    once = norm.normalize(text).text
    assert norm.normalize(once).text == once


def test_canonical_spelling_in_another_case_stays_as_written(norm: Normalizer) -> None:
    r = norm.normalize("HAMAS and hamas-style... PESHMERGA forces")
    assert r.text == "HAMAS and hamas-style... PESHMERGA forces"
    assert [m.canonical for m in r.mentions] == ["Hamas", "Peshmerga"]


def test_normalizer_links_as_its_gazetteer_does() -> None:
    from pathlib import Path

    gz = Gazetteer.load(Path(__file__).resolve().parents[1] / "data" / "mini.yaml")
    text = "Talks with Mohamad Shiya al-Soudany began."
    assert Normalizer(gz).normalize(text).text == "Talks with Mohammed Shia al-Sudani began."
    gz.thresholds = gz.thresholds.with_accept(0.95)
    strict = Normalizer(gz).normalize(text)
    assert strict.text == text and strict.mentions == []
    # Thresholds given to the normalizer win over the gazetteer's.
    loose = Normalizer(gz, thresholds=gz.thresholds.with_accept(0.90)).normalize(text)
    assert loose.text == "Talks with Mohammed Shia al-Sudani began."


def test_full_name_with_unseen_spellings_before_a_known_surname(norm: Normalizer) -> None:
    text = "Talks with Mohamad Shiya al-Soudany began; Prime Minister al-Soudani spoke."
    r = norm.normalize(text)
    assert r.text == "Talks with Mohammed Shia al-Sudani began; Prime Minister al-Sudani spoke."
    first = r.mentions[0]
    assert (first.surface, first.method) == ("Mohamad Shiya al-Soudany", "fuzzy")
    # The surname alone is one mention, and the title before it is no part of it.
    assert [m.surface for m in r.mentions[1:]] == ["al-Soudani"]
    assert r.unresolved == []


def test_unknown_words_before_a_surname_stay_apart_from_it(norm: Normalizer) -> None:
    r = norm.normalize("Then Qassem Zubeidi al-Soudani arrived.")
    # Nothing matches the whole run: it names someone the gazetteer does not know,
    # whose surname a listed person shares. It is one unknown name, not the listed
    # person's surname with unknown words before it.
    spans = sorted((m.start, m.end) for m in (*r.mentions, *r.ambiguous, *r.unresolved))
    assert all(a[1] <= b[0] for a, b in pairwise(spans))
    assert [m.surface for m in r.unresolved] == ["Qassem Zubeidi al-Soudani"]
    assert r.mentions == []
    assert r.text == "Then Qassem Zubeidi al-Soudani arrived."


def test_a_known_part_of_a_person_name_opens_to_the_words_before_it() -> None:
    gz = Gazetteer.from_entities(
        [
            Entity("abu-mahdi-al-muhandis", "Abu Mahdi al-Muhandis", "person",
                   names=("al-Muhandis",), aliases=("al-Mouhandis",)),
            Entity("masoud-barzani", "Masoud Barzani", "person"),
        ]
    )  # fmt: skip
    norm = Normalizer(gz)
    r = norm.normalize("Then Abou Mehdi al-Mouhandis died.")
    assert r.text == "Then Abu Mahdi al-Muhandis died."
    assert [(m.surface, m.method) for m in r.mentions] == [("Abou Mehdi al-Mouhandis", "fuzzy")]
    # The known form alone, after a word that is no name, keeps its own match.
    r = norm.normalize("The envoy met Commander al-Mouhandis.")
    assert [(m.surface, m.method) for m in r.mentions] == [("al-Mouhandis", "alias")]
    # A relative who shares the surname is not taken for the listed person.
    r = norm.normalize("Later Masrour Barzani spoke.")
    assert all(m.surface != "Masrour Barzani" for m in r.mentions)
    assert "Masoud" not in r.text


def test_unknown_given_names_before_a_known_surname_name_someone_else(norm: Normalizer) -> None:
    r = norm.normalize("Then Qassem Zubeidi al-Baghdadi Faraway Name arrived.")
    assert r.mentions == []
    assert [m.surface for m in r.unresolved] == ["Qassem Zubeidi al-Baghdadi Faraway Name"]
    # A lone capital opening the sentence before a known surname is no name.
    assert norm.normalize("Hajj al-Baghdadi spoke.").unresolved == []


@pytest.fixture(scope="module")
def bundled() -> Normalizer:
    return Normalizer(Gazetteer.default())


def test_article_in_capitals_belongs_to_the_name(bundled: Normalizer) -> None:
    # "AL" is the article, not an acronym; and the bare "Mayadeen" would name the town.
    r = bundled.normalize("AL MAYADEEN TV reported the strike.")
    assert r.text == "Al Mayadeen reported the strike."
    assert [(m.surface, m.entity_id) for m in r.mentions] == [("AL MAYADEEN TV", "al-mayadeen")]


def test_bare_form_is_written_only_when_it_names_the_entity(bundled: Normalizer) -> None:
    r = bundled.normalize("Mayadeen TV reported the strike.")
    assert r.mentions[0].entity_id == "al-mayadeen"
    assert r.text == "Al Mayadeen reported the strike."


def test_arabic_letter_after_apostrophe_is_its_own_word(bundled: Normalizer) -> None:
    r = bundled.normalize("US State Department'ء")
    assert r.text == "US Department of State'ء"
    assert r.mentions[0].surface == "US State Department"


def test_names_alone_vote_by_name_not_by_letters(bundled: Normalizer) -> None:
    # One Latin name, one Arabic: no majority, so the Arabic name stays, however
    # long the Latin one is written.
    for text in ("AAH: آموس هوكشتاين", "Asaib Ahl al-Haq: آموس هوكشتاين"):
        r = bundled.normalize(text)
        assert r.text.endswith("آموس هوكشتاين")
        assert r.mentions[-1].entity_id == "amos-hochstein"


def test_rewrite_that_would_join_the_word_before_is_not_made(bundled: Normalizer) -> None:
    # "Amir-Abdollahian" after "Hosein" reads as the longer alias "Hosein Amir
    # Abdolahian": written so, a second run would rewrite it again.
    text = "Hosein Amir Abdolahia said on Monday."
    r = bundled.normalize(text)
    assert r.text == text
    assert [m.entity_id for m in r.mentions] == ["hossein-amir-abdollahian"]
    assert bundled.normalize(r.text).text == r.text


def test_plural_possessive_apostrophe_stays_inside_a_name(bundled: Normalizer) -> None:
    # The canonical form written must be found again where it was written.
    r = bundled.normalize("the Kurdistan Workers Party said")
    assert r.text == "the Kurdistan Workers' Party said"
    again = bundled.normalize(r.text)
    assert [(m.surface, m.entity_id) for m in again.mentions] == [
        ("Kurdistan Workers' Party", "kurdistan-workers-party")
    ]
