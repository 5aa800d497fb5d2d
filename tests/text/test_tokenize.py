"""Words and spans: one word pattern, one possessive rule."""

from canonym.text.tokenize import possessive_stem, tokenize


def test_tokenize_keeps_spans_and_drops_possessive() -> None:
    text = "Mr. Soudani's office, Sana'a and Ra's Tannurah"
    toks = tokenize(text)
    assert [t.text for t in toks] == [
        "Mr",
        "Soudani",
        "office",
        "Sana'a",
        "and",
        "Ra's",
        "Tannurah",
    ]
    for t in toks:
        assert text[t.start : t.end] == t.text


def test_possessive_stem_takes_every_apostrophe_and_spares_short_words() -> None:
    assert possessive_stem("Soudani\u2019s") == "Soudani"
    assert possessive_stem("Sadr`s") == "Sadr"
    assert possessive_stem("Ra's") is None  # a cape, not a possessive
    assert possessive_stem("Abbas") is None


def test_an_apostrophe_before_an_arabic_letter_ends_the_word() -> None:
    assert [t.text for t in tokenize("Department'\u0621")] == ["Department", "\u0621"]
