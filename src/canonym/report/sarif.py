"""The SARIF 2.1.0 report, for code-review systems.

File names become percent-encoded URI references; a record of a JSON-lines or CSV
corpus is located at its line in that file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, TextIO
from urllib.parse import quote

from canonym._version import __version__
from canonym.jobs.lint import RULES, Finding
from canonym.report.base import Reporter, register

__all__ = ["SarifReporter", "render_sarif"]

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


@register
class SarifReporter(Reporter):
    name = "sarif"

    def write(self, findings: Iterable[Finding], out: TextIO) -> None:
        out.write(render_sarif(list(findings)) + "\n")
