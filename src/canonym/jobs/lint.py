"""Name-consistency findings over a processed corpus, like a linter's.

Reach for this module after a corpus run to list where names stray from their
canonical spelling. Three rules, each finding with document, line and column:

- ``non-canonical``: a mention that normalizing would rewrite;
- ``mixed-spellings``: one document writes an entity in two or more ways;
- ``corpus-variants``: the corpus writes an entity in N or more ways.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import asdict, dataclass
from itertools import groupby
from typing import Any

from canonym.corpus.store import Store
from canonym.names.particles import particles
from canonym.text.normalize import drop_leading_article

__all__ = ["Finding", "RULES", "check_store", "iter_findings"]

RULES = {
    "non-canonical": "a spelling that is not the canonical form",
    "mixed-spellings": "one document spells an entity in more than one way",
    "corpus-variants": "the corpus spells an entity in several ways",
}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    doc_id: str
    source: str
    line: int
    col: int
    entity_id: str
    surface: str
    canonical: str
    message: str
    context: str
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _variants_text(counts: dict[str, int]) -> str:
    return ", ".join(
        f"{s} ({n})" for s, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def check_store(
    store: Store, *, ignore: Collection[str] = (), min_variants: int = 2
) -> list[Finding]:
    """Every finding, ordered by document, line and column (corpus-wide ones last)."""
    return list(iter_findings(store, ignore=ignore, min_variants=min_variants))


def iter_findings(
    store: Store, *, ignore: Collection[str] = (), min_variants: int = 2
) -> Iterator[Finding]:
    """Findings one document at a time, then the corpus-wide ones.

    Memory holds one document's mentions and a count per entity spelling, never
    the corpus: reports of any size stream.
    """
    order = {rule: i for i, rule in enumerate(RULES)}
    # The documents of the run that filled ``store``: another corpus stored in the
    # same database, or a file since deleted, is not reported (nor fixed).
    rows = store.query(
        "SELECT s.doc_id, s.source, s.path, m.line, m.col, m.surface, m.replacement, "
        f"m.canonical, m.entity_id, m.context FROM {store.sources_table} s "
        "JOIN mentions m ON m.hash = s.hash "
        "WHERE m.status = 'resolved' ORDER BY s.source, m.line, m.col"
    )
    first_seen: dict[str, Any] = {}
    for source, doc_rows in groupby(rows, key=lambda r: r["source"]):
        found: list[Finding] = []
        # Spellings are compared per canonical form: "al-Sudani" after "Mohammed Shia
        # al-Sudani" is a second accepted form, not a second spelling.
        spellings: dict[str, dict[str, dict[str, int]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(int))
        )
        first_here: dict[str, Any] = {}
        for r in doc_rows:
            eid = str(r["entity_id"])
            if eid in ignore:
                continue
            surface, replacement = str(r["surface"]), str(r["replacement"])
            spellings[eid][_spelling(replacement)][surface] += 1
            first_here.setdefault(eid, r)
            first_seen.setdefault(eid, r)
            if surface != replacement:
                found.append(
                    Finding(
                        "non-canonical", r["doc_id"], source, int(r["line"]), int(r["col"]),
                        eid, surface, replacement,
                        f"'{surface}' is not canonical; write '{replacement}'",
                        r["context"], r["path"],
                    )
                )  # fmt: skip
        for eid, by_target in spellings.items():
            mixed = {t: c for t, c in by_target.items() if len({_spelling(x) for x in c}) > 1}
            if not mixed:
                continue
            r = first_here[eid]
            counts = {x: n for c in mixed.values() for x, n in c.items()}
            n_ways = len({_spelling(x) for x in counts})
            found.append(
                Finding(
                    "mixed-spellings", r["doc_id"], source, int(r["line"]), int(r["col"]),
                    eid, str(r["surface"]), str(r["canonical"]),
                    f"{r['canonical']} is spelled {n_ways} ways here: {_variants_text(counts)}",
                    r["context"], r["path"],
                )
            )  # fmt: skip
        found.sort(key=lambda f: (f.line, f.col, order[f.rule]))
        yield from found
    yield from _corpus_variants(store, first_seen, ignore, min_variants)


def _corpus_variants(
    store: Store, first_seen: dict[str, Any], ignore: Collection[str], min_variants: int
) -> Iterator[Finding]:
    """Entities the corpus spells several ways, counted once per document."""
    by_entity: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for r in store.query(
        "SELECT entity_id, replacement, surface, COUNT(*) AS n FROM mentions "
        f"WHERE status = 'resolved' AND hash IN (SELECT hash FROM {store.sources_table}) "
        "GROUP BY entity_id, replacement, surface"
    ):
        eid = str(r["entity_id"])
        if eid not in ignore and eid in first_seen:
            by_entity[eid][_spelling(str(r["replacement"]))][str(r["surface"])] += int(r["n"])
    wide: list[tuple[int, Finding]] = []
    for eid, by_target in by_entity.items():
        varied = {
            t: c for t, c in by_target.items() if len({_spelling(x) for x in c}) >= min_variants
        }
        if not varied:
            continue
        counts = {x: n for c in varied.values() for x, n in c.items()}
        n_ways = len({_spelling(x) for x in counts})
        r = first_seen[eid]
        wide.append(
            (
                n_ways,
                Finding(
                    "corpus-variants", r["doc_id"], r["source"], int(r["line"]), int(r["col"]),
                    eid, str(r["surface"]), str(r["canonical"]),
                    f"{r['canonical']} is spelled {n_ways} ways across the corpus: "
                    f"{_variants_text(counts)}",
                    r["context"], r["path"],
                ),
            )
        )  # fmt: skip
    wide.sort(key=lambda nf: (-nf[0], nf[1].entity_id))
    for _, f in wide:
        yield f


def _spelling(s: str) -> str:
    """A spelling as the linter compares it: case and a leading article do not count."""
    return drop_leading_article(s.casefold(), particles().spelling_articles, before_word=False)
