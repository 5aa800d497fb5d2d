"""Each finding says where its name ends, the document's language and, for a
non-canonical spelling, what replaces it; a database from before ends were stored
still gives them."""

import json
import sqlite3
from pathlib import Path
from typing import Any

from canonym.corpus.schema import SCHEMA_VERSION

from .conftest import check


def findings(*args: str) -> list[dict[str, Any]]:
    r = check(*args, "--format", "json")
    assert r.exit_code == 1, r.output
    return list(json.loads(r.stdout)["findings"])


def by_surface(found: list[dict[str, Any]], code: str) -> dict[str, dict[str, Any]]:
    return {f["surface"]: f for f in found if f["code"] == code}


def test_a_name_broken_across_lines_ends_on_the_next_line(corpus: Path) -> None:
    f = by_surface(findings(str(corpus)), "CN001")["Mohamed Chia al-Soudani"]
    assert (f["line"], f["col"], f["end_line"], f["end_col"]) == (1, 20, 2, 11)
    # The edit keeps the document's line break where the name had one.
    assert f["replacement"] == "Mohammed Shia\nal-Sudani"
    assert (f["severity"], f["language"]) == ("warning", "en")


def test_language_is_the_documents_and_the_replacement_its_form(corpus: Path) -> None:
    found = findings(str(corpus))
    fr = by_surface([f for f in found if f["source"].endswith("fr.txt")], "CN001")
    assert {s: f["replacement"] for s, f in fr.items()} == {
        "Etats-Unis": "États-Unis", "Mosul": "Mossoul", "Hizbollah": "Hezbollah",
    }  # fmt: skip
    assert {f["language"] for f in fr.values()} == {"fr"}
    mosul = fr["Mosul"]
    assert mosul["end_line"] == mosul["line"] and mosul["end_col"] == mosul["col"] + len("Mosul")


def test_only_non_canonical_findings_carry_a_replacement(corpus: Path) -> None:
    found = findings(str(corpus))
    assert {f["code"] for f in found} >= {"CN001", "CN003"}
    assert all((f["replacement"] is not None) == (f["code"] == "CN001") for f in found)


def test_a_database_without_stored_ends_is_upgraded_and_reports_them(
    corpus: Path, tmp_path: Path
) -> None:
    db = tmp_path / "corpus.db"
    before = findings(str(corpus), "--db", str(db))
    with sqlite3.connect(db) as con:  # as a database of the previous schema holds it
        con.execute("ALTER TABLE mentions DROP COLUMN end_line")
        con.execute("ALTER TABLE mentions DROP COLUMN end_col")
        con.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    after = findings(str(corpus), "--db", str(db))
    one_line = [f for f in before if f["end_line"] == f["line"]]
    assert one_line and all(f in after for f in one_line)
    with sqlite3.connect(db) as con:
        columns = {r[1] for r in con.execute("PRAGMA table_info(mentions)")}
        assert {"end_line", "end_col"} <= columns
        assert con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (
            SCHEMA_VERSION,
        )
