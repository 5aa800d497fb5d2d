from pathlib import Path

from canonym.corpus.store import Store


def test_a_report_cut_short_closes_after_its_database_quietly(tmp_path: Path) -> None:
    # Ctrl-C while `check` prints: the database closes first, and the half-read
    # query is collected later; closing it must not touch the closed connection
    # (Python would print "Exception ignored ... ProgrammingError" on stderr).
    with Store(tmp_path / "c.db") as st:
        rows = st._rows("SELECT 1 UNION ALL SELECT 2")
        next(rows)
    rows.close()
