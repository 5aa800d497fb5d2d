"""``--statistics``: counts per rule and per entity, commonest first."""

from canonym.report import Statistics

from .findings import finding


def test_counts_every_finding_passed_on() -> None:
    stats = Statistics()
    fs = [
        finding(), finding(entity="iraq"), finding(entity="iraq"),
        finding(rule="mixed-spellings", entity="iraq"),
    ]  # fmt: skip
    assert list(stats.count(fs)) == fs
    assert stats.to_dict() == {
        "total": 4,
        "rules": {"CN001": 3, "CN002": 1},
        "entities": {"iraq": 3, "mosul": 1},
    }
    assert list(stats.lines()) == [
        "Statistics: 4 findings",
        "  by rule:",
        "    3  CN001  non-canonical",
        "    1  CN002  mixed-spellings",
        "  by entity:",
        "    3  iraq",
        "    1  mosul",
    ]


def test_no_findings() -> None:
    assert Statistics().to_dict() == {"total": 0, "rules": {}, "entities": {}}
