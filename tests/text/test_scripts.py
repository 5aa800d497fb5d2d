"""One script detector: the labels and counts keys, statistics and detection use."""

from canonym.text.scripts import (
    arabic_script_language,
    form_script,
    is_arabic_script,
    latin_letter_share,
    script_counts,
    script_of,
)

PRESENTATION_FORM = "\ufee0"  # an initial lam, Arabic Presentation Forms-B


def test_coarse_labels_for_keys() -> None:
    assert script_of("السوداني") == "arabic"
    assert script_of("ירושלים") == "hebrew"
    assert script_of("Москва") == "latin"  # anything not caseless-script is keyed as Latin
    assert is_arabic_script("Hashd " + PRESENTATION_FORM)
    assert not is_arabic_script("Hashd al-Shaabi")


def test_fine_labels_for_statistics() -> None:
    assert form_script("تهران") == "arabic"
    assert form_script("پاکستان") == "persian"
    assert form_script("ירושלים") == "hebrew"
    assert form_script("Москва") == "cyrillic"
    assert form_script("Hà Nội") == "latin"
    assert form_script("123") == "other"
    # Statistics count the Arabic block proper; keys romanize presentation forms too.
    assert form_script(PRESENTATION_FORM) == "other"
    assert script_of(PRESENTATION_FORM) == "arabic"


def test_counts_and_language_of_arabic_script() -> None:
    assert script_counts("abc שלום мир سلام") == {"hebrew": 4, "cyrillic": 3, "arabic": 4}
    assert arabic_script_language("این یک متن است") == "fa"
    assert arabic_script_language("یہ ایک متن ہے") == "ur"
    assert arabic_script_language("هذا نص") == "ar"


def test_latin_share_counts_letters_only() -> None:
    assert latin_letter_share("12, 34.") is None
    assert latin_letter_share("ab سل") == 0.5
    # The rewriter's Latin is Latin-1 and Extended-A/B: Vietnamese ộ is not counted.
    assert latin_letter_share("ộa") == 0.5
