"""``--statistics``: how many findings each rule and each entity has.

Counted as the findings pass on to a reporter, so the counts are of every
finding reported (after suppression), also those ``--max-findings`` leaves out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from canonym.jobs.lint import Finding
from canonym.jobs.rules import REGISTRY

__all__ = ["Statistics"]

_NAMES = {r.code: r.name for r in REGISTRY}


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass
class Statistics:
    by_rule: Counter[str] = field(default_factory=Counter)  # rule code -> findings
    by_entity: Counter[str] = field(default_factory=Counter)  # entity id -> findings

    @property
    def total(self) -> int:
        return self.by_rule.total()

    def count(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        """Pass every finding on, counting it."""
        for f in findings:
            self.by_rule[f.code or f.rule] += 1
            self.by_entity[f.entity_id] += 1
            yield f

    def to_dict(self) -> dict[str, Any]:
        """``{"total": n, "rules": {code: n}, "entities": {id: n}}``, commonest first."""
        return {
            "total": self.total,
            "rules": dict(_ranked(self.by_rule)),
            "entities": dict(_ranked(self.by_entity)),
        }

    def lines(self) -> Iterator[str]:
        """The counts as text: rules with their names, then entities, commonest first."""
        width = len(str(max(self.by_rule.values(), default=0)))
        yield f"Statistics: {self.total} findings"
        yield "  by rule:"
        for code, n in _ranked(self.by_rule):
            yield f"    {n:>{width}}  {code}  {_NAMES.get(code, '')}".rstrip()
        yield "  by entity:"
        for eid, n in _ranked(self.by_entity):
            yield f"    {n:>{width}}  {eid}"
