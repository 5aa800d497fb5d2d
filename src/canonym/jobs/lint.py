"""Name-consistency findings over a processed corpus, like a linter's.

Reach for this module after a corpus run to list where names stray from their
canonical spelling. Three rules (see :mod:`canonym.jobs.rules`), each finding
with document, line and column:

- ``CN001 non-canonical``: a mention that normalizing would rewrite;
- ``CN002 mixed-spellings``: one document writes an entity in two or more ways;
- ``CN003 corpus-variants``: the corpus writes an entity in N or more ways,
  reported where a variant is first written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from itertools import groupby
from typing import TYPE_CHECKING, Any

from canonym.corpus.store import Store
from canonym.jobs.rules import REGISTRY, Severity, resolve
from canonym.names.particles import particles
from canonym.text.normalize import drop_leading_article

if TYPE_CHECKING:
    from canonym.gazetteer.core import Gazetteer

__all__ = ["Finding", "RULES", "check_store", "iter_findings"]

RULES = {r.name: r.summary for r in REGISTRY}
_ORDER = {r.name: i for i, r in enumerate(REGISTRY)}

Counts = dict[str, dict[str, dict[str, int]]]  # entity -> target spelling -> surface -> n


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
    code: str = ""
    severity: str = ""
    language: str | None = None  # the document's, as detected when it was analyzed
    # The surface ends on ``end_line`` just before ``end_col`` (columns count from 1).
    end_line: int = 0
    end_col: int = 0
    replacement: str | None = None  # non-canonical: the text that replaces the surface
    # The entity's country, kind and coordinates, where the gazetteer gives them.
    country: str | None = None
    kind: str | None = None
    lat: float | None = None
    lon: float | None = None

    def __post_init__(self) -> None:
        # A finding made by hand (tests, other tools) still names its code and severity.
        rule = resolve(self.rule) if not (self.code and self.severity) else None
        if rule is not None and not self.code:
            object.__setattr__(self, "code", rule.code)
        if rule is not None and not self.severity:
            object.__setattr__(self, "severity", rule.severity.name)

    def to_dict(self) -> dict[str, Any]:
        # Every field is a scalar: no deep copy (dataclasses.asdict) to make.
        return {name: getattr(self, name) for name in _FIELDS}


_FIELDS = tuple(f.name for f in fields(Finding))


def _one_line(s: str) -> str:
    """A name as a message quotes it: a mention wrapped across lines reads as one."""
    return " ".join(s.split())


def _ways(counts: dict[str, int]) -> list[tuple[str, int]]:
    """One entry per spelling (case and article folded), the commonest surface shown."""
    groups: dict[str, dict[str, int]] = defaultdict(dict)
    for surface, n in counts.items():
        groups[_spelling(surface)][_one_line(surface)] = n
    ways = [(min(g, key=lambda s: (-g[s], s)), sum(g.values())) for g in groups.values()]
    return sorted(ways, key=lambda sn: (-sn[1], sn[0]))


def _ways_text(ways: list[tuple[str, int]]) -> str:
    return ", ".join(f"{s} ({n})" for s, n in ways)


def check_store(store: Store, **options: Any) -> list[Finding]:
    """Every finding, ordered by document, line and column."""
    return list(iter_findings(store, **options))


def iter_findings(
    store: Store,
    *,
    ignore: Collection[str] = (),
    min_variants: int = 2,
    rules: Collection[str] | None = None,
    severity: Mapping[str, Severity] | None = None,
    min_severity: Severity = Severity.suggestion,
    gazetteer: Gazetteer | None = None,
) -> Iterator[Finding]:
    """Findings one document at a time, each document's in position order.

    ``ignore`` names entities to leave alone, ``rules`` the rules to run (codes or
    names; all when None), ``severity`` overrides per rule. With the ``gazetteer``
    the corpus was analyzed with, each finding carries its entity's country, kind,
    lat and lon. Memory holds one document's mentions and a count per entity
    spelling, never the corpus.
    """
    sev = {r.name: r.severity for r in REGISTRY}
    sev.update({resolve(k).name: v for k, v in (severity or {}).items()})
    run = {r.name for r in REGISTRY} if rules is None else {resolve(k).name for k in rules}
    run = {name for name in run if sev[name] >= min_severity}
    wide = _corpus_variants(store, ignore, min_variants) if "corpus-variants" in run else {}
    for _, doc_rows in groupby(store.resolved_mentions(), key=lambda r: r["source"]):
        found = list(_document(list(doc_rows), ignore, run, wide))
        found.sort(key=lambda f: (f.line, f.col, _ORDER[f.rule]))
        for f in found:
            yield _with_rule(f, sev[f.rule], _facts(gazetteer, f.entity_id))


def _facts(gz: Gazetteer | None, entity_id: str) -> dict[str, Any]:
    return gz.get(entity_id).place_facts() if gz is not None and entity_id in gz else {}


def _with_rule(f: Finding, severity: Severity, facts: Mapping[str, Any]) -> Finding:
    code = resolve(f.rule).code
    return replace(f, code=code, severity=severity.name, **facts)


def _make(rule: str, r: Any, message: str, canonical: str = "replacement") -> Finding:
    line, col = int(r["line"]), int(r["col"])
    end_line, end_col = _end(r, line, col)
    return Finding(
        rule, r["doc_id"], r["source"], line, col, str(r["entity_id"]),
        str(r["surface"]), str(r[canonical]), message, r["context"], r["path"],
        language=r["language"], end_line=end_line, end_col=end_col,
        replacement=str(r["replacement"]) if rule == "non-canonical" else None,
    )  # fmt: skip


def _end(r: Any, line: int, col: int) -> tuple[int, int]:
    """Where a mention ends; a database analyzed before ends were stored gives its length."""
    if r["end_line"] is not None:
        return int(r["end_line"]), int(r["end_col"])
    return line, col + int(r["end"]) - int(r["start"])


def _document(
    rows: list[Any], ignore: Collection[str], run: Collection[str], wide: dict[str, Any]
) -> Iterator[Finding]:
    # Spellings are compared per canonical form: "al-Sudani" after "Mohammed Shia
    # al-Sudani" is a second accepted form, not a second spelling.
    spellings: Counts = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    first_here: dict[str, Any] = {}
    for r in rows:
        eid = str(r["entity_id"])
        if eid in ignore:
            continue
        surface, replacement = str(r["surface"]), str(r["replacement"])
        target = _spelling(replacement)
        spellings[eid][target][surface] += 1
        first_here.setdefault(eid, r)
        if surface != replacement and "non-canonical" in run:
            yield _make(
                "non-canonical", r,
                f"'{_one_line(surface)}' is not canonical; write '{_one_line(replacement)}'",
            )  # fmt: skip
        variant = wide.get(eid, {}).get(target)
        if variant and not variant[1] and _spelling(surface) != target:
            variant[1] = True  # reported once, where the corpus first writes a variant
            yield _make("corpus-variants", r, variant[0])
    if "mixed-spellings" not in run:
        return
    for eid, by_target in spellings.items():
        mixed = {t: c for t, c in by_target.items() if len({_spelling(x) for x in c}) > 1}
        if mixed:
            ways = _ways({x: n for c in mixed.values() for x, n in c.items()})
            r = first_here[eid]
            canonical = _one_line(str(r["canonical"]))
            yield _make(
                "mixed-spellings", r,
                f"{canonical} is spelled {len(ways)} ways here: {_ways_text(ways)}", "canonical",
            )  # fmt: skip


def _corpus_variants(
    store: Store, ignore: Collection[str], min_variants: int
) -> dict[str, dict[str, list[Any]]]:
    """Per entity and target spelling the corpus writes several ways: [message, reported]."""
    by_entity: Counts = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    canonical: dict[str, str] = {}
    for r in store.spelling_counts():
        eid = str(r["entity_id"])
        if eid not in ignore:
            target = str(r["replacement"])
            by_entity[eid][_spelling(target)][str(r["surface"])] += int(r["n"])
            canonical.setdefault(f"{eid}\0{_spelling(target)}", target)
    out: dict[str, dict[str, list[Any]]] = {}
    for eid, by_target in by_entity.items():
        for t, c in by_target.items():
            ways = _ways(c)
            if len(ways) >= min_variants:
                name = _one_line(canonical[f"{eid}\0{t}"])
                text = f"{name} is spelled {len(ways)} ways across the corpus: {_ways_text(ways)}"
                out.setdefault(eid, {})[t] = [text, False]
    return out


def _spelling(s: str) -> str:
    """A spelling as the linter compares it: case and a leading article do not count."""
    return drop_leading_article(s.casefold(), particles().spelling_articles, before_word=False)
