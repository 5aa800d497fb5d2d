"""The linter's rules: one registry of code, name, default severity and help.

Rules are named on the command line and in configuration by code (``CN001``) or
by name (``non-canonical``); both resolve here, so reporters, configuration and
the CLI agree on one spelling of each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum

__all__ = ["Rule", "Severity", "REGISTRY", "resolve", "is_rule", "selected", "severities"]


class Severity(IntEnum):
    """Ordered so that ``--min-severity warning`` keeps warnings and errors."""

    suggestion = 1
    warning = 2
    error = 3

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().lower()]
        except KeyError:
            raise ValueError(
                f"unknown severity {value!r}; use one of {', '.join(s.name for s in cls)}"
            ) from None


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    help: str


REGISTRY: tuple[Rule, ...] = (
    Rule(
        "CN001", "non-canonical", Severity.warning,
        "a spelling that is not the canonical form",
        "Write the canonical form, or run `canonym check --fix` on plain-text files.",
    ),
    Rule(
        "CN002", "mixed-spellings", Severity.warning,
        "one document spells an entity in more than one way",
        "Pick one spelling per document; readers take two spellings for two people.",
    ),
    Rule(
        "CN003", "corpus-variants", Severity.suggestion,
        "the corpus spells an entity in several ways",
        "Agree on one spelling house-wide; add it to a gazetteer as the canonical form.",
    ),
)  # fmt: skip

_BY_KEY = {k.casefold(): r for r in REGISTRY for k in (r.code, r.name)}


def resolve(key: str) -> Rule:
    """The rule a code or name (any case) stands for; ValueError names the choices."""
    try:
        return _BY_KEY[key.strip().casefold()]
    except KeyError:
        known = ", ".join(f"{r.code} ({r.name})" for r in REGISTRY)
        raise ValueError(f"unknown rule {key!r}; known rules: {known}") from None


def is_rule(key: str) -> bool:
    """Whether ``key`` names a rule (code or name): ``--ignore`` takes rules and entities."""
    try:
        resolve(key)
    except ValueError:
        return False
    return True


def selected(select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> frozenset[str]:
    """Names of the rules to run: ``select`` (all when None) less ``ignore``."""
    chosen = {resolve(k).name for k in select} if select is not None else {r.name for r in REGISTRY}
    return frozenset(chosen - {resolve(k).name for k in ignore})


def severities(overrides: Mapping[str, str] | None = None) -> dict[str, Severity]:
    """Each rule name's severity: the registry's default unless overridden by code or name."""
    out = {r.name: r.severity for r in REGISTRY}
    for key, value in (overrides or {}).items():
        out[resolve(key).name] = Severity.parse(value)
    return out
