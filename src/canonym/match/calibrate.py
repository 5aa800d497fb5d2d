"""How likely a name's best candidate is right: a logistic model over match features.

Reach for this module when a similarity must become a decision. ``features`` describes
the best candidate and its runner-up (score, lead, key and skeleton agreement,
the letter-by-letter reading, length); ``probability`` weighs them with the
coefficients in ``data/calibration.yaml``, fitted on held-out name sets by
``bench/calibrate.py`` (logistic regression, reproducible from the sets).
"""

from __future__ import annotations

import math
from functools import lru_cache

from rapidfuzz import fuzz

from canonym.data import load_data
from canonym.match.align import consonants, edge_extension, reading_similarity
from canonym.names.keys import name_key, name_skeleton
from canonym.names.readings import arabic_slots, latin_name_slots
from canonym.text.normalize import fold_text
from canonym.text.scripts import is_arabic_script

__all__ = ["FEATURES", "MODEL_TYPES", "contributions", "decides", "features", "probability"]

FEATURES = (
    "bias", "score", "lead", "same_key", "same_skeleton", "length", "reading",
    "letters", "words", "consonants", "length_gap", "not_place",
)  # fmt: skip
# In Latin script the model is fitted on place names read as unlisted spellings.
# A person's names differ by one given name (Masrour and Masoud Barzani), and
# letters added at a name's edge make another name or a derived word
# (Piranshahr, Iraqi): those keep the score rule.
MODEL_TYPES = frozenset({"place"})
# Below the acceptance, a runner-up this far down is as good as none.
_NO_RIVAL = 0.15


def decides(name: str, method: str, entity_type: str, matched: str) -> bool:
    """Whether the model, rather than the score alone, decides on this best candidate."""
    if method in ("exact", "alias"):
        return False
    if is_arabic_script(name):
        return True  # fitted on names of people and places; the reading pays for every letter
    if entity_type not in MODEL_TYPES:
        return False
    bare = name_key(name).replace(" ", "")
    return not edge_extension(bare, name_key(matched).replace(" ", ""))


def features(
    name: str,
    matched: str,
    score: float,
    runner_up: float | None,
    arabic: bool,
    entity_type: str = "place",
) -> list[float]:
    """The features of a name's best candidate (``matched`` the form it matched, of an
    entity of type ``entity_type``)."""
    key, form_key = name_key(name), name_key(matched)
    lead = _NO_RIVAL if runner_up is None else min(score - runner_up, _NO_RIVAL)
    if arabic:
        slots = arabic_slots(name)
        reading = reading_similarity(slots, form_key)
        letters = 0.0
        n = consonants(slots)
    else:
        reading = reading_similarity(latin_name_slots(name), form_key, "latin")
        letters = fuzz.ratio(fold_text(name), fold_text(matched)) / 100.0
        n = sum(1 for ch in key if ch not in "aiuwy ")
    return [
        1.0,
        (score - 0.9) * 10,
        lead * 10,
        float(key == form_key),
        float(name_skeleton(name) == name_skeleton(matched)),
        min(len(key), 15) / 15,
        reading,
        letters,
        float(" " in key),
        min(n, 8) / 8,
        # Letters one side has and the other lacks make another name more often
        # than a spelling does (Balata and Balta, Neva and Neiva).
        min(abs(len(key.replace(" ", "")) - len(form_key.replace(" ", ""))), 4) / 4,
        # Place names crowd together (a gazetteer lists many towns a letter apart, and
        # more go unlisted), so a place read alike is a weaker sign than a person.
        float(entity_type != "place"),
    ]


@lru_cache(maxsize=2)
def _weights(script: str) -> tuple[float, ...]:
    table = load_data("calibration.yaml")[script]
    return tuple(float(table[f]) for f in FEATURES)


def probability(values: list[float], arabic: bool) -> float:
    """The fitted probability that a candidate with these features is the right entity."""
    w = _weights("arabic" if arabic else "latin")
    z = sum(a * b for a, b in zip(w, values, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def contributions(values: list[float], arabic: bool) -> list[tuple[str, float]]:
    """What each feature adds to the model's log-odds (weight times value), bias aside."""
    w = _weights("arabic" if arabic else "latin")
    return [(f, a * b) for f, a, b in zip(FEATURES, w, values, strict=True) if f != "bias"]
