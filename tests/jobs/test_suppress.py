from pathlib import Path

from canonym.jobs.lint import Finding
from canonym.jobs.suppress import parse, suppress


def _f(rule: str, line: int, path: str | None) -> Finding:
    return Finding(rule, "d", "s", line, 1, "e", "x", "y", "m", "c", path)


TEXT = """one
<!-- canonym: off -->
three
<!-- canonym: on -->
five  <!-- canonym: ignore[CN001] -->
six  # canonym: ignore
seven
"""


def test_regions_and_line_markers() -> None:
    s = parse(TEXT)
    assert not s.covers(1, "non-canonical")
    assert s.covers(3, "corpus-variants")
    assert s.covers(5, "non-canonical") and not s.covers(5, "mixed-spellings")
    assert s.covers(6, "mixed-spellings")
    assert not s.covers(7, "non-canonical")


def test_suppress_drops_and_counts(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text(TEXT, encoding="utf-8")
    gone: list[Finding] = []
    kept = list(
        suppress(
            [_f("non-canonical", 1, str(p)), _f("non-canonical", 3, str(p)),
             _f("mixed-spellings", 5, str(p)), _f("non-canonical", 3, None)],
            gone.append,
        )
    )  # fmt: skip
    assert [(f.line, f.path is None) for f in kept] == [(1, False), (5, False), (3, True)]
    assert [f.line for f in gone] == [3]
