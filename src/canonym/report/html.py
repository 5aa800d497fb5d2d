"""The HTML report: one self-contained page for triaging findings.

Filters by rule, entity, language and document, sortable columns and grouping by
entity run in the page (``assets/report.js``; the view is kept in the URL hash,
e.g. ``report.html#rule=CN001&group=entity``); the styles are ``assets/report.css``.
Both are inlined, so the file can be mailed or attached to a CI run. Every piece of
document text is escaped here, and the script only reads it back as text.
"""

from __future__ import annotations

import html
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from importlib.resources import files
from typing import TextIO

from canonym.jobs.lint import Finding
from canonym.jobs.rules import REGISTRY
from canonym.report.base import Reporter, register

__all__ = ["HtmlReporter", "render_html", "is_rtl"]

_RTL_LANGUAGES = {"ar", "fa", "ur", "he", "yi", "ps"}
_COLUMNS = (  # (sort key, heading); the context column is not sorted
    ("doc", "document"), ("where", "line:col"), ("rule", "rule"), ("entity", "entity"),
    ("lang", "lang"), ("message", "message"),
)  # fmt: skip


def _asset(name: str) -> str:
    return (files("canonym.report") / "assets" / name).read_text(encoding="utf-8")


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def is_rtl(text: str, language: str | None = None) -> bool:
    """Whether a context reads right to left: an Arabic (or Hebrew, Persian...)
    document, or a context whose letters are mostly in a right-to-left script."""
    if language in _RTL_LANGUAGES:
        return True
    kinds = Counter(unicodedata.bidirectional(c) for c in text if c.isalpha())
    return kinds["R"] + kinds["AL"] > kinds["L"]


def _context(f: Finding) -> str:
    """The context, escaped, with the name marked; an RTL context is set right to left."""
    ctx, at = f.context, f.context.find(f.surface)
    if at < 0:
        inner = _esc(ctx)
    else:
        end = at + len(f.surface)
        inner = f"{_esc(ctx[:at])}<mark>{_esc(ctx[at:end])}</mark>{_esc(ctx[end:])}"
    lang = f' lang="{_esc(f.language)}"' if f.language else ""
    direction = "rtl" if is_rtl(ctx, f.language) else "auto"
    return f"<td class=ctx dir={direction}{lang}>{inner}</td>"


def _row(n: int, f: Finding) -> str:
    data = {
        "n": n, "rule": f.code, "entity": f.entity_id, "lang": f.language or "",
        "doc": f.source, "line": f.line, "col": f.col, "surface": f.surface,
        "canonical": f.canonical,
    }  # fmt: skip
    attrs = " ".join(f'data-{k}="{_esc(v)}"' for k, v in data.items())
    return (
        f"<tr class=finding {attrs}><td class=num>{n}</td>"
        f'<td class=doc title="{_esc(f.path or f.source)}">{_esc(f.source)}</td>'
        f"<td class=where>{f.line}:{f.col}</td>"
        f'<td><span class="code {_esc(f.code)}" title="{_esc(f.rule)}">{_esc(f.code)}</span></td>'
        f"<td>{_esc(f.entity_id)}</td><td class=lang>{_esc(f.language or '')}</td>"
        f"<td class=msg dir=ltr>{_esc(f.message)}</td>{_context(f)}</tr>"
    )


def _select(name: str, label: str, values: Iterable[tuple[str, str, str]]) -> str:
    """A filter: options of (value, text, data-name)."""
    options = "".join(
        f'<option value="{_esc(v)}"'
        + (f' data-name="{_esc(d)}"' if d else "")
        + f">{_esc(t)}</option>"
        for v, t, d in values
    )
    return (
        f"<label>{label} <select name={name}><option value=''>all</option>{options}"
        "</select></label>"
    )


def _filters(findings: Sequence[Finding]) -> str:
    def by_count(values: Iterable[str]) -> list[tuple[str, str, str]]:
        c = Counter(values)
        return [(v, f"{v} ({n})", "") for v, n in sorted(c.items(), key=lambda kv: kv[0])]

    present = {f.code for f in findings}
    rules = [(r.code, f"{r.code} {r.name}", r.name) for r in REGISTRY if r.code in present]
    return (
        "<form id=filters class=filters>"
        + _select("rule", "rule", rules)
        + _select("entity", "entity", by_count(f.entity_id for f in findings))
        + _select("lang", "language", by_count(f.language or "" for f in findings))
        + _select("doc", "document", by_count(f.source for f in findings))
        + "<label><input type=checkbox name=group> group by entity</label>"
        + "<button type=reset>reset</button></form>"
    )


def _counts(findings: Sequence[Finding], total: int) -> str:
    by_rule = Counter(f.code for f in findings)
    of = f"of {len(findings)} findings" + (f" ({total} in all)" if total > len(findings) else "")
    segments = "".join(
        f'<span class="seg {r.code}" data-rule="{r.code}" title="{_esc(r.summary)}">'
        f"{r.code} <span class=n>{by_rule[r.code]}</span> {r.name}</span>"
        for r in REGISTRY
    )
    return (
        f"<div class=counts id=counts><span class=total><span id=shown>{len(findings)}</span>"
        f" {_esc(of)}</span>{segments}</div>"
    )


def render_html(
    findings: Sequence[Finding], *, title: str = "canonym name consistency", total: int = 0
) -> str:
    """The page: a counts bar, filters and the table of findings, all escaped."""
    heads = "".join(
        f"<th data-sort={key}><button type=button>{label}</button></th>" for key, label in _COLUMNS
    )
    return "\n".join(
        [
            "<!doctype html><html lang=en><head><meta charset=utf-8>",
            "<meta name=viewport content='width=device-width, initial-scale=1'>",
            f"<title>{_esc(title)}</title><style>{_asset('report.css')}</style></head><body>",
            f"<header><h1>{_esc(title)}</h1>",
            _counts(findings, max(total, len(findings))),
            _filters(findings),
            "</header><main><table id=findings>",
            f"<thead><tr><th>#</th>{heads}<th>context</th></tr></thead><tbody>",
            *(_row(n, f) for n, f in enumerate(findings, 1)),
            "</tbody></table><p id=none class=none hidden>No finding matches these filters.</p>",
            f"</main><script>{_asset('report.js')}</script></body></html>",
        ]
    )


@register
class HtmlReporter(Reporter):
    name = "html"

    def write(self, findings: Iterable[Finding], out: TextIO) -> None:
        shown = list(findings)
        page = render_html(shown, title=self.options.title, total=self.total(len(shown)))
        out.write(page + "\n")
