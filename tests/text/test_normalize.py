"""One family of normal forms for comparing written spellings."""

from canonym.names.particles import particles
from canonym.names.romanize import latin_table
from canonym.text.normalize import drop_leading_article, fold_letters, fold_text, surface_norm


def test_surface_norm_ignores_case_apostrophes_dashes_and_spacing() -> None:
    assert surface_norm("Sana\u2019a  \u2013 Yemen") == surface_norm("sana'a - yemen")
    assert surface_norm("Sana`a") == "sana'a"
    assert surface_norm("Mu\u0308nchen") == surface_norm("MÜNCHEN")  # NFC


def test_fold_text_keeps_words_fold_letters_keys_one_word() -> None:
    assert fold_text("Abd al-Azīz") == "abd al aziz"
    assert fold_letters("al-Azīz") == "alaziz"
    # The key fold spells š as English does; plain unidecode would lose the h.
    assert fold_letters("Šarif", latin_table()) == "sharif"
    assert fold_letters("Šarif") == "sarif"


def test_leading_article_before_a_word_or_as_the_linter_compares() -> None:
    bare = particles().bare_articles
    assert drop_leading_article("al-Hashd al-Shaabi", bare) == "Hashd al-Shaabi"
    assert drop_leading_article("Ash Sharqat", bare) == "Sharqat"
    assert drop_leading_article("al-", bare) == "al-"  # no word after it
    assert drop_leading_article("alwan", bare) == "alwan"
    spelling = particles().spelling_articles
    assert drop_leading_article("al-", spelling, before_word=False) == ""
    assert drop_leading_article("al\tsudani", spelling, before_word=False) == "al\tsudani"
    assert drop_leading_article("as-sadr", spelling, before_word=False) == "as-sadr"
