"""The line and GitHub formats: one line per finding, that editors, grep and the
Actions runner read back as the same file, position and message."""

import io
import re

import pytest

from canonym.report import ReportOptions, Statistics, get_reporter
from canonym.report.github import annotation
from canonym.report.line import format_line

from .findings import finding


def test_line_is_path_line_col_code_message() -> None:
    assert (
        format_line(finding()) == "news/a.txt:2:7: CN001 'Mossoul' is not canonical; write 'Mosul'"
    )


def test_line_of_a_record_is_its_line_in_the_file_then_its_place_in_the_text() -> None:
    f = finding("feeds/wire.jsonl:12", None, line=3, col=5)
    assert format_line(f).startswith("feeds/wire.jsonl:12: CN001 'Mossoul'")
    assert format_line(f).endswith("(text 3:5)")
    assert format_line(finding("<stdin>:4", None)).startswith("<stdin>:4: CN001")


def test_line_reporter_writes_one_line_per_finding_then_statistics() -> None:
    out = io.StringIO()
    stats = Statistics()
    fs = [finding(), finding(rule="corpus-variants", message="Mosul is spelled 2 ways")]
    get_reporter("line", ReportOptions(statistics=stats)).write(stats.count(fs), out)
    lines = out.getvalue().splitlines()
    assert [ln.split(": ", 1)[0] for ln in lines[:2]] == ["news/a.txt:2:7"] * 2
    assert lines[2] == "Statistics: 2 findings"


def unescape(text: str) -> str:
    return re.sub("%(25|0D|0A|3A|2C)", lambda m: bytes.fromhex(m.group(1)).decode(), text)


def parse(command: str) -> tuple[str, dict[str, str], str]:
    """A workflow command read as the runner reads it: ``::level k=v,k=v::message``."""
    m = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", command)
    assert m, command
    props = dict(kv.split("=", 1) for kv in m.group(2).split(","))
    return m.group(1), {k: unescape(v) for k, v in props.items()}, unescape(m.group(3))


@pytest.mark.parametrize(
    ("severity", "level"), [("error", "error"), ("warning", "warning"), ("suggestion", "notice")]
)
def test_github_level_follows_severity(severity: str, level: str) -> None:
    assert parse(annotation(finding(severity=severity)))[0] == level


def test_github_annotation_has_the_span_and_code() -> None:
    _, props, message = parse(annotation(finding()))
    assert props == {
        "file": "news/a.txt", "line": "2", "col": "7", "endLine": "2", "endColumn": "14",
        "title": "CN001",
    }  # fmt: skip
    assert message == "'Mossoul' is not canonical; write 'Mosul'"


@pytest.mark.parametrize(
    "name", ["a,b.txt", "c:d.txt", "100%.txt", "x::warning file=y.txt", "e%0Af.txt"]
)
def test_github_file_names_cannot_break_the_command(name: str) -> None:
    command = annotation(finding(name, name))
    assert "\n" not in command
    assert parse(command)[1]["file"] == name


@pytest.mark.parametrize(
    "message", ["50% of 'Mossoul'", "one\nline\r\nmore", "::error::injected", "a%0Ab"]
)
def test_github_messages_are_escaped_and_read_back(message: str) -> None:
    command = annotation(finding(message=message))
    assert "\n" not in command and "\r" not in command
    assert parse(command)[2] == message


def test_github_record_is_annotated_on_its_line_without_columns() -> None:
    _, props, _ = parse(annotation(finding("wire.jsonl:9", None, line=3, col=4)))
    assert props == {"file": "wire.jsonl", "line": "9", "title": "CN001"}
    _, props, _ = parse(annotation(finding("<stdin>:2", None)))
    assert "file" not in props
