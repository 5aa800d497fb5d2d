"""The HTML report for triage: escaped, self-contained, and in headless Chromium it
filters, groups and keeps its counts bar on one line.

Set CANONYM_REPORT_SCREENSHOT=docs/check-report.png to save the screenshot the
README shows, made by the same Chromium run as the test.
"""

import os
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from canonym.jobs.lint import Finding
from canonym.report.html import is_rtl, render_html

from .browser import screenshot, shown

DATA = Path(__file__).resolve().parents[1] / "data" / "report_findings.yaml"
ROOT = Path(__file__).resolve().parents[2]


def load() -> list[Finding]:
    out = []
    for d in yaml.safe_load(DATA.read_text(encoding="utf-8")):
        message = d.get("message") or f"'{d['surface']}' is not canonical; write '{d['canonical']}'"
        out.append(
            Finding(
                d["rule"], d["source"].rsplit("/", 1)[-1], d["source"], d["line"], d["col"],
                d["entity"], d["surface"], d["canonical"], message, d["context"], d["source"],
                language=d["language"], end_line=d["line"], end_col=d["col"] + len(d["surface"]),
            )
        )  # fmt: skip
    return out


FINDINGS = load()


def numbers(**where: Any) -> list[int]:
    """The 1-based numbers of the findings whose fields have these values."""
    return [
        n for n, f in enumerate(FINDINGS, 1) if all(getattr(f, k) == v for k, v in where.items())
    ]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("html") / "report.html"
    p.write_text(render_html(FINDINGS, title="canonym: name consistency in desk/"), "utf-8")
    return p


def test_document_text_stays_text() -> None:
    text = render_html(FINDINGS)
    assert "<img src=x" not in text and "<script>window.owned" not in text
    assert "&lt;b&gt;odd&lt;/b&gt; name.txt" in text
    # One page: styles and script inlined, nothing fetched.
    assert "<link" not in text and " src=" not in text.replace("src=x", "")


class Attributes(HTMLParser):
    """Every attribute name the page's elements have, as a browser parses them."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.update(name for name, _ in attrs)


def test_every_attribute_from_the_data_is_quoted() -> None:
    odd = replace(FINDINGS[0], language="en onmouseover=x", code="CN001 onclick=x")
    parser = Attributes()
    parser.feed(render_html([odd]))
    assert not {n for n in parser.names if n.startswith("on")}, parser.names


def test_arabic_contexts_are_right_to_left() -> None:
    text = render_html(FINDINGS)
    assert text.count('<td class=ctx dir=rtl lang="ar">') == len(numbers(language="ar"))
    assert is_rtl("قال مسؤولون إن مقاتلي Hezbollah") and not is_rtl("the Hezbollah envoys")


def test_a_rule_filter_shows_its_rows_and_the_counts_on_one_line(page: Path) -> None:
    seen = shown(page, "rule=CN001")
    assert seen["visible"] == numbers(code="CN001")
    assert seen["hash"] == "#rule=CN001" and not seen["owned"]
    assert len(set(seen["tops"])) == 1, seen
    assert max(seen["heights"]) < 1.6 * seen["line"], seen
    assert seen["bar"].startswith(f"{len(numbers(code='CN001'))} of {len(FINDINGS)} findings")
    target = os.environ.get("CANONYM_REPORT_SCREENSHOT")
    if target:
        screenshot(page, ROOT / target, "rule=CN001")


def test_the_counts_bar_does_not_wrap_in_a_narrow_window(page: Path) -> None:
    seen = shown(page, "", width=360, height=640)
    assert len(seen["visible"]) == len(FINDINGS)
    assert len(set(seen["tops"])) == 1 and max(seen["heights"]) < 1.6 * seen["line"], seen
    assert seen["barScroll"] <= seen["barWidth"] + 1  # elided, not spilling over


def test_language_filter_and_names_of_rules(page: Path) -> None:
    seen = shown(page, "lang=ar&rule=mixed-spellings")
    assert seen["visible"] == numbers(language="ar", code="CN002")
    rtl = [seen["directions"][str(n)] for n in numbers(language="ar")]
    ltr = [seen["directions"][str(n)] for n in numbers(language="en")]
    assert set(rtl) == {"rtl"} and set(ltr) == {"ltr"}


def test_grouped_by_entity_and_sorted_by_position(page: Path) -> None:
    seen = shown(page, "group=entity&sort=where&doc=desk/en-mosul.txt")
    assert [g.split(" ")[0] for g in seen["groups"]] == ["hezbollah", "mosul"]
    assert seen["groups"][0].startswith("hezbollah → Hezbollah · 2 findings")
    assert seen["visible"] == [2, 3, 1]
