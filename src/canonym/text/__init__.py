"""Text primitives that know nothing of names: scripts, normal forms, words.

``scripts`` is the one script detector (Unicode ranges, script labels, letter
shares), ``normalize`` the one family of string normal forms (surface, fold,
leading article), ``tokenize`` the one word pattern with the possessive and
dotted-abbreviation rules, ``protect`` the regions that are not prose (URLs,
handles, markup, code).
"""

from canonym.text.normalize import drop_leading_article, fold_letters, fold_text, surface_norm
from canonym.text.protect import mask_protected, protected_spans
from canonym.text.scripts import form_script, is_arabic_script, script_of
from canonym.text.tokenize import TOKEN_RE, Token, cap_like, is_dotted, possessive_stem

__all__ = [
    "TOKEN_RE",
    "Token",
    "cap_like",
    "drop_leading_article",
    "fold_letters",
    "fold_text",
    "form_script",
    "is_arabic_script",
    "is_dotted",
    "mask_protected",
    "possessive_stem",
    "protected_spans",
    "script_of",
    "surface_norm",
]
