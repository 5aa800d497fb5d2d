"""Settings for some documents only: per-path and per-language overrides of the linter.

Reach for this module to apply ``[[per-path]]`` and ``[per-language.LANG]`` tables
to findings. Each override may choose the rules (``select``, ``ignore`` by code or
name, and entity ids in ``ignore``), their ``severity`` and a ``min-severity``.
Overrides apply in order, so a later one wins: per-language ones first, then
per-path ones as the configuration lists them. A path glob (see
:func:`canonym.corpus.paths.glob_matches`) is tried on the document's path as
given, and relative to the folder of the file that sets it and to the working
directory.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from canonym.corpus.forms import document_names
from canonym.corpus.paths import glob_matches
from canonym.corpus.store import Store
from canonym.jobs.lint import Finding, iter_findings
from canonym.jobs.rules import REGISTRY, Severity, is_rule, resolve

__all__ = [
    "Override",
    "apply_overrides",
    "findings_with_overrides",
    "ignored_entities",
    "names_of",
]


@dataclass(frozen=True)
class Override:
    """What one ``[[per-path]]`` or ``[per-language.LANG]`` table changes."""

    paths: tuple[str, ...] = ()
    language: str | None = None
    select: frozenset[str] | None = None  # rule names; None keeps the rules in force
    ignore_rules: frozenset[str] = frozenset()
    ignore_entities: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    min_severity: Severity | None = None
    base: str | None = None  # the folder relative paths are written from
    source: str = ""  # where the table was written, for messages

    @classmethod
    def from_table(
        cls,
        table: Mapping[str, Any],
        *,
        language: str | None = None,
        base: str | None = None,
        source: str = "",
    ) -> Override:
        """An override from a configuration table; ValueError names a bad rule or severity."""
        ignore = list(table.get("ignore", ()))
        rules = {i for i in ignore if is_rule(i)}
        select = table.get("select")
        min_sev = table.get("min-severity", table.get("min_severity"))
        return cls(
            paths=tuple(table.get("paths", ())),
            language=language,
            select=None if select is None else frozenset(resolve(k).name for k in select),
            ignore_rules=frozenset(resolve(k).name for k in rules),
            ignore_entities=frozenset(i for i in ignore if i not in rules),
            severity={
                resolve(k).name: Severity.parse(v) for k, v in table.get("severity", {}).items()
            },
            min_severity=None if min_sev is None else Severity.parse(min_sev),
            base=base,
            source=source,
        )

    def applies(self, names: Collection[str], language: str | None) -> bool:
        """Whether the override covers a document of these ``names`` in ``language``."""
        if self.language is not None and self.language != language:
            return False
        return not self.paths or any(glob_matches(g, n) for g in self.paths for n in names)


def names_of(f: Finding, base: str | None = None) -> list[str]:
    """The relative paths a finding's document goes by for per-path globs (see
    :func:`canonym.corpus.forms.document_names`), as the corpus run matched them."""
    return document_names(f.source, f.path, base)


def ignored_entities(
    overrides: Sequence[Override], source: str, path: str | None, language: str | None
) -> set[str]:
    """The entities the overrides covering a document leave alone (for ``--fix``)."""
    out: set[str] = set()
    for o in overrides:
        if o.ignore_entities and o.applies(document_names(source, path, o.base), language):
            out |= o.ignore_entities
    return out


def apply_overrides(
    findings: Iterable[Finding],
    overrides: Sequence[Override],
    *,
    rules: Collection[str] | None = None,
    min_severity: Severity = Severity.suggestion,
    language_of: Callable[[str], str | None] = lambda source: None,
) -> Iterator[Finding]:
    """The findings each document's settings keep, with the severity they give.

    ``rules`` and ``min_severity`` are the settings in force where no override says
    otherwise; ``findings`` must come from every rule at every severity, so that an
    override can turn on a rule the global settings leave off.
    """
    base_rules = frozenset(r.name for r in REGISTRY) if rules is None else frozenset(rules)
    cache: dict[str, list[Override]] = {}
    for f in findings:
        if f.source not in cache:
            cache.clear()  # findings come one document at a time
            lang = language_of(f.source) if any(o.language for o in overrides) else None
            cache[f.source] = [o for o in overrides if o.applies(names_of(f, o.base), lang)]
        run, minimum = set(base_rules), min_severity
        entities: set[str] = set()
        severity = Severity.parse(f.severity) if f.severity else resolve(f.rule).severity
        for o in cache[f.source]:
            if o.select is not None:
                run = set(o.select)
            run -= o.ignore_rules
            entities |= o.ignore_entities
            severity = o.severity.get(f.rule, severity)
            minimum = o.min_severity or minimum
        if f.rule in run and f.entity_id not in entities and severity >= minimum:
            yield (
                f if f.severity == severity.name else dataclasses.replace(f, severity=severity.name)
            )


def findings_with_overrides(
    store: Store, overrides: Sequence[Override], **options: Any
) -> Iterator[Finding]:
    """:func:`canonym.jobs.lint.iter_findings` with ``options``, then ``overrides``."""
    if not overrides:
        return iter_findings(store, **options)
    wide = {**options, "rules": None, "min_severity": Severity.suggestion}
    return apply_overrides(
        iter_findings(store, **wide),
        overrides,
        rules=options.get("rules"),
        min_severity=options.get("min_severity", Severity.suggestion),
        language_of=store.language_of,
    )
