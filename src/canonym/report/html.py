"""The HTML report: one self-contained page; every piece of document text is escaped."""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TextIO

from canonym.jobs.lint import Finding
from canonym.report.base import Reporter, register

__all__ = ["HtmlReporter", "render_html"]

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}
h1{font-size:1.5rem} h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%} td,th{padding:.3rem .5rem;border-bottom:1px solid #ddd;
text-align:left;vertical-align:top} th{background:#f4f4f4}
.bar{background:#4a78b5;height:.9rem;display:inline-block;vertical-align:middle}
.rule{font-family:monospace;font-size:.85rem;padding:0 .3rem;border-radius:3px;background:#eee}
.ctx{color:#555;font-size:.9rem} .ctx mark{background:#fde68a}
tr:target{background:#fff7d6}
"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_html(findings: Sequence[Finding], *, title: str = "canonym name consistency") -> str:
    """One self-contained page: entities by number of spellings, a bar chart, all findings."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    canonical: dict[str, str] = {}
    for f in findings:
        if f.rule == "non-canonical":
            spellings[f.entity_id][f.surface] += 1
            canonical[f.entity_id] = f.canonical
    entities = sorted(spellings.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    most = max((sum(c.values()) for _, c in entities), default=1)
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
        f"<p>{len(findings)} findings; "
        + ", ".join(
            f"{n} <span class=rule>{_esc(r)}</span>"
            for r, n in Counter(f.rule for f in findings).items()
        )
        + "</p>",
        "<h2>Entities by number of non-canonical spellings</h2>",
        "<table><tr><th>entity</th><th>canonical</th><th>spellings</th><th>mentions</th></tr>",
    ]
    for eid, counts in entities:
        total = sum(counts.values())
        width = max(2, round(200 * total / most))
        variants = ", ".join(f"{_esc(s)} ({n})" for s, n in counts.most_common())
        parts.append(
            f"<tr><td>{_esc(eid)}</td><td>{_esc(canonical[eid])}</td><td>{variants}</td>"
            f"<td><span class=bar style='width:{width}px' title='{total}'></span> {total}</td></tr>"
        )
    parts.append("</table><h2>Findings</h2>")
    parts.append("<table><tr><th>#</th><th>document</th><th>where</th><th>rule</th>"
                 "<th>message</th><th>context</th></tr>")  # fmt: skip
    for i, f in enumerate(findings, 1):
        ctx = _esc(f.context).replace(_esc(f.surface), f"<mark>{_esc(f.surface)}</mark>", 1)
        parts.append(
            f"<tr id=f{i}><td><a href='#f{i}'>{i}</a></td><td>{_esc(f.source)}</td>"
            f"<td>{f.line}:{f.col}</td><td><span class=rule>{_esc(f.rule)}</span></td>"
            f"<td>{_esc(f.message)}</td><td class=ctx>{ctx}</td></tr>"
        )
    parts.append("</table></body></html>\n")
    return "\n".join(parts)


@register
class HtmlReporter(Reporter):
    name = "html"

    def write(self, findings: Iterable[Finding], out: TextIO) -> None:
        out.write(render_html(list(findings), title=self.options.title))
