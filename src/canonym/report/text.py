"""The text report: findings grouped by document, one per line, for a terminal."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO

from canonym.jobs.lint import Finding
from canonym.report.base import Reporter, Style, plain, register

__all__ = ["TextReporter", "render_text", "stream_text"]


def stream_text(findings: Iterable[Finding], *, style: Style = plain) -> Iterator[str]:
    """Lines of the text report, grouped by document, as findings arrive."""
    counts: Counter[str] = Counter()
    current: str | None = None
    for f in findings:
        if f.source != current:
            if current is not None:
                yield ""
            yield style(f.source, "file")
            current = f.source
        counts[f.rule] += 1
        where = f"{f.line}:{f.col}"
        yield f"  {where:>8}  {style(f.rule, f.rule)}  {f.message}  [{f.entity_id}]"
    if current is not None:
        yield ""
    summary = ", ".join(f"{n} {rule}" for rule, n in sorted(counts.items()))
    yield f"{sum(counts.values())} findings" + (f" ({summary})" if summary else "")


def render_text(findings: Sequence[Finding], *, style: Style = plain) -> str:
    """Findings grouped by document, one per line: ``line:col rule message``."""
    return "\n".join(stream_text(findings, style=style)) + "\n"


@register
class TextReporter(Reporter):
    """Lines as findings arrive; a note when ``max_findings`` cut the list short."""

    name = "text"
    shows_statistics = True

    def write(self, findings: Iterable[Finding], out: TextIO) -> None:
        shown = [0]

        def counted() -> Iterator[Finding]:
            for f in findings:
                shown[0] += 1
                yield f

        for line in stream_text(counted(), style=self.options.style):
            out.write(line + "\n")
        limit = self.options.max_findings
        total = self.total(shown[0])
        if limit and total > limit:
            out.write(f"(showing {limit} of {total})\n")
        self.write_statistics(out)
