"""JUnit XML: a test case per document, a failure per finding, and always XML that
parses, whatever the documents hold."""

import io
import xml.etree.ElementTree as ET

from canonym.report import ReportOptions, get_reporter
from canonym.report.junit import render_junit

from .findings import finding

HOSTILE = "<script>alert('x')</script> ]]> & \x01\x0b\x1f \ud7ff \ufffe \"quoted\""


def test_one_case_per_document_and_a_failure_per_finding() -> None:
    fs = [finding(), finding(line=5), finding("news/b.txt", "news/b.txt")]
    root = ET.fromstring(render_junit(fs, documents=["news/a.txt", "news/b.txt", "news/c.txt"]))
    suite = root.find("testsuite")
    assert suite is not None
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert list(cases) == ["news/a.txt", "news/b.txt", "news/c.txt"]
    assert [len(c.findall("failure")) for c in cases.values()] == [2, 1, 0]
    assert (suite.get("tests"), suite.get("failures")) == ("3", "3")
    first = cases["news/a.txt"].findall("failure")[0]
    assert first.get("type") == "CN001" and first.get("message", "").startswith("2:7 ")
    assert cases["news/a.txt"].get("file") == "news/a.txt"


def test_untrusted_text_is_escaped_and_characters_xml_forbids_are_replaced() -> None:
    f = finding(HOSTILE, HOSTILE, context=HOSTILE, message=f"'{HOSTILE}' is not canonical")
    text = render_junit([f])
    root = ET.fromstring(text)  # parses: nothing was left unescaped
    case = root.find("testsuite/testcase")
    assert case is not None and "<script>" not in text
    failure = case.find("failure")
    assert failure is not None and failure.text is not None
    safe = HOSTILE.replace("\x01", "\ufffd").replace("\x0b", "\ufffd").replace("\x1f", "\ufffd")
    safe = safe.replace("\ufffe", "\ufffd")
    assert case.get("name") == safe
    assert f"context: {safe}" in failure.text


def test_reporter_lists_the_runs_documents() -> None:
    out = io.StringIO()
    options = ReportOptions(documents=lambda: ["news/a.txt", "news/z.txt"])
    get_reporter("junit", options).write([finding()], out)
    root = ET.fromstring(out.getvalue())
    assert [c.get("name") for c in root.iter("testcase")] == ["news/a.txt", "news/z.txt"]


def test_an_unreadable_document_is_an_error() -> None:
    text = render_junit([finding()], unreadable=[("news/bin.txt", "binary <data> & more")])
    root = ET.fromstring(text)
    suite = root.find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("errors")) == ("2", "1")
    case = next(c for c in suite.iter("testcase") if c.get("name") == "news/bin.txt")
    error = case.find("error")
    assert error is not None and error.get("message") == "binary <data> & more"
