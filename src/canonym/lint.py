"""Name-consistency findings over a processed corpus, like a linter's.

Reach for this module after a corpus run to list where names stray from their
canonical spelling. Three rules, each finding with document, line and column:

- ``non-canonical``: a mention that normalizing would rewrite;
- ``mixed-spellings``: one document writes an entity in two or more ways;
- ``corpus-variants``: the corpus writes an entity in N or more ways.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import asdict, dataclass
from typing import Any

from canonym.store import Store

__all__ = ["Finding", "RULES", "check_store"]

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
    rows = store.query(
        "SELECT s.doc_id, s.source, s.path, m.hash, m.line, m.col, m.surface, m.replacement, "
        "m.canonical, m.entity_id, m.context FROM mentions m JOIN sources s ON s.hash = m.hash "
        "WHERE m.status = 'resolved' ORDER BY s.source, m.line, m.col"
    )
    findings: list[Finding] = []
    # Spellings are compared per canonical form: "al-Sudani" after "Mohammed Shia
    # al-Sudani" is a second accepted form, not a second spelling.
    per_doc: dict[tuple[str, str], dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    first_at: dict[tuple[str, str], Any] = {}
    corpus: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    corpus_first: dict[str, Any] = {}
    counted: set[tuple[str, str, int, int]] = set()  # a document under two sources counts once
    for r in rows:
        eid = str(r["entity_id"])
        if eid in ignore:
            continue
        surface, replacement = str(r["surface"]), str(r["replacement"])
        target = _spelling(replacement)
        per_doc[(r["source"], eid)][target][surface] += 1
        first_at.setdefault((r["source"], eid), r)
        where = (str(r["hash"]), eid, int(r["line"]), int(r["col"]))
        if where not in counted:
            counted.add(where)
            corpus[eid][target][surface] += 1
            corpus_first.setdefault(eid, r)
        if surface != replacement:
            findings.append(
                Finding(
                    "non-canonical", r["doc_id"], r["source"], int(r["line"]), int(r["col"]),
                    eid, surface, replacement,
                    f"'{surface}' is not canonical; write '{replacement}'",
                    r["context"], r["path"],
                )
            )  # fmt: skip
    for (source, eid), by_target in per_doc.items():
        mixed = {t: c for t, c in by_target.items() if len({_spelling(s) for s in c}) > 1}
        if mixed:
            r = first_at[(source, eid)]
            counts = {s: n for c in mixed.values() for s, n in c.items()}
            findings.append(
                Finding(
                    "mixed-spellings", r["doc_id"], source, int(r["line"]), int(r["col"]),
                    eid, str(r["surface"]), str(r["canonical"]),
                    f"{r['canonical']} is spelled {len({_spelling(s) for s in counts})} ways here: "
                    f"{_variants_text(counts)}",
                    r["context"], r["path"],
                )
            )  # fmt: skip
    order = {rule: i for i, rule in enumerate(RULES)}
    findings.sort(key=lambda f: (f.source, f.line, f.col, order[f.rule]))
    wide: list[tuple[int, Finding]] = []
    for eid, by_target in corpus.items():
        varied = {
            t: c for t, c in by_target.items() if len({_spelling(s) for s in c}) >= min_variants
        }
        if not varied:
            continue
        counts = {s: n for c in varied.values() for s, n in c.items()}
        n_ways = len({_spelling(s) for s in counts})
        r = corpus_first[eid]
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
    return findings + [f for _, f in wide]


def _spelling(s: str) -> str:
    """A spelling as the linter compares it: case and a leading article do not count."""
    low = s.casefold()
    for art in ("al-", "el-", "al ", "el "):
        if low.startswith(art):
            return low[len(art) :]
    return low
