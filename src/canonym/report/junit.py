"""The JUnit XML report, for CI systems that show test results: one test case per
document, a ``<failure>`` per finding, an ``<error>`` for a document that could not
be read.

Document text is untrusted: it reaches the XML only through ElementTree, which
escapes markup, and characters XML 1.0 cannot hold at all (most control
characters) become U+FFFD, so the file always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import TextIO

from canonym.jobs.lint import Finding
from canonym.report.base import Reporter, register
from canonym.report.line import format_line

__all__ = ["JunitReporter", "render_junit", "xml_safe"]

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _failure(case: ET.Element, f: Finding) -> None:
    failure = ET.SubElement(
        case,
        "failure",
        type=xml_safe(f.code),
        message=xml_safe(f"{f.line}:{f.col} {f.message}"),
    )
    detail = [format_line(f), f"entity: {f.entity_id}", f"context: {f.context}"]
    failure.text = xml_safe("\n".join(detail))


def render_junit(
    findings: Iterable[Finding],
    *,
    documents: Iterable[str] = (),
    unreadable: Iterable[tuple[str, str]] = (),
    title: str = "canonym name consistency",
) -> str:
    """The XML: ``documents`` (sources) without findings are passing test cases,
    ``unreadable`` ones (source, why) are errors."""
    by_doc: dict[str, list[Finding]] = {}
    for f in findings:
        by_doc.setdefault(f.source, []).append(f)
    errors = dict(unreadable)
    names = sorted({*by_doc, *documents, *errors})
    failures = sum(len(v) for v in by_doc.values())
    counts = {"tests": str(len(names)), "failures": str(failures), "errors": str(len(errors))}
    root = ET.Element("testsuites", {"name": "canonym", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": xml_safe(title), "skipped": "0", **counts})
    for name in names:
        found = by_doc.get(name, [])
        case = ET.SubElement(suite, "testcase", classname="canonym.check", name=xml_safe(name))
        if found and found[0].path:
            case.set("file", xml_safe(found[0].path))
        for f in found:
            _failure(case, f)
        if name in errors:
            error = ET.SubElement(case, "error", type="unreadable", message=xml_safe(errors[name]))
            error.text = xml_safe(f"{name}: {errors[name]}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


@register
class JunitReporter(Reporter):
    name = "junit"

    def write(self, findings: Iterable[Finding], out: TextIO) -> None:
        docs = self.options.documents
        shown = list(findings)  # the documents are asked for once the findings are in
        text = render_junit(
            shown,
            documents=docs() if docs else (),
            unreadable=self.options.unreadable,
            title=self.options.title,
        )
        out.write(text + "\n")
