"""Counting findings for ``check``: all are counted, at most ``limit`` pass, and --fix's targets."""

from canonym.jobs.fix import FindingTally
from canonym.jobs.lint import Finding


def finding(rule: str, source: str, path: str | None) -> Finding:
    return Finding(rule, "doc", source, 1, 1, "mosul", "Mossoul", "Mosul", "m", "ctx", path)


def test_tally_counts_every_finding_and_passes_the_first_few() -> None:
    found = [
        finding("non-canonical", "a.txt", "a.txt"),
        finding("non-canonical", "news.jsonl:3", None),
        finding("non-canonical", "news.jsonl:9", None),
        finding("corpus-variants", "b.txt", "b.txt"),
    ]
    tally = FindingTally(limit=2)
    assert list(tally.count(found)) == found[:2]
    assert tally.total == 4 and tally.by_rule["non-canonical"] == 3
    assert tally.fix_paths == {"a.txt"}  # corpus-variants is not rewritten
    assert dict(tally.in_records) == {"news.jsonl": 2}
