"""Rendering linter findings: grouped text, JSON, SARIF and a self-contained HTML page.

Reach for this module to show ``check`` results to a person (text, HTML) or to a
tool (JSON, SARIF 2.1.0 for code-review systems). Every piece of document text
that reaches HTML is escaped.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from canonym._version import __version__
from canonym.jobs.lint import RULES, Finding

__all__ = ["render_text", "stream_text", "render_json", "render_sarif", "render_html"]

Style = Callable[[str, str], str]  # (text, role) -> styled text


def _plain(text: str, role: str) -> str:
    return text


def stream_text(findings: Iterable[Finding], *, style: Style = _plain) -> Iterator[str]:
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


def render_text(findings: Sequence[Finding], *, style: Style = _plain) -> str:
    """Findings grouped by document, one per line: ``line:col rule message``."""
    return "\n".join(stream_text(findings, style=style)) + "\n"


def render_json(findings: Sequence[Finding], *, extra: dict[str, Any] | None = None) -> str:
    return json.dumps(
        {**(extra or {}), "findings": [f.to_dict() for f in findings]}, ensure_ascii=False, indent=2
    )


# A record of a JSON-lines or CSV corpus is named ``path:line`` (see ``canonym.corpus.documents``).
_RECORD = re.compile(r"^(?P<file>.+):(?P<line>[0-9]+)$")
_SRCROOT = "%SRCROOT%"


def _artifact(location: str) -> dict[str, Any]:
    """A SARIF ``artifactLocation``: a percent-encoded URI reference (RFC 3986).

    Spaces, ``#``, ``%`` and non-ASCII letters in file names are encoded, so a
    viewer opens the file rather than a fragment or a mangled name. Absolute
    paths become ``file:`` URIs; relative ones stay relative to ``%SRCROOT%``,
    the directory the corpus was named from.
    """
    if location == "<stdin>":  # no file to point at
        return {"description": {"text": "standard input"}}
    if "://" in location:  # a remote corpus: s3://bucket/key
        scheme, rest = location.split("://", 1)
        return {"uri": f"{scheme}://{quote(rest, safe='/')}"}
    path = PurePosixPath(location)
    if path.is_absolute():
        return {"uri": "file://" + quote(path.as_posix(), safe="/")}
    # ``quote`` also encodes ':', so a first segment never reads as a URI scheme.
    return {"uri": quote(path.as_posix(), safe="/"), "uriBaseId": _SRCROOT}


def _location(f: Finding) -> dict[str, Any]:
    """Where a finding is: the text file and its line and column, or the corpus file
    and the line of the record that holds the document."""
    record = None if f.path else _RECORD.match(f.source)
    if record is None:
        artifact = _artifact(f.path or f.source)
        region = {"startLine": f.line, "startColumn": f.col}
    else:
        # The line and column count inside the record's text field, which JSON or CSV
        # quoting moves about in the file: the region is the record's line.
        artifact = _artifact(record["file"])
        region = {"startLine": int(record["line"])}
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def render_sarif(findings: Sequence[Finding]) -> str:
    """SARIF 2.1.0: one run, one rule per linter rule, one result per finding.

    Columns count Unicode code points, as Python indexes text, and the run says so
    (``columnKind``): a viewer counting UTF-16 units would put every column after
    an astral character (an emoji, a rare CJK ideograph) one place off.
    """
    rules = [
        {"id": rule, "name": rule, "shortDescription": {"text": text}}
        for rule, text in RULES.items()
    ]
    results = []
    relative = False
    for f in findings:
        location = _location(f)
        relative |= location["physicalLocation"]["artifactLocation"].get("uriBaseId") == _SRCROOT
        props: dict[str, Any] = {
            "entity": f.entity_id, "canonical": f.canonical, "doc_id": f.doc_id,
        }  # fmt: skip
        if not f.path and _RECORD.match(f.source):
            props.update(document=f.source, textLine=f.line, textColumn=f.col)
        results.append(
            {
                "ruleId": f.rule,
                "level": "warning" if f.rule != "corpus-variants" else "note",
                "message": {"text": f.message},
                "locations": [location],
                "properties": props,
            }
        )
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "canonym", "version": __version__, "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if relative:  # where %SRCROOT% is, for a viewer on this machine
        run["originalUriBaseIds"] = {_SRCROOT: {"uri": Path.cwd().as_uri() + "/"}}
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


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
