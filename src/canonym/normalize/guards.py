"""Guards on matches in running text: which spans may stand for which entities.

Reach for this module to see why a word that matches a gazetteer form is, or is
not, taken for a name: a lower-case word only matches a lower-case form, a short
word only a form written exactly so, a word with an ending cut off only a form
spelled as its stem, a fuzzy find only when it is close enough and in the text's
language. Most capitalized words in news are not names: these rules keep them out.
"""

from __future__ import annotations

import re

from canonym.gazetteer.index import Index
from canonym.match.resolve import Match
from canonym.match.scoring import scored
from canonym.names.clitics import has_article
from canonym.names.keys import name_key
from canonym.normalize.languages import words_language
from canonym.normalize.scan import Scan, plain_lower, word_lists
from canonym.text.normalize import surface_norm
from canonym.text.scripts import is_arabic_script, script_of
from canonym.text.tokenize import is_dotted

__all__ = [
    "span_entities",
    "arabic_derivative",
    "key_form_langs",
    "worth_a_word",
    "cut_short",
    "written_as_form",
    "listed",
    "any_capital",
    "in_own_language",
    "plausible_in_text",
    "shared_form_match",
]

_SINGLE_WORD_FUZZY = 0.90  # one capitalized word alone needs this score to be a name
_ANY_LETTER = re.compile(r"[^\W\d_]")


def span_entities(
    ix: Index, key: str, surface: str, single: bool
) -> tuple[tuple[int, ...], bool] | None:
    """The entities a key match may stand for, and whether only as a surname."""
    ais = ix.by_key(key)
    if not any_capital(surface):
        # Lower-case words match only a lower-case form the gazetteer lists
        # ("peshmergas"); otherwise "hit" would be the Iraqi town of Hit.
        if not ix.lower_form(key, surface_norm(surface)):
            return None
    elif single and not worth_a_word(surface, ix):
        return None
    # Arabic script matches Arabic forms by key: without short vowels its key is
    # too loose for Latin names ("باتت" is not Baath), and a Latin word is not an
    # Arabic form either ("Dach" shares the key of داعش). Names in another script
    # are for the fuzzy pass, in paragraphs of their script only.
    latin = script_of(surface) == "latin"
    ais = [a for a, s in zip(ais, ix.scripts(ais), strict=True) if (s == "latin") == latin]
    if not ais:
        return None
    if single and not latin and arabic_derivative(surface, ix.texts(ais)):
        return None
    full = ix.full(ais)
    chosen = ix.best(full or ais)
    ents = ix.owners(chosen)
    if len(ents) > 1:
        # Entities that share a key may still differ in spelling: a form
        # written exactly as one of them lists it settles the question.
        norm = surface_norm(surface)
        texts = ix.texts(chosen)
        exact = ix.owners(
            [a for a, t in zip(chosen, texts, strict=True) if surface_norm(t) == norm]
        )
        ents = exact or ents
    return ents, not full


_ALEF_ENDS = ("\u0627", "\u0649", "\u0627\u0621")  # ا ى اء
_TA_MARBUTA = "\u0629"
_ARTICLE = "\u0627\u0644"


def arabic_derivative(surface: str, forms: list[str]) -> bool:
    """Whether an Arabic word that shares a key with listed ``forms`` is an adjective
    made from the name, not the name: keys drop the article and read ة as a vowel,
    so السورية ('the Syrian') and تركية ('Turkish') share the key of سوريا, تركيا.

    The word is a form as written, or it is derived when it takes an article the
    forms never have, or ends in ة where they end in a long vowel.
    """
    norm = surface_norm(surface)
    written = [f for f in forms if surface_norm(f) == norm]
    if written:
        return False
    if has_article(surface) and not any(f.startswith(_ARTICLE) for f in forms):
        return True
    return surface.endswith(_TA_MARBUTA) and any(f.endswith(_ALEF_ENDS) for f in forms)


