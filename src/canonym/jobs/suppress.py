"""Inline suppression: comments in a document that silence findings.

Written in plain text, Markdown or an HTML comment alike, since only the marker
is looked for:

- ``canonym: off`` ... ``canonym: on`` silences every rule between them;
- ``canonym: ignore`` on a line silences that line, ``canonym: ignore[CN001,
  mixed-spellings]`` only the rules named.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from canonym.jobs.lint import Finding
from canonym.jobs.rules import resolve

__all__ = ["Suppressions", "parse", "suppress"]

_MARK = re.compile(r"canonym:\s*(off|on|ignore)(?:\[([^\]]*)\])?", re.IGNORECASE)
ALL = frozenset({"*"})


@dataclass
class Suppressions:
    """Per 1-based line, the rule names silenced there (``ALL`` for every rule)."""

    lines: dict[int, frozenset[str]] = field(default_factory=dict)

    def covers(self, line: int, rule: str) -> bool:
        rules = self.lines.get(line)
        return rules is not None and (rules is ALL or "*" in rules or rule in rules)


def parse(text: str) -> Suppressions:
    """The suppressions a document's text declares."""
    out = Suppressions()
    off = False
    for n, line in enumerate(text.splitlines(), start=1):
        rules: set[str] = set()
        whole = off
        for m in _MARK.finditer(line):
            word = m.group(1).lower()
            if word == "off":
                off = whole = True
            elif word == "on":
                off = False
            elif m.group(2) is None:
                whole = True
            else:
                rules |= {resolve(k).name for k in m.group(2).split(",") if k.strip()}
        if whole:
            out.lines[n] = ALL
        elif rules:
            out.lines[n] = frozenset(rules)
    return out


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def suppress(
    findings: Iterable[Finding],
    on_suppressed: Callable[[Finding], None] = lambda f: None,
    read: Callable[[str], str | None] = _read,
) -> Iterator[Finding]:
    """Findings not silenced by their document; each silenced one goes to ``on_suppressed``.

    Only documents read from a file can carry comments; a file's markers are parsed
    once, when its first finding arrives.
    """
    cache: dict[str, Suppressions] = {}
    for f in findings:
        if f.path:
            if f.path not in cache:
                text = read(f.path)
                cache[f.path] = parse(text) if text is not None else Suppressions()
            if cache[f.path].covers(f.line, f.rule):
                on_suppressed(f)
                continue
        yield f
