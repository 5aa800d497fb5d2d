"""The SARIF 2.1.0 report, for code-review systems.

File names become percent-encoded URI references; a record of a JSON-lines or CSV
corpus is located at its line in that file. A non-canonical spelling in a text
file carries its fix (the surface replaced by the canonical text), and every result
a ``partialFingerprints`` entry that does not depend on line numbers, so that
code-scanning tools follow a finding across runs while the text above it changes.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, TextIO
from urllib.parse import quote

from canonym._version import __version__
from canonym.jobs.lint import Finding
from canonym.jobs.rules import REGISTRY, Rule
from canonym.report.base import Reporter, register
from canonym.report.locate import STDIN, Place, place

__all__ = ["SarifReporter", "fingerprint", "render_sarif", "write_sarif"]

_SRCROOT = "%SRCROOT%"
_LEVEL = {"error": "error", "warning": "warning", "suggestion": "note"}
FINGERPRINT = "canonym/v1"


def _artifact(location: str) -> dict[str, Any]:
    """A SARIF ``artifactLocation``: a percent-encoded URI reference (RFC 3986).

    Spaces, ``#``, ``%`` and non-ASCII letters in file names are encoded, so a
    viewer opens the file rather than a fragment or a mangled name. Absolute
    paths become ``file:`` URIs; relative ones stay relative to ``%SRCROOT%``,
    the directory the corpus was named from.
    """
    if location == STDIN:  # no file to point at
        return {"description": {"text": "standard input"}}
    if "://" in location:  # a remote corpus: s3://bucket/key
        scheme, rest = location.split("://", 1)
        return {"uri": f"{scheme}://{quote(rest, safe='/')}"}
    path = PurePosixPath(location)
    if path.is_absolute():
        return {"uri": "file://" + quote(path.as_posix(), safe="/")}
    # ``quote`` also encodes ':', so a first segment never reads as a URI scheme.
    return {"uri": quote(path.as_posix(), safe="/"), "uriBaseId": _SRCROOT}


def _region(p: Place) -> dict[str, Any]:
    region = {"startLine": p.line}
    if p.col is not None:
        region["startColumn"] = p.col
    if p.end_line is not None and p.end_col is not None:
        region.update(endLine=p.end_line, endColumn=p.end_col)
    return region


def _location(p: Place) -> dict[str, Any]:
    """Where a finding is: the text file and its span, or the corpus file and the line
    of the record that holds the document (only that line: see ``report.locate``)."""
    artifact = _artifact(p.file if p.file is not None else STDIN)
    return {"physicalLocation": {"artifactLocation": artifact, "region": _region(p)}}


def _fix(f: Finding, p: Place, artifact: dict[str, Any]) -> dict[str, Any]:
    """The edit ``canonym check --fix`` makes: the surface replaced by the canonical text."""
    return {
        "description": {"text": f"Write '{f.canonical}'"},
        "artifactChanges": [
            {
                "artifactLocation": artifact,
                "replacements": [
                    {"deletedRegion": _region(p), "insertedContent": {"text": f.replacement}}
                ],
            }
        ],
    }


def fingerprint(f: Finding) -> str:
    """A hash of what a finding is, not of where: rule, entity, surface, document (its
    id: a file's path inside the corpus, a record's id) and the text around the name.
    Line numbers are left out, so adding a paragraph above keeps the fingerprint;
    ``render_sarif`` numbers findings that share one."""
    key = "\0".join((f.code or f.rule, f.entity_id, f.surface, f.doc_id, f.context))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _rule(r: Rule) -> dict[str, Any]:
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "help": {"text": r.help},
        "defaultConfiguration": {"level": _LEVEL[r.severity.name]},
    }


def _result(f: Finding, index: dict[str, int], seen: Counter[str]) -> tuple[dict[str, Any], bool]:
    """One finding's result, and whether its file is named relative to ``%SRCROOT%``."""
    p = place(f)
    location = _location(p)
    artifact = location["physicalLocation"]["artifactLocation"]
    props: dict[str, Any] = {
        "entity": f.entity_id, "canonical": f.canonical, "doc_id": f.doc_id,
        "language": f.language, "rule": f.rule,
    }  # fmt: skip
    if p.in_record:
        props.update(document=f.source, textLine=f.line, textColumn=f.col)
    key = fingerprint(f)
    seen[key] += 1
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": _LEVEL.get(f.severity, "warning"),
        "message": {"text": f.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: f"{key}:{seen[key]}"},
        "properties": props,
    }
    if f.replacement is not None and not p.in_record and "uri" in artifact:
        result["fixes"] = [_fix(f, p, artifact)]
    return result, artifact.get("uriBaseId") == _SRCROOT


_MARK = "\x00results\x00"  # where the results go in the rendered frame
_INDENT = " " * 8  # a result's depth in the document: runs, run, results


def _frame(results: list[Any], relative: bool) -> str:
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "canonym",
                "version": __version__,
                "rules": [_rule(r) for r in REGISTRY],
            }
        },
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


def write_sarif(findings: Iterable[Finding], out: TextIO) -> None:
    """SARIF 2.1.0: one run, one rule per linter rule, one result per finding.

    Columns count Unicode code points, as Python indexes text, and the run says so
    (``columnKind``): a viewer counting UTF-16 units would put every column after
    an astral character (an emoji, a rare CJK ideograph) one place off. Results are
    written one at a time, so that a corpus of any size is reported in the memory of
    one finding; the text is what ``json.dumps`` gives the whole document.
    """
    index = {r.code: i for i, r in enumerate(REGISTRY)}
    seen: Counter[str] = Counter()
    relative = False
    shown = 0
    head = ""
    for f in findings:
        result, rel = _result(f, index, seen)
        relative |= rel
        if not shown:  # the frame before the results does not depend on them
            head = _frame([_MARK], False).split(json.dumps(_MARK), 1)[0]
            out.write(head.removesuffix(_INDENT))
        one = json.dumps(result, ensure_ascii=False, indent=2).replace("\n", "\n" + _INDENT)
        out.write((",\n" if shown else "") + _INDENT + one)
        shown += 1
    if not shown:
        out.write(_frame([], relative))
        return
    out.write(_frame([_MARK], relative).split(json.dumps(_MARK), 1)[1])


def render_sarif(findings: Sequence[Finding]) -> str:
    """The SARIF report of ``findings`` as one string (see ``write_sarif``)."""
    buf = io.StringIO()
    write_sarif(findings, buf)
    return buf.getvalue()


@register
class SarifReporter(Reporter):
    name = "sarif"

    def write(self, findings: Iterable[Finding], out: TextIO) -> None:
        write_sarif(findings, out)
        out.write("\n")
