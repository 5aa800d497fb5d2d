"""A review of a corpus run: the spellings it found, and what a reviewer decides about them.

Reach for this module to review an alias table without the web page: ``Review``
reads the table once from the corpus database, lays the stored decisions over
it, and records each new decision in the database at once (a closed page or a
killed server loses nothing). ``canonym.review.output`` turns the decisions into
a gazetteer overlay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canonym.corpus.decisions import NEW_ENTITY
from canonym.corpus.run import results_key
from canonym.corpus.schema import CLAIM_KEY
from canonym.corpus.store import Store, StoreError
from canonym.gazetteer.core import Gazetteer
from canonym.gazetteer.entity import ENTITY_TYPES, FORBIDDEN_IN_NAMES
from canonym.jobs.aliases import AliasVariant, Proposal, build_alias_table

__all__ = ["Review", "ReviewError", "SpellingView", "EntityView", "ProposalView"]

VARIANT, PROPOSAL = "variant", "proposal"  # kinds of decisions in the database
PENDING, ACCEPTED, REJECTED, KNOWN = "pending", "accepted", "rejected", "known"
MERGED, ATTACHED = "merged", "attached"
_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
_LANG = re.compile(r"[a-z]{2,3}")


class ReviewError(Exception):
    """A decision that cannot be taken as asked; the message says what to do."""


@dataclass
class SpellingView:
    """One spelling of a known entity, with the reviewer's decision."""

    variant: AliasVariant
    status: str  # known (listed, or a surname canonym derives), pending, accepted, rejected
    lang: str | None = None  # accepted as the canonical form in this language


@dataclass
class EntityView:
    id: str
    name: str
    type: str
    spellings: list[SpellingView]


@dataclass
class ProposalView:
    """A proposed new entity as the reviewer left it."""

    key: str  # its most frequent spelling: what decisions are stored under
    proposal: Proposal
    id: str
    name: str
    type: str
    status: str  # pending, accepted, rejected, merged (into), attached (to entity)
    into: str | None = None
    entity: str | None = None
    merged: list[Proposal] = field(default_factory=list)  # proposals merged into this one

    @property
    def spellings(self) -> list[tuple[str, int]]:
        """Its own spellings, then those of the proposals merged into it."""
        out = dict(self.proposal.variants)
        for p in self.merged:
            for s, n in p.variants:
                out[s] = out.get(s, 0) + n
        return list(out.items())

    @property
    def count(self) -> int:
        return self.proposal.count + sum(p.count for p in self.merged)


