"""Reading corpora: directories, JSON lines, CSV and stdin, with failures kept per document."""

import json
from pathlib import Path

import pytest

from canonym.corpus.documents import read_corpus
from canonym.io import InputError


def test_directory_in_sorted_order_with_bad_files_reported(corpus_dir: Path) -> None:
    (corpus_dir / "b" / "zz.bin.txt").write_bytes(b"\x00\x01binary")
    (corpus_dir / "b" / "latin.txt").write_bytes("Frappe à Mossoul".encode("latin-1"))
    (corpus_dir / ".hidden").mkdir()
    (corpus_dir / ".hidden" / "x.txt").write_text("skip me")
    (corpus_dir / "notes.csv").write_text("not part of a directory corpus")
    docs = list(read_corpus(str(corpus_dir)))
    assert [d.doc_id for d in docs] == [
        "a/one.txt",
        "a/two.txt",
        "b/five.txt",
        "b/four.txt",
        "b/latin.txt",
        "b/three.md",
        "b/zz.bin.txt",
    ]
    bad = {d.doc_id: d.error for d in docs if not d.ok}
    assert set(bad) == {"b/latin.txt", "b/zz.bin.txt"}
    assert "looks binary" in (bad["b/zz.bin.txt"] or "")
    assert "not valid UTF-8" in (bad["b/latin.txt"] or "")
    assert all(d.path for d in docs)


def test_huge_file_is_a_failure_not_a_crash(corpus_dir: Path) -> None:
    docs = list(read_corpus(str(corpus_dir), max_bytes=60))
    assert any(d.error and "too large" in d.error for d in docs)


def test_json_lines_with_fields_and_a_malformed_line(tmp_path: Path) -> None:
    f = tmp_path / "c.jsonl"
    lines = [
        json.dumps({"uid": "x1", "body": "Hachd al-Chaabi"}),
        '{"uid": "x2", "body": "trunc',
        "",
        json.dumps({"uid": "x3", "title": "no body"}),
        json.dumps(["not", "an", "object"]),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = list(read_corpus(str(f), text_field="body", id_field="uid"))
    assert [(d.doc_id, d.ok) for d in docs] == [
        ("x1", True),
        (f"{f}:2", False),
        ("x3", False),
        (f"{f}:5", False),
    ]
    assert docs[1].source == f"{f}:2" and "invalid JSON" in (docs[1].error or "")


def test_csv_column(tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text('id,text\nr1,"Mossoul, Irak"\nr2,Kirkuk\n', encoding="utf-8")
    docs = list(read_corpus(str(f)))
    assert [(d.doc_id, d.text, d.source) for d in docs] == [
        ("r1", "Mossoul, Irak", f"{f}:2"),
        ("r2", "Kirkuk", f"{f}:3"),
    ]
    with pytest.raises(InputError, match="no column 'body'"):
        list(read_corpus(str(f), text_field="body"))


def test_missing_corpus_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        list(read_corpus(str(tmp_path / "nope")))
