"""Alias tables: every spelling a corpus uses for each entity, and names no gazetteer knows.

Reach for this module after a corpus run to see how the corpus actually writes
names: each (entity, variant) pair with its count, languages, documents and an
example, and groups of unknown names that look like one new entity (same key, or
close enough that the resolver would link them). ``patch_entities`` turns both
into a gazetteer patch for review and ``canonym gazetteer merge``. Spellings a
reviewer rejected (``canonym review``) are marked, never patched, and not proposed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass, field
from typing import Any, TextIO

from canonym.corpus.decisions import NEW_ENTITY
from canonym.corpus.store import Store
from canonym.gazetteer.core import Gazetteer
from canonym.gazetteer.entity import PLACE_FACTS, Entity, Forms
from canonym.gazetteer.index import short_forms
from canonym.jobs.naming import (
    CONTEXTS_READ,
    english_spelling,
    guess_country,
    guess_type,
    is_cue_word,
    language_forms,
    region_countries,
)
from canonym.names.keys import KEY_PREFIX, name_key
from canonym.names.suffixes import is_inflection
from canonym.normalize.scan import plain_lower, word_lists
from canonym.text.normalize import surface_norm
from canonym.text.scripts import is_arabic_script

__all__ = ["AliasVariant", "Proposal", "AliasTable", "build_alias_table", "CSV_COLUMNS"]

CSV_COLUMNS = (
    "entity_id", "canonical", "type", "variant", "status", "count", "documents",
    "languages", "first_document", "last_document", "methods", "example", *PLACE_FACTS,
)  # fmt: skip


@dataclass
class AliasVariant:
    """One spelling of a known entity in the corpus."""

    entity_id: str
    canonical: str
    type: str
    variant: str
    listed: bool  # the gazetteer already lists this spelling
    short: bool  # a surname form canonym derives itself (Soudani for al-Sudani)
    count: int
    documents: int
    languages: list[str]
    first_document: str
    last_document: str
    methods: list[str]
    example: str
    rejected: bool = False  # a reviewer turned it down: never patched
    # A listed form in the grammar of its documents' language ("Roten Meer"): the
    # matcher reads it as the form already.
    inflected: bool = False
    # The entity's, where the gazetteer gives them: to map what a corpus names.
    country: str | None = None
    kind: str | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def status(self) -> str:
        if self.listed:
            return "listed"
        if self.inflected:
            return "inflected"
        if self.methods and set(self.methods) <= _BY_DOCUMENT:
            # Linked only by what the rest of its document says (a surname named in
            # full, a group's one word, a city in a list of divisions): no alias.
            return "in-context"
        return "rejected" if self.rejected else "surname" if self.short else "new-alias"


_BY_DOCUMENT = frozenset({"context", "document"})


def _inflected(surface: str, forms: tuple[str, ...], langs: list[str]) -> bool:
    """Whether ``surface`` is one of ``forms`` inflected in one of ``langs``."""
    return any(is_inflection(surface, f, lang) for lang in langs for f in forms if f != surface)


@dataclass
class Proposal:
    """Unknown spellings that look like one new entity."""

    id: str
    name: str
    type: str
    variants: list[tuple[str, int]]  # (spelling, count), most frequent first
    count: int
    documents: int
    languages: list[str]
    example: str
    # Per language other than English, the spelling its documents write, where that is
    # not ``name``: the entity's ``forms`` in a patch.
    forms: dict[str, list[str]] = field(default_factory=dict)
    country: str | None = None  # a place's, from the country written beside its mentions


@dataclass
class AliasTable:
    variants: list[AliasVariant] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "variants": [{**asdict(v), "status": v.status} for v in self.variants],
            "proposals": [asdict(p) for p in self.proposals],
        }

    def write_csv(self, out: TextIO) -> None:
        """One row per entity-variant pair; proposed entities carry status ``proposed``."""
        w = csv.writer(out)
        w.writerow(CSV_COLUMNS)
        for v in self.variants:
            w.writerow(_safe_cells([
                v.entity_id, v.canonical, v.type, v.variant, v.status, v.count, v.documents,
                " ".join(v.languages), v.first_document, v.last_document, " ".join(v.methods),
                v.example, *_blank_none(v.country, v.kind, v.lat, v.lon),
            ]))  # fmt: skip
        for p in self.proposals:
            for spelling, count in p.variants:
                w.writerow(_safe_cells([
                    p.id, p.name, p.type, spelling, "proposed", count, p.documents,
                    " ".join(p.languages), "", "", "", p.example, p.country or "",
                    *[""] * (len(PLACE_FACTS) - 1),
                ]))  # fmt: skip

    def patch_entities(self, gz: Gazetteer) -> list[Entity]:
        """New aliases for known entities, then proposed entities, in gazetteer form."""
        out: list[Entity] = []
        by_entity: dict[str, list[str]] = {}
        for v in self.variants:
            if v.status == "new-alias":
                by_entity.setdefault(v.entity_id, []).append(v.variant)
        for eid, forms in by_entity.items():
            e = gz.get(eid)
            out.append(Entity(id=e.id, name=e.name, type=e.type, aliases=tuple(forms)))
        for p in self.proposals:
            formed = {p.name, *(t for texts in p.forms.values() for t in texts)}
            out.append(
                Entity(
                    id=p.id,
                    name=p.name,
                    type=p.type,
                    aliases=tuple(s for s, _ in p.variants if s not in formed),
                    forms=Forms(p.forms),
                    country=p.country,
                    description=f"Proposed from {p.count} mentions in {p.documents} documents; "
                    "review before merging.",
                )
            )
        return out


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _blank_none(*cells: str | float | None) -> list[str | float]:
    return ["" if c is None else c for c in cells]


def _safe_cells(row: list[str | int | float]) -> list[str | int | float]:
    """Text cells that would open as formulas get a leading ``'``, read as "this is text".

    Document ids, names and contexts come from the corpus, so a cell like
    ``=HYPERLINK(...)`` is someone else's text; counts stay numbers.
    """
    return [f"'{c}" if isinstance(c, str) and c.startswith(_FORMULA_START) else c for c in row]


def _slug(text: str) -> str:
    from unidecode import unidecode

    return re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-") or "name"


def build_alias_table(
    store: Store,
    gz: Gazetteer,
    *,
    min_count: int = 2,
    min_documents: int = 1,
    keep_rejected: bool = False,
) -> AliasTable:
    """Variants of known entities, and proposals for unknown names seen ``min_count`` times.

    Counts cover the documents of the run that filled ``store`` (all of them when
    no run did), not other corpora stored in the same database. Rejected spellings
    of unknown names are left out of the proposals unless ``keep_rejected`` (a
    review shows them, to take a rejection back).
    """
    table = AliasTable()
    store.index_unresolved()
    rejected = store.rejected()
    rows = list(store.entity_variants())
    docs = store.document_names({int(r["first"]) for r in rows} | {int(r["last"]) for r in rows})
    for r in rows:
        eid = str(r["entity_id"])
        if eid not in gz:
            continue  # the gazetteer changed since; the next run will redo these
        e = gz.get(eid)
        listed = {surface_norm(f) for f in e.known_forms}
        langs = sorted(set(str(r["langs"] or "").split(",")) - {""})
        forms = e.known_forms if e.type == "person" else ()
        shorts = {name_key(s) for f in forms for s in short_forms(f)}
        table.variants.append(
            AliasVariant(
                entity_id=eid,
                canonical=e.name,
                type=e.type,
                variant=str(r["surface"]),
                listed=surface_norm(str(r["surface"])) in listed,
                short=name_key(str(r["surface"])) in shorts,
                count=int(r["n"]),
                documents=int(r["docs"]),
                languages=langs,
                first_document=docs.get(int(r["first"]), ""),
                last_document=docs.get(int(r["last"]), ""),
                methods=sorted(set(str(r["methods"] or "").split(",")) - {""}),
                example=str(r["example"]),
                rejected=(eid, str(r["surface"])) in rejected,
                inflected=_inflected(str(r["surface"]), e.known_forms, langs),
                **e.place_facts(),
            )
        )
    skip = set() if keep_rejected else {s for e, s in rejected if e == NEW_ENTITY}
    table.proposals = _propose(
        store, gz, min_count=min_count, min_documents=min_documents, skip=skip
    )
    return table


def _derived(word: str, gz: Gazetteer) -> bool:
    """Whether a word is a known name plus an ending: Iraqi, Syrian, Israeli."""
    key = name_key(word)
    return any(gz.index.has_key(key[:-k]) for k in range(1, 5) if len(key) - k >= 3)


# Endings of adjectives and demonyms made from names (Kurdish, Lebanese, Syrian,
# libanais, syrienne, irakisch, iraní), and the Arabic nisba (السوري, العسكري).
_ADJECTIVE = re.compile(
    r"(?:ish|ese|ian|ans?|ais|aise|ien|ienne|isch|ische[nrs]?|ano|ana|ani|ien|ienne)$"
    r"|[\u064a\u0629]$|\u064a\u0629$"
)


def _common_word(word: str, gz: Gazetteer) -> bool:
    """Whether one word is not worth proposing: a function word, title or word that
    types names (Commander, province), a form the gazetteer already lists (once
    folded), or an adjective made from a name."""
    stop, titles, _ = word_lists()
    low = plain_lower(word)
    if low in stop or low in titles or is_cue_word(word):
        return True
    key = name_key(word)
    if gz.index.exact(surface_norm(word)) or gz.index.has_key(key):
        return True
    if gz.index.key_steps.get(key, 0) & KEY_PREFIX:
        return True  # the first word of listed names (Gaza of Gaza Strip): not new
    if is_arabic_script(word):
        return _ADJECTIVE.search(word) is not None  # the nisba: an adjective, not a name
    stem = _ADJECTIVE.sub("", low)
    if stem == low or len(stem) < 3:
        return False
    stem_key = name_key(stem)
    return bool(stem_key) and gz.index.has_key_prefix(stem_key)


def _propose(
    store: Store, gz: Gazetteer, *, min_count: int, min_documents: int, skip: set[str]
) -> list[Proposal]:
    """Group unknown spellings: same key first, then what the resolver would link."""
    unknown = [r for r in store.unresolved_surfaces() if str(r["surface"]) not in skip]
    places = region_countries(gz)
    by_language: dict[str, dict[str, int]] = {}
    for r in store.unresolved_languages():
        by_language.setdefault(str(r["surface"]), {})[str(r["lang"] or "")] = int(r["n"])
    groups: dict[str, list[Any]] = {}
    for r in unknown:
        key = name_key(str(r["surface"]))
        if key:
            groups.setdefault(key, []).append(r)
    keys = list(groups)
    # Merge key groups that a gazetteer of the groups themselves would link.
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    reps = [Entity(id=f"g{i}", name=max(groups[k], key=lambda r: r["n"])["surface"], type="other")
            for i, k in enumerate(keys)]  # fmt: skip
    if len(reps) > 1:
        local = Gazetteer.from_entities(reps)
        for i, k in enumerate(keys):
            for m in local.resolve(reps[i].name, top=3, similar=True):
                j = int(m.entity.id[1:])
                if j != i and m.method in ("key", "fuzzy"):
                    parent[find(keys[j])] = find(k)
    merged: dict[str, list[Any]] = {}
    for k in keys:
        merged.setdefault(find(k), []).extend(groups[k])
    proposals: list[Proposal] = []
    taken: set[str] = set()
    for members in merged.values():
        members.sort(key=lambda r: (-int(r["n"]), str(r["surface"])))
        count = sum(int(r["n"]) for r in members)
        spellings = [(str(r["surface"]), int(r["n"])) for r in members]
        documents = store.documents_with_unresolved([s for s, _ in spellings])
        name = english_spelling(spellings, by_language)
        multiword = any(len(str(r["surface"]).split()) > 1 for r in members)
        langs = {lang for r in members for lang in str(r["langs"] or "").split(",") if lang}
        if count < min_count or documents < min_documents:
            continue
        if not multiword and (
            documents < 2 or langs <= {"de"} or _derived(name, gz) or _common_word(name, gz)
        ):  # a lone capitalized word: a German noun, a demonym, a sentence opener
            continue
        pid = f"new-{_slug(name)}"
        while pid in taken:
            pid += "-x"
        taken.add(pid)
        contexts = store.unresolved_contexts([s for s, _ in spellings], CONTEXTS_READ)
        kind = guess_type([s for s, _ in spellings], contexts, places)
        proposals.append(
            Proposal(
                id=pid,
                name=name,
                type=kind,
                variants=spellings,
                count=count,
                documents=documents,
                languages=sorted(langs),
                example=str(members[0]["example"]),
                forms=language_forms(spellings, by_language, name),
                country=guess_country(contexts, places) if kind == "place" else None,
            )
        )
    proposals.sort(key=lambda p: (-p.count, p.id))
    return proposals
