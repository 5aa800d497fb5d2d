"""Rewriting non-canonical spellings in plain-text documents, in place.

Reach for this module behind ``canonym check --fix``: only the names change.
Each file is read as bytes, so its line endings (LF, CRLF, CR or a mix), its
byte-order mark and every other byte stay as they were, and it is written back
through ``textio.write_atomic``: a crash leaves the old file, the mode is kept, a
symbolic link stays a link (its target is rewritten) and a hard-linked file is
refused rather than split.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TextIO

from canonym.io import OutputError, write_atomic
from canonym.jobs.lint import Finding
from canonym.normalize.normalizer import NormalizedText, Normalizer

__all__ = ["FindingTally", "FixReport", "fixed_text", "fix_bytes", "fix_files", "fix_findings"]

_BOM = b"\xef\xbb\xbf"
NormalizerFor = Callable[[str, str], Normalizer]  # (path, text) -> the normalizer to fix with


@dataclass
class FixReport:
    """Which files changed (or would, in a dry run) and which could not be fixed."""

    changed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # path, reason


def fixed_text(result: NormalizedText, ignore: Collection[str] = ()) -> str:
    """The source with each mention rewritten, ignored entities left as written."""
    out, pos = [], 0
    for m in result.mentions:
        out.append(result.source[pos : m.start])
        keep = m.entity_id in ignore
        out.append(m.surface if keep else result.text[m.out_start : m.out_end])
        pos = m.end
    out.append(result.source[pos:])
    return "".join(out)


def fix_bytes(
    data: bytes, normalizer: Normalizer | Callable[[str], Normalizer], ignore: Collection[str] = ()
) -> bytes:
    """A UTF-8 document's bytes with its names made canonical and nothing else changed.

    ``normalizer`` may be chosen from the text (for the forms its language takes).
    Raises ``UnicodeDecodeError`` for a document that is not UTF-8.
    """
    bom = _BOM if data.startswith(_BOM) else b""
    # bytes.decode translates no newlines: "\r\n" and "\r" reach the normalizer and
    # come back in the untouched stretches between names.
    text = data[len(bom) :].decode("utf-8")
    chosen = normalizer if isinstance(normalizer, Normalizer) else normalizer(text)
    new = fixed_text(chosen.normalize(text), ignore)
    return data if new == text else bom + new.encode("utf-8")


def _patch_lines(data: bytes) -> list[str]:
    # patch(1) splits at "\n" only: str.splitlines would also cut at "\r", U+2028,
    # form feeds..., giving hunks that join lines or that no tool can apply.
    # A byte order mark stays in the first line, so that the hunk matches the file.
    return data.decode("utf-8").split("\n")


def _patch_diff(old: bytes, new: bytes, path: str) -> list[str]:
    """A unified diff of two documents that patch(1) applies to give ``new``."""
    a, b = _patch_lines(old), _patch_lines(new)
    # split("\n") leaves "" after a final newline; a last piece that is not empty is
    # a line without one, which the diff must mark so that none is added.
    a_lines = [x + "\n" for x in a[:-1]] + ([a[-1]] if a[-1] else [])
    b_lines = [x + "\n" for x in b[:-1]] + ([b[-1]] if b[-1] else [])
    out = []
    for line in difflib.unified_diff(a_lines, b_lines, path, path):
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return out


def fix_files(
    paths: Iterable[str],
    normalizer: Normalizer | NormalizerFor,
    ignore: Collection[str] | Callable[[str], Collection[str]] = (),
    *,
    dry_run: bool = False,
    diff_to: TextIO | None = None,
) -> FixReport:
    """Fix each file in place, or with ``dry_run`` write a unified diff to ``diff_to``.

    ``normalizer`` may be chosen per file, from its path and text, so that a file is
    fixed to the forms the run held it to; ``ignore``, the entities left as written,
    may be chosen per path too.
    """
    report = FixReport()
    for p in paths:
        try:
            data = Path(p).read_bytes()
            pick = normalizer if isinstance(normalizer, Normalizer) else partial(normalizer, p)
            new = fix_bytes(data, pick, ignore(p) if callable(ignore) else ignore)
        except OSError as e:
            report.failed.append((p, f"cannot read ({e.strerror or e})"))
            continue
        except UnicodeDecodeError as e:
            report.failed.append((p, f"not valid UTF-8 at byte {e.start}"))
            continue
        if new == data:
            continue
        if dry_run:
            if diff_to is not None:
                diff_to.writelines(_patch_diff(data, new, p))
        else:
            try:
                write_atomic(p, new)
            except OutputError as e:
                report.failed.append((p, str(e).removeprefix(f"{p}: ")))
                continue
        report.changed.append(p)
    return report


@dataclass
class FindingTally:
    """Findings counted by rule as they pass, and where ``--fix`` can rewrite them.

    Only plain-text files are rewritten: a non-canonical spelling in a record of a
    JSON-lines or CSV corpus (or stdin) is counted in ``in_records`` by corpus file.
    """

    limit: int | None = None  # pass on at most this many findings; count them all
    by_rule: Counter[str] = field(default_factory=Counter)
    fix_paths: set[str] = field(default_factory=set)
    in_records: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.by_rule.total()

    def count(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        """Count every finding; pass on the first ``limit``."""
        for f in findings:
            self.by_rule[f.rule] += 1
            if f.rule == "non-canonical" and f.path:
                self.fix_paths.add(f.path)
            elif f.rule == "non-canonical":
                self.in_records[f.source.rsplit(":", 1)[0]] += 1
            if self.limit is None or self.total <= self.limit:
                yield f


def fix_findings(
    findings: Iterable[Finding],
    normalizer: Normalizer | NormalizerFor,
    ignore: Collection[str] | Callable[[str], Collection[str]] = (),
    *,
    dry_run: bool = False,
    diff_to: TextIO | None = None,
) -> tuple[FixReport, FindingTally]:
    """Fix the plain-text files that ``findings`` say hold non-canonical spellings."""
    tally = FindingTally()
    for _ in tally.count(findings):
        pass
    report = fix_files(
        sorted(tally.fix_paths), normalizer, ignore, dry_run=dry_run, diff_to=diff_to
    )
    return report, tally