def key_form_langs(ix: Index, key: str, surface: str) -> frozenset[str]:
    """The languages whose forms alone a surface matches by key, not as written.

    Empty when the surface is written as a form, or its key is also that of a
    name or alias that holds in every language.
    """
    if ix.exact(surface_norm(surface)):
        return frozenset()
    langs: set[str] = set()
    # Surnames are left out: a surname is never one of its entity's own forms
    # (``alias_forms``), and a common one files thousands.
    for a in ix.full(ix.by_key(key)):
        if not ix.is_alias(a):
            return frozenset()  # the entity's name or one of its names
        e, text = ix.entity(ix.owner(a)), ix.text(a)
        if text in e.canonical_forms or text in e.aliases:
            return frozenset()
        langs.update(code for code, texts in e.forms.items() if text in texts)
    return frozenset(langs)


def worth_a_word(word: str, ix: Index) -> bool:
    """Whether one capitalized word may be a name on its own.

    Sentence openers ("The", "In") and words of three letters or fewer match
    only a form the gazetteer writes exactly so ("US", "PMF"); a dotted abbreviation
    ("U.S.") is written as a name on purpose, and its key keeps every letter.
    """
    if is_dotted(word):
        return True
    stop, titles, _ = word_lists()
    low = plain_lower(word)
    if low in stop or low in titles or len(word) <= 3:
        if is_arabic_script(word):
            # Arabic writes no short vowels, and li- before the article drops its alif
            # (لليمن is li- + اليمن): the name as listed with its article counts.
            return listed(ix, word) or listed(ix, "\u0627\u0644" + word)
        return listed(ix, word)
    return True


def cut_short(scan: Scan, last: int) -> bool:
    """Whether the scanner cut an ending off word ``last`` (it stands in the gap after)."""
    gap = scan.gaps[last + 1] if last + 1 < len(scan.gaps) else ""
    return gap[:1].isalpha()


def written_as_form(ix: Index, key: str, surface: str) -> bool:
    """Whether ``surface`` is written as a form filed under ``key`` (inflections too)."""
    norm = surface_norm(surface)
    return any(surface_norm(ix.text(a)) == norm for a in ix.by_key(key))


def listed(ix: Index, word: str) -> bool:
    """Whether the gazetteer writes a form exactly as ``word``."""
    return any(ix.text(a) == word for a in ix.exact(surface_norm(word)))


def any_capital(text: str) -> bool:
    # str.islower() is true only when every cased letter is lower case and there is
    # one; a name with letters of a script without case (Arabic, Hebrew) counts as
    # capitalized, also beside a lower-case article ("al كركوك").
    return not text.islower() or script_of(text) != "latin"


def in_own_language(m: Match, text: str, lang: list[str]) -> bool:
    """Whether a fuzzy find on a form of one language stands in a text of that language.

    A form listed for one language only ("Israele", "Inde") is near to common
    words of others ("Israeli", "Ende"): spelled otherwise, it links only in text
    of its own language. ``lang`` caches the text's language between calls.
    """
    e = m.entity
    if m.method == "exact" or m.matched in e.canonical_forms or m.matched in e.aliases:
        return True
    langs = {code for code, texts in e.forms.items() if m.matched in texts}
    if not langs:
        return True
    if not lang:
        lang.append(words_language(text))
    return lang[0] in langs


def shared_form_match(ix: Index, m: Match, surface: str, accept: float) -> Match | None:
    """``m`` read against the entity's forms that hold in every language (its names and
    aliases), when one of them scores ``accept`` or more; ``None`` otherwise."""
    if is_arabic_script(surface):
        return None
    e = m.entity
    ei = ix.entity_index(e.id)
    ids = [
        a
        for f in (*e.canonical_forms, *e.aliases)
        for a in ix.exact(surface_norm(f))
        if ix.owner(a) == ei
    ]
    key = name_key(surface)
    if not ids or not key:
        return None
    hits = scored(ix, surface, key, sorted(set(ids)), accept, False)
    if not hits:
        return None
    score, method, ai = max(hits)
    return Match(e, score, method, ix.text(ai))


def plausible_in_text(surface: str, m: Match, *, single: bool) -> bool:
    """Guards for fuzzy finds in running text, where most capitals are not names."""
    if single:
        letters = len(_ANY_LETTER.findall(surface))
        if m.score < _SINGLE_WORD_FUZZY or letters < 4:
            return False
    # A derived word is not its root: "Iraqi" is not "Iraq", "Syrian" not "Syria".
    sk, mk = name_key(surface), name_key(m.matched)
    if sk != mk and (sk.startswith(mk) or mk.startswith(sk)) and abs(len(sk) - len(mk)) <= 4:
        return False
    return True