class Review:
    """The alias table of the corpus database at ``path``, and the decisions taken on it."""

    def __init__(self, path: str | Path, gz: Gazetteer, *, min_count: int = 2) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise ReviewError(f"{self.path}: no such corpus database; fill one with "
                              "'canonym aliases build CORPUS --db FILE'")  # fmt: skip
        self.gz = gz
        with self._store() as st:
            self.table = build_alias_table(st, gz, min_count=min_count, keep_rejected=True)
            claimed = st.get_meta(CLAIM_KEY)
        # Spellings of entities the gazetteer lacks are left out; the caller may warn.
        self.other_analysis = claimed is not None and claimed != results_key(gz)
        self._variants = {(v.entity_id, v.variant): v for v in self.table.variants}
        self._proposals = {p.variants[0][0]: p for p in self.table.proposals if p.variants}

    def _store(self) -> Store:
        # One connection per call: a web server answers from several threads.
        try:
            return Store(self.path)
        except StoreError as e:
            raise ReviewError(str(e)) from None

    # -- reading -------------------------------------------------------------------

    def entities(self) -> list[EntityView]:
        with self._store() as st:
            decided = st.decisions(VARIANT)
        out: dict[str, EntityView] = {}
        for v in self.table.variants:
            d = decided.get(_subject(v.entity_id, v.variant), {})
            if v.status in ("listed", "surname"):
                status, lang = KNOWN, None
            else:
                status, lang = str(d.get("status", PENDING)), d.get("lang")
            view = out.setdefault(v.entity_id, EntityView(v.entity_id, v.canonical, v.type, []))
            view.spellings.append(SpellingView(v, status, lang))
        return list(out.values())

    def proposals(self) -> list[ProposalView]:
        with self._store() as st:
            decided = st.decisions(PROPOSAL)
        views: dict[str, ProposalView] = {}
        for key, p in self._proposals.items():
            d = decided.get(key, {})
            views[key] = ProposalView(
                key, p, str(d.get("id", p.id)), str(d.get("name", p.name)),
                str(d.get("type", p.type)), str(d.get("status", PENDING)),
                d.get("into"), d.get("entity"),
            )  # fmt: skip
        for view in views.values():
            if view.status == MERGED:
                home = self._home(view.key, views)
                if home is None:  # the proposal it went into is gone from the corpus
                    view.status, view.into = PENDING, None
                else:
                    views[home].merged.append(view.proposal)
        return list(views.values())

    def _home(self, key: str, views: dict[str, ProposalView]) -> str | None:
        """The proposal a merged one ended up in, following merges of merges."""
        seen = {key}
        while views[key].status == MERGED:
            into = views[key].into
            if into is None or into not in views or into in seen:
                return None
            seen.add(into)
            key = into
        return key

    def proposal(self, key: str) -> ProposalView:
        for view in self.proposals():
            if view.key == key:
                return view
        raise ReviewError(f"no proposed entity '{key}' in {self.path}; reload the page")

    def search(self, query: str, *, limit: int = 8) -> list[dict[str, Any]]:
        """Known entities a name may stand for, best first, for attaching a proposal."""
        query = query.strip()[:200]
        if not query:
            return []
        if query in self.gz:
            e = self.gz.get(query)
            return [{"id": e.id, "name": e.name, "type": e.type, "score": 1.0}]
        return [
            {"id": m.entity.id, "name": m.entity.name, "type": m.entity.type,
             "score": round(m.score, 3)}
            for m in self.gz.resolve(query, top=limit, similar=True)
        ]  # fmt: skip

    # -- spellings of known entities -----------------------------------------------

    def _variant(self, entity_id: str, surface: str) -> AliasVariant:
        v = self._variants.get((entity_id, surface))
        if v is None:
            raise ReviewError(f"'{surface}' is not a spelling of {entity_id} in {self.path}")
        if v.status in ("listed", "surname"):
            raise ReviewError(f"'{surface}' is already known for {entity_id}: nothing to decide")
        return v

    def accept_spelling(self, entity_id: str, surface: str, *, lang: str | None = None) -> None:
        """Accept a spelling as an alias, or with ``lang`` as the form for that language."""
        self._variant(entity_id, surface)
        decision: dict[str, Any] = {"status": ACCEPTED}
        if lang:
            if not _LANG.fullmatch(lang):
                raise ReviewError(f"'{lang}' is not a language code (two or three letters: fr)")
            decision["lang"] = lang
        with self._store() as st:
            st.unreject(entity_id, [surface])
            st.set_decision(VARIANT, _subject(entity_id, surface), decision)

    def reject_spelling(self, entity_id: str, surface: str) -> None:
        self._variant(entity_id, surface)
        with self._store() as st:
            st.reject(entity_id, [surface])
            st.set_decision(VARIANT, _subject(entity_id, surface), {"status": REJECTED})

    def undo_spelling(self, entity_id: str, surface: str) -> None:
        self._variant(entity_id, surface)
        with self._store() as st:
            st.unreject(entity_id, [surface])
            st.clear_decision(VARIANT, _subject(entity_id, surface))

    # -- proposed entities ---------------------------------------------------------

    def _save(self, view: ProposalView, **changes: Any) -> None:
        d = {"status": view.status, "id": view.id, "name": view.name, "type": view.type}
        d.update(changes)
        d = {k: v for k, v in d.items() if v is not None}
        with self._store() as st:
            st.set_decision(PROPOSAL, view.key, d)

    def edit_proposal(self, key: str, *, id: str, name: str, type: str) -> None:
        """Change a proposal's id, canonical name and type."""
        view = self.proposal(key)
        id, name = id.strip(), name.strip()
        if not _ID.fullmatch(id):
            raise ReviewError(f"id '{id}': use lower-case letters, digits, '-', '.' or '_'")
        if id in self.gz:
            raise ReviewError(f"id '{id}' belongs to {self.gz.get(id).name}; attach instead")
        if any(p.id == id and p.key != key for p in self.proposals() if p.status != MERGED):
            raise ReviewError(f"id '{id}' is another proposal's; choose another id")
        if not name or len(name) > 200 or FORBIDDEN_IN_NAMES.search(name):
            raise ReviewError("the name must be 1 to 200 characters, without control characters")
        if type not in ENTITY_TYPES:
            raise ReviewError(f"type '{type}' is not one of {', '.join(ENTITY_TYPES)}")
        self._save(view, id=id, name=name, type=type, into=view.into, entity=view.entity)

    def accept_proposal(self, key: str) -> None:
        """Accept a proposal as a new entity."""
        view = self.proposal(key)
        self._unreject(view)
        self._save(view, status=ACCEPTED)

    def reject_proposal(self, key: str) -> None:
        """Reject a proposal: its spellings are not proposed again."""
        view = self.proposal(key)
        with self._store() as st:
            st.reject(NEW_ENTITY, [s for s, _ in view.spellings])
        self._save(view, status=REJECTED)

    def undo_proposal(self, key: str) -> None:
        view = self.proposal(key)
        self._unreject(view)
        self._save(view, status=PENDING)

    def merge_proposals(self, key: str, into: str) -> None:
        """Merge the proposal ``key`` into ``into``: one entity with the spellings of both."""
        view = self.proposal(key)
        target = self.proposal(into)
        views = {v.key: v for v in self.proposals()}
        home = self._home(into, views) if target.status == MERGED else into
        if home is None or home == key:
            raise ReviewError("a proposal cannot be merged into itself; choose another one")
        if view.merged:
            raise ReviewError(f"'{key}' holds merged proposals; merge '{into}' into it instead")
        self._unreject(view)
        self._save(view, status=MERGED, into=home)

    def attach_proposal(self, key: str, entity_id: str) -> None:
        """Make a proposal's spellings aliases of the known entity ``entity_id``."""
        view = self.proposal(key)
        entity_id = entity_id.strip()
        if entity_id not in self.gz:
            found = self.search(entity_id, limit=3)
            hint = f" (did you mean {found[0]['id']}?)" if found else ""
            raise ReviewError(f"no entity with the id '{entity_id}'{hint}")
        self._unreject(view)
        self._save(view, status=ATTACHED, entity=entity_id)

    def _unreject(self, view: ProposalView) -> None:
        with self._store() as st:
            st.unreject(NEW_ENTITY, [s for s, _ in view.spellings])


def _subject(entity_id: str, surface: str) -> str:
    return f"{entity_id}\t{surface}"  # a tab: no entity id or name holds one
