"""Properties of normalization over generated texts: valid spans, untouched text, idempotence."""

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from canonym import Gazetteer, NormalizedText, Normalizer

NAMES = [
    "Mohamed Chia al-Soudani",
    "Mohammed Shia al-Sudani",
    "Soudani",
    "al-Sudani",
    "Mr. Soudani",
    "Hachd al-Chaabi",
    "Hashd al-Shaabi",
    "Hisbollah",
    "Kataib Hezbollah",
    "Hezbollah",
    "Mossoul",
    "Irak",
    "Deir al-Zour",
    "Barzani",
    "Massoud Barzani",
    "Tripoli",
    "الحشد الشعبي",
    "كركوك",
    "Islamic Resistance in Iraq",
    "peshmergas",
    "Al-Noujaba",
    "Abou Bakr el-Baghdadi",
]
WORDS = ["the", "said", "in", "of", "Officials", "on", "Sunday", "and", "group", "Iraqi", "al", "-"]
SEPS = [" ", " ", " ", ", ", ". ", "\n", "\n\n", "-", "'s ", " (", ") ", "«", "» ", "/"]

pieces = st.lists(
    st.tuples(st.sampled_from(NAMES + WORDS), st.sampled_from(SEPS)), min_size=0, max_size=25
)
texts = pieces.map(lambda ps: "".join(a + b for a, b in ps))
any_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "M", "N", "P", "Zs", "Cc"]), max_size=200
)

_gz = Gazetteer.load(
    __import__("pathlib").Path(__file__).resolve().parents[1] / "data" / "mini.yaml",
    use_cache=False,
)
NORM = Normalizer(_gz)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_spans_and_outside(text: str, r: NormalizedText) -> None:
    everything = sorted([*r.mentions, *r.ambiguous, *r.unresolved], key=lambda m: m.start)
    for m in everything:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.surface
    for a, b in zip(r.mentions, r.mentions[1:], strict=False):
        assert a.end <= b.start
    # Between rewritten mentions, the output is the source, byte for byte.
    src_pos = out_pos = 0
    for m in r.mentions:
        assert text[src_pos : m.start] == r.text[out_pos : m.out_start]
        src_pos, out_pos = m.end, m.out_end
    assert text[src_pos:] == r.text[out_pos:]


@SETTINGS
@given(texts)
def test_spans_valid_and_outside_unchanged(text: str) -> None:
    check_spans_and_outside(text, NORM.normalize(text))


@SETTINGS
@given(any_text)
def test_arbitrary_unicode_never_breaks_spans(text: str) -> None:
    check_spans_and_outside(text, NORM.normalize(text))


@SETTINGS
@given(texts)
@example("الحشد الشعبي said al كركوك ")  # Arabic names in a paragraph that turns Latin
@example("al al Mohamed Chia al-Soudani ")
@example("al-Sudani Irak of Soudani ")  # its names alone once said French, rewritten Turkish
def test_normalizing_twice_changes_nothing(text: str) -> None:
    once = NORM.normalize(text).text
    assert NORM.normalize(once).text == once


# Texts shaped like news copy over the bundled gazetteer: its forms, mutated (a
# letter dropped or doubled, all capitals, a word left out), beside words in
# capitals, apostrophes, stray Arabic letters and Arabic-script names.
DEFAULT = Gazetteer.default()
DEFAULT_NORM = Normalizer(DEFAULT)
_FORMS = sorted({f for e in DEFAULT for f in (*e.canonical_forms, *e.aliases)})
_LATIN_FORMS = [f for f in _FORMS if f.isascii()]
_ARABIC_FORMS = [f for f in _FORMS if any("\u0600" <= c <= "\u06ff" for c in f)]
_AROUND = ["said", "on", "Monday", "the", "reported", "strike", "TV", "AL", "US", "al", "in"]
_GLUE = [" ", " ", ", ", ". ", ": ", "'", "'ء", "'s ", "ء ", "\n", " - ", "\n\n"]


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    form = draw(st.sampled_from(_LATIN_FORMS))
    how = draw(st.sampled_from(["as is", "upper", "drop", "double", "word", "first"]))
    if how == "upper":
        return form.upper()
    if how in ("drop", "double") and len(form) > 3:
        i = draw(st.integers(1, len(form) - 2))
        return form[:i] + form[i + 1 :] if how == "drop" else form[:i] + form[i] + form[i:]
    ws = form.split()
    if how == "word" and len(ws) > 1:
        return " ".join(ws[1:])
    if how == "first" and len(ws) > 1:
        return ws[0]
    return form


_piece = st.one_of(
    _mutated(), st.sampled_from(_ARABIC_FORMS), st.sampled_from(_AROUND), st.sampled_from(_AROUND)
)
news_texts = st.lists(st.tuples(_piece, st.sampled_from(_GLUE)), max_size=10).map(
    lambda ps: "".join(a + b for a, b in ps)
)


# The same examples on every run, so that a test run is reproducible; a wider search:
# pytest --hypothesis-seed=random.
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(news_texts)
@example("Hosein Amir Abdolahia said on Monday.")  # a rewrite that joins the word before it
@example("AL MAYADEEN TV reported the strike.")  # the article in capitals; a bare form of a town
@example("AAH: آموس هوكشتاين")  # names alone: the script vote must not depend on their length
@example("US State Department'ء")  # an Arabic letter after an apostrophe is no part of the word
@example("Ali Bgheri Kani ")  # found as "Ali Bgheri", its surname after it the same name
@example("AF News Ahmadinedschad ")  # a surname after words a fuzzy find names
def test_normalizing_news_twice_changes_nothing(text: str) -> None:
    once = DEFAULT_NORM.normalize(text).text
    assert DEFAULT_NORM.normalize(once).text == once
    assert Normalizer(DEFAULT).normalize(once).text == once


def test_a_surname_right_after_its_own_name_is_part_of_that_mention() -> None:
    # Fuzzy search found the first two words; the full form written for them must
    # not be followed by the surname a second time.
    out = DEFAULT_NORM.normalize("Ali Bgheri Kani said on Monday.")
    assert out.text == "Ali Bagheri Kani said on Monday."
    assert [(m.surface, m.entity_id) for m in out.mentions] == [
        ("Ali Bgheri Kani", "ali-bagheri-kani")
    ]


def test_a_surname_after_words_a_fuzzy_find_names_stands() -> None:
    # As it does after the name written in full: the words before it name no one
    # unknown, so the surname is no other person's.
    once = DEFAULT_NORM.normalize("AF News Ahmadinejad said.")
    full = DEFAULT_NORM.normalize(once.text)
    assert [m.entity_id for m in once.mentions] == [m.entity_id for m in full.mentions]
    assert "mahmoud-ahmadinejad" in [m.entity_id for m in once.mentions]
