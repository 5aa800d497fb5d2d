"""Scoring blocked candidates against a name, and ranking the entities found.

Reach for this module to see how close a name comes to an alias: three spellings
of both (skeleton, key, plain letters) are compared with rapidfuzz, weighted by
script, and one best match per entity is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from canonym.gazetteer.arrays import numpy_module
from canonym.gazetteer.index import Index
from canonym.match.align import edge_extension, reading_similarity
from canonym.match.calibrate import MODEL_TYPES
from canonym.match.memo import form_reading
from canonym.names.keys import skeleton_tokens
from canonym.names.readings import (
    Slot,
    arabic_slots,
    latin_name_slots,
    opens_with_article,
)
from canonym.text.normalize import fold_text

__all__ = ["READ_TYPES", "collect", "scored", "scored_arabic"]


# Weights of the three spellings compared: skeleton, key, plain letters.
_WEIGHTS_LATIN = (0.2, 0.4, 0.4)
# Arabic script leaves short vowels out, so its skeleton and key carry the name
# and its plain letters (a romanization) say little.
_WEIGHTS_ARABIC = (0.5, 0.5, 0.0)


# Transliterations differ inside a name; letters added at its edge make another
# name (Piranshahr and Iranshahr, Adano and Dano) or a derived word (Iraqi).
_EDGE_PENALTY = 0.03


def scored(
    ix: Index, name: str, key: str, ids: list[int], floor: float, arabic: bool
) -> list[tuple[float, str, int]]:
    """Score candidates on three spellings of the name: skeleton, key and plain letters."""
    w_skel, w_key, w_fold = _WEIGHTS_ARABIC if arabic else _WEIGHTS_LATIN
    # The key ratio is computed first and bounds the total: a candidate whose
    # key is too far to reach ``floor`` even with perfect other scores is dropped
    # before the other two ratios are paid for.
    key_cutoff = max(0.0, ((floor - _READ_WINDOW) * 100 - (w_skel + w_fold) * 100) / w_key)
    if key_cutoff > 100:
        return []  # a floor no score can reach (a demanding threshold, raised further)
    hits = process.extract(
        key,
        ix.keys_of(ids),
        scorer=fuzz.ratio,
        limit=_LATIN_SCORED,
        processor=None,
        score_cutoff=key_cutoff,
    )
    if not hits:
        return []
    qskel = " ".join(skeleton_tokens(key))
    qfold = fold_text(name) if w_fold else ""
    bare = key.replace(" ", "")
    near = [ids[i] for _, _, i in hits]
    r_skel = _ratios(qskel, ix.skeletons(near))
    r_fold = _ratios(qfold, ix.folds(near)) if w_fold else []
    out: list[tuple[float, str, int]] = []
    for j, (alias_key, r_key, _) in enumerate(hits):
        score = w_key * r_key + w_skel * r_skel[j]
        if w_fold:
            score += w_fold * r_fold[j]
        score /= 100.0
        if score >= floor - _READ_WINDOW:
            out.append((score, "key" if alias_key == key else "fuzzy", near[j]))
    if not out:
        return out
    # The closest by letters are read letter by letter, as other romanizations write them.
    out.sort(key=lambda t: -t[0])
    slots = latin_name_slots(name)
    read = []
    aligned: dict[str, tuple[float, float]] = {}
    for score, method, a in out[:_LATIN_READ]:
        alias_key = ix.key(a)
        penalty = _EDGE_PENALTY if edge_extension(bare, alias_key.replace(" ", "")) else 0.0
        if ix.entity_type(ix.owner(a)) in READ_TYPES:
            # The reading the blend needs to reach the floor, penalty paid, bounds the
            # alignment; one no reading can reach is not aligned at all.
            need = (floor + penalty - (1 - _READ_WEIGHT) * score) / _READ_WEIGHT
            if need > 1.0:
                continue
            r = _read_once(aligned, slots, alias_key, max(0.0, need))
            score = (1 - _READ_WEIGHT) * score + _READ_WEIGHT * r
        score -= penalty
        if score >= floor:
            read.append((score, method, a))
    return read


def _ratios(query: str, choices: list[str]) -> list[float]:
    """``fuzz.ratio(query, c)`` for each choice, in one call rather than one each."""
    out = [0.0] * len(choices)
    for _, r, i in process.extract(query, choices, scorer=fuzz.ratio, processor=None, limit=None):
        out[i] = r
    return out


def _read_once(
    aligned: dict[str, tuple[float, float]], slots: tuple[Slot, ...], key: str, need: float
) -> float:
    """``reading_similarity(slots, key, "latin", need)``, each key aligned once a name.

    Homonyms and the variants of one place share keys: a third of the keys read
    for a name are read again. A reading found is exact whatever the bound; one
    found too far stays too far for a demand as high or higher.
    """
    seen = aligned.get(key)
    if seen is not None:
        r, asked = seen
        if r > 0.0 or need >= asked:
            return r
    r = reading_similarity(slots, key, "latin", need)
    aligned[key] = (r, need)
    return r


# Place names are read letter by letter (the dev sets they were tuned on are
# places); a person's names keep the ratios, where one given name differing
# makes another person.
READ_TYPES = MODEL_TYPES
_READ_WINDOW = 0.15
_LATIN_SCORED = 60  # the closest keys, of which the fold and skeleton ratios are paid for
_LATIN_READ = 8
_READ_WEIGHT = 0.5

# Aligning readings costs far more than a ratio: only the aliases whose skeleton
# comes this close, and at most this many, are aligned.
_ARABIC_SKELETON_CUTOFF = 60
_ARABIC_ALIGNED = 24
# What a form pays for lacking the article a name in Arabic script writes, and
# for writing one the name lacks: a Latin spelling more often drops the article
# (Zintan for الزنتان) than adds one, and both only a little.
_ARTICLE_MISSING = 0.02
_ARTICLE_ADDED = 0.01


def scored_arabic(
    ix: Index, name: str, key: str, ids: list[int], floor: float, others: Sequence[str] = ()
) -> list[tuple[float, str, int]]:
    """Score candidates for a name in Arabic script by its best reading of each alias key.

    ``others`` are keys of other readings of the name (its two-way letters read the
    other way, ``names.readings.with_other_letters``; an opening glide read as a
    vowel, ``glide_as_vowel``): an alias close to any of them is aligned.
    """
    qskels = [" ".join(skeleton_tokens(k)) for k in (key, *others)]
    slots = arabic_slots(name)
    article = opens_with_article(name)
    out: list[tuple[float, str, int]] = []
    for a in _to_align(ix, key, qskels, ids):
        alias_key = ix.key(a)
        # Keys drop the article on both sides; whether each side writes it still
        # tells homonyms apart (الرس is Ar Rass rather than Rees).
        written, turkish = form_reading(ix, a)
        pen = _ARTICLE_MISSING if article and not written else 0.0
        pen = _ARTICLE_ADDED if written and not article else pen
        score = reading_similarity(slots, alias_key, "arabic", floor + pen) - pen
        if turkish is not None:
            pen += turkish[1]
            read = reading_similarity(slots, turkish[0], "arabic", floor + pen) - pen
            score = max(score, read)
        if score >= floor:
            out.append((score, "key" if alias_key == key else "fuzzy", a))
    return out


def _to_align(ix: Index, key: str, qskels: list[str], ids: list[int]) -> list[int]:
    """The aliases worth aligning with a name in Arabic script: those whose skeleton
    comes within the cutoff of one of the name's, best first, at most ``_ARABIC_ALIGNED``.

    They come in the order of the first of ``qskels`` each comes close to, then by
    its ratio to that one, then in blocking's order; beyond the cap, by their best
    skeleton ratio and key ratio together (that order at a tie).
    """
    skeletons = ix.skeletons(ids)
    np = numpy_module()
    if np is None or len(ids) < _NUMPY_FROM:
        best: dict[int, float] = {}
        for qskel in qskels:
            for _, r, i in process.extract(
                qskel,
                skeletons,
                scorer=fuzz.ratio,
                limit=None,
                processor=None,
                score_cutoff=_ARABIC_SKELETON_CUTOFF,
            ):
                if i not in best or r > best[i]:
                    best[i] = r
        near, r_skel = list(best), list(best.values())
        if len(near) > _ARABIC_ALIGNED:
            # A short skeleton is shared by many names (krm: Karam, Kurma, Karim):
            # among equal skeletons, the key, which keeps the long vowels, chooses the
            # ones worth aligning, so that no homonym of the best is left unread.
            r_key = _ratios(key, ix.keys_of([ids[i] for i in near]))
            order = sorted(range(len(near)), key=lambda j: -(r_skel[j] + r_key[j]))
            near = [near[j] for j in order[:_ARABIC_ALIGNED]]
        return [ids[i] for i in near]
    # The same in numpy: every ratio in one call, the hits ordered by one sort.
    m = process.cdist(
        qskels,
        skeletons,
        scorer=fuzz.ratio,
        processor=None,
        score_cutoff=_ARABIC_SKELETON_CUTOFF,
        dtype=np.float64,
    )
    hit = m >= _ARABIC_SKELETON_CUTOFF
    cols = np.flatnonzero(hit.any(axis=0))
    first = hit[:, cols].argmax(axis=0)
    cols = cols[np.lexsort((cols, -m[first, cols], first))]
    if len(cols) > _ARABIC_ALIGNED:
        near_ids = np.asarray(ids)[cols]
        r_key = process.cdist(
            [key],
            ix.keys_of(near_ids.tolist()),
            scorer=fuzz.ratio,
            processor=None,
            dtype=np.float64,
        )[0]
        total = m[:, cols].max(axis=0) + r_key
        return near_ids[np.argsort(-total, kind="stable")[:_ARABIC_ALIGNED]].tolist()  # type: ignore[no-any-return]
    return [ids[i] for i in cols.tolist()]


# From this many candidates, choosing those to align costs less in numpy.
_NUMPY_FROM = 64


def collect(
    ix: Index, scored: list[tuple[float, str, int]], top: int
) -> list[tuple[int, float, str, int]]:
    """The best (entity, score, method, alias) per entity, best first, at most ``top``."""
    best: dict[int, tuple[float, str, int]] = {}
    for score, method, ai in scored:
        ei = ix.owner(ai)
        if ei not in best or score > best[ei][0]:
            best[ei] = (score, method, ai)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], ix.rank(kv[0]), kv[0]))
    return [(ei, score, method, ai) for ei, (score, method, ai) in ranked[:top]]
