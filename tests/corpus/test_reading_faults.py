"""Reading faults: documents that are not text, not Unicode, too large or not files.

Each is listed with its source and never stops a run; the exit code says that
something was left out (1), or that nothing at all could be read (2).
"""

import codecs
import json
import os
import random
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym.cli.app import app
from canonym.corpus import documents as corpus_module
from canonym.corpus.documents import read_corpus
from canonym.io import InputError, decode, read_text

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = ["--no-bundled", "-g", str(DATA / "mini.yaml"), "-j", "1"]
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
runner = CliRunner()


def run(*args: str, input: bytes | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def lines(*records: object) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


# A JSON line with an escaped lone surrogate: valid JSON, not Unicode text.
SURROGATE = '{"id": "s", "text": "Mossoul \\ud800 Kirkuk"}\n'


def surrogate_corpus(tmp_path: Path) -> Path:
    f = tmp_path / "s.jsonl"
    f.write_text(
        lines({"id": "a", "text": "Hachd al-Chaabi"})
        + SURROGATE
        + lines({"id": "c", "text": "Irak"}),
        encoding="utf-8",
    )
    return f


def test_lone_surrogate_record_is_listed(tmp_path: Path) -> None:
    docs = list(read_corpus(str(surrogate_corpus(tmp_path))))
    assert [(d.doc_id, d.ok) for d in docs] == [("a", True), ("s", False), ("c", True)]
    assert "lone surrogate" in (docs[1].error or "")
    problem = corpus_module.text_problem  # the rule a cluster worker applies too
    assert problem("Mossoul") is None and problem("\udc80") is not None


@pytest.mark.parametrize("cmd", [["check"], ["aliases", "build"]])
def test_lone_surrogate_never_stops_a_run_nor_a_rerun(tmp_path: Path, cmd: list[str]) -> None:
    f = surrogate_corpus(tmp_path)
    db = tmp_path / "c.db"
    for _ in range(2):  # the re-run met the same line and crashed the same way
        r = run(*cmd, str(f), "--db", str(db), *MINI)
        assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
        assert r.exit_code == 1
        assert f"{f}:2: lone surrogate at character" in r.stderr
    r = run("check", "-", *MINI, input=f.read_bytes())
    assert r.exit_code == 1 and "<stdin>:2: lone surrogate at character" in r.stderr


def test_csv_long_field_and_latin1_rows(tmp_path: Path) -> None:
    long_text = "Mossoul. " * 20_000  # 180 KB, over the csv module's 128 KiB default
    f = tmp_path / "long.csv"
    f.write_text(f'id,text\nlong,"{long_text}"\nshort,Irak\n', encoding="utf-8")
    assert [(d.doc_id, d.ok) for d in read_corpus(str(f))] == [("long", True), ("short", True)]

    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,text\nr1,Frappe à Mossoul\nr2,Irak\n".encode("latin-1"))
    docs = list(read_corpus(str(latin)))
    assert [(d.doc_id, d.ok) for d in docs] == [("r1", False), ("r2", True)]
    assert "not valid UTF-8" in (docs[0].error or "") and "--encoding" in (docs[0].error or "")
    docs = list(read_corpus(str(latin), encoding="latin-1"))
    assert docs[0].text == "Frappe à Mossoul"


@pytest.mark.parametrize("cmd", [["check"], ["aliases", "build"]])
def test_encoding_option_on_the_corpus_jobs(tmp_path: Path, cmd: list[str]) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,text\nr1,Frappe à Mossoul\n".encode("latin-1"))
    r = run(*cmd, str(latin), *MINI)
    assert r.exit_code == 2 and "none of the 1 documents could be read" in r.stderr
    r = run(*cmd, str(latin), "--encoding", "latin-1", *MINI)
    assert "1 analyzed" in r.stderr and "0 unreadable" in r.stderr
    assert r.exit_code == (1 if cmd == ["check"] else 0)  # check: a non-canonical Mossoul


def test_cp1256_json_lines_in_batch_normalize_are_listed_not_destroyed(tmp_path: Path) -> None:
    f = tmp_path / "ar.jsonl"
    f.write_bytes(lines({"id": "ar1", "text": "الحشد الشعبي في كركوك"}).encode("cp1256"))
    out = tmp_path / "out"
    r = run("normalize", str(f), "--out-dir", str(out), "--translate", "never", *MINI)
    assert r.exit_code == 2  # its one document could not be read
    assert f"{f}:1: not valid UTF-8" in r.stderr and "--encoding cp1256" in r.stderr
    assert not (out / "normalized.jsonl").exists()
    r = run(
        "normalize", str(f), "--out-dir", str(out), "--translate", "never",
        "--encoding", "cp1256", *MINI,
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    row = json.loads((out / "normalized.jsonl").read_text(encoding="utf-8"))
    assert "\ufffd" not in row["text"] and "كركوك" in row["text"]


def test_unreadable_documents_exit_1(corpus_dir: Path) -> None:
    clean = corpus_dir.parent / "clean"
    (clean).mkdir()
    (clean / "ok.txt").write_text("Hashd al-Shaabi in Mosul.\n", encoding="utf-8")
    assert run("check", str(clean), *MINI).exit_code == 0
    (clean / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    r = run("check", str(clean), *MINI)
    assert r.exit_code == 1 and "bin.txt: looks binary" in r.stderr
    r = run("aliases", "build", str(clean), *MINI)
    assert r.exit_code == 1 and r.stdout  # the table of what could be read is still written


def test_no_record_with_the_text_field_exit_2_naming_the_fields() -> None:
    corpus = FIXTURES / "articles.jsonl"
    r = run("aliases", "build", str(corpus), "--format", "json", *MINI)
    assert r.exit_code == 2 and r.stdout == ""
    assert (
        "canonym: no record has a 'text' field; fields seen: body, id, lang, title; "
        "pass --text-field body" in r.stderr
    )
    r = run("aliases", "build", str(corpus), "--format", "json", "--text-field", "body", *MINI)
    assert r.exit_code == 1  # line 7 is malformed on purpose
    assert json.loads(r.stdout)


def test_a_text_field_that_is_not_a_string_is_named_as_such(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(lines({"text": 5}, {"text": ["a"]}, {"text": None}), encoding="utf-8")
    r = run("check", str(corpus), *MINI)
    assert r.exit_code == 2
    assert "c.jsonl:1: field 'text' holds a number, not text" in r.stderr
    assert "c.jsonl:2: field 'text' holds a list, not text" in r.stderr
    assert "c.jsonl:3: field 'text' holds null, not text" in r.stderr
    # The field is there, so "no record has a 'text' field" would be wrong.
    assert "no record has" not in r.stderr and "no text field" not in r.stderr


def test_utf8_bom_kept_by_normalize(tmp_path: Path) -> None:
    f = tmp_path / "bom.txt"
    f.write_bytes(codecs.BOM_UTF8 + b"Irak et Mossoul.\n")
    out = tmp_path / "out.txt"
    r = run("normalize", str(f), "-o", str(out), "--translate", "never", *MINI[:3])
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes() == codecs.BOM_UTF8 + b"Iraq et Mosul.\n"


def test_json_lines_with_a_bom_read_their_first_record(tmp_path: Path) -> None:
    j = tmp_path / "bom.jsonl"
    j.write_bytes(
        codecs.BOM_UTF8 + lines({"id": "a", "text": "Irak"}, {"id": "b", "text": "x"}).encode()
    )
    assert [(d.doc_id, d.ok) for d in read_corpus(str(j))] == [("a", True), ("b", True)]


def test_utf16_with_bom(tmp_path: Path) -> None:
    f = tmp_path / "u16.txt"
    f.write_bytes("Frappe à Mossoul\n".encode("utf-16"))
    assert read_text(str(f), "utf-16")[1] == "Frappe à Mossoul\n"
    with pytest.raises(InputError, match="try --encoding utf-16"):
        read_text(str(f))
    j = tmp_path / "u16.jsonl"
    j.write_bytes(lines({"id": "a", "text": "Mossoul"}).encode("utf-16"))
    assert [d.text for d in read_corpus(str(j), encoding="utf-16")] == ["Mossoul"]


def test_binary_detection(tmp_path: Path) -> None:
    rng = random.Random(7)
    noise = bytes(rng.choice([b for b in range(256) if b]) for _ in range(4096))
    with pytest.raises(InputError, match="looks binary") as e:
        decode(noise, "noise.bin")
    assert "cp1252" not in str(e.value)
    late_nul = b"plain text " * 1000 + b"\x00tail"  # the NUL is past the first 8 KiB
    with pytest.raises(InputError, match="NUL byte at offset 11000"):
        decode(late_nul, "late.txt")
    with pytest.raises(InputError, match="looks binary"):
        decode(noise, "noise.bin", "cp1252")
    # Text is still text: a Latin-1 file gets its suggestion, a DOS end-of-file is fine.
    with pytest.raises(InputError, match="try --encoding cp1252"):
        decode("Frappe à Mossoul\n".encode("latin-1"), "fr.txt")
    assert decode(b"Mosul\r\n\x1a", "dos.txt") == "Mosul\r\n\x1a"


def test_size_cap_for_files_lines_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"Mossoul " * 100)
    with pytest.raises(InputError, match="too large"):
        read_text(str(big), max_bytes=500)
    monkeypatch.setenv("CANONYM_MAX_DOC_BYTES", "500")
    with pytest.raises(InputError, match="too large"):
        read_text(str(big))
    monkeypatch.delenv("CANONYM_MAX_DOC_BYTES")
    assert read_text(str(big))[1].startswith("Mossoul")

    j = tmp_path / "c.jsonl"
    j.write_text(
        lines({"id": "a", "text": "x" * 1000}, {"id": "b", "text": "Irak"}), encoding="utf-8"
    )
    docs = list(read_corpus(str(j), max_bytes=200))
    assert [(d.doc_id, d.ok) for d in docs] == [(f"{j}:1", False), ("b", True)]
    assert "too large" in (docs[0].error or "")
    c = tmp_path / "c.csv"
    c.write_text(f"id,text\na,{'x' * 1000}\nb,Irak\n", encoding="utf-8")
    docs = list(read_corpus(str(c), max_bytes=200))
    assert [d.ok for d in docs] == [False, True] and docs[1].doc_id == "b"

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "big.txt").write_bytes(b"Mossoul " * 100)
    (corpus / "ok.txt").write_text("Hashd al-Shaabi\n", encoding="utf-8")
    r = run("check", str(corpus), "--max-doc-bytes", "500", *MINI)
    assert r.exit_code == 1 and "big.txt: too large (over 500 bytes)" in r.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a device node needs root")
def test_devices_fifos_and_links_to_them_are_listed_never_read(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ok.txt").write_text("Hashd al-Shaabi\n", encoding="utf-8")
    zero = tmp_path / "zero"  # a node like /dev/zero, outside the corpus
    try:
        os.mknod(zero, stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("this container may not create device nodes")
    os.mknod(corpus / "zero.txt", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    (corpus / "link.txt").symlink_to(zero)
    os.mkfifo(corpus / "pipe.txt")  # reading it would block for ever
    docs = {d.doc_id: d for d in read_corpus(str(corpus))}
    assert docs["ok.txt"].ok
    assert "a character device, not a regular file" in (docs["zero.txt"].error or "")
    assert "a character device, not a regular file" in (docs["link.txt"].error or "")
    assert "a FIFO, not a regular file" in (docs["pipe.txt"].error or "")
    # A device named on the command line is read only up to the cap.
    with pytest.raises(InputError, match="too large"):
        read_text(str(zero), max_bytes=1000)


def test_utf8_bom_in_a_corpus_kept_by_batch_normalize_not_counted_by_check(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(codecs.BOM_UTF8 + b"Hachd al-Chaabi a Mossoul.\n")
    out = tmp_path / "out"
    r = run("normalize", str(corpus), "--out-dir", str(out), "--translate", "never", *MINI)
    assert r.exit_code == 0, r.stderr
    assert (out / "a.txt").read_bytes() == codecs.BOM_UTF8 + b"Hashd al-Shaabi a Mosul.\n"
    r = run("check", str(corpus), "--format", "json", *MINI)
    columns = sorted(f["col"] for f in json.loads(r.stdout)["findings"])
    assert columns == [1, 19]  # as an editor counts them, the mark aside


@pytest.mark.parametrize("cmd", [["check"], ["aliases", "build"]])
def test_an_unknown_encoding_fails_once_at_the_start(tmp_path: Path, cmd: list[str]) -> None:
    """Not a run that lists every document as unreadable for the same reason."""
    f = tmp_path / "c.jsonl"
    f.write_text(lines({"id": "a", "text": "x"}, {"id": "b", "text": "y"}), encoding="utf-8")
    r = run(*cmd, str(f), "--encoding", "bogus", *MINI)
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [
        "canonym: unknown encoding 'bogus'; give one such as utf-8, cp1256 or latin-1"
    ]


def test_fix_on_records_says_they_were_left_and_keeps_the_findings(tmp_path: Path) -> None:
    """--fix rewrites plain-text files only: findings in JSON lines remain, exit 1."""
    f = tmp_path / "c.jsonl"
    f.write_text(lines({"id": "a", "text": "Hisbollah met in Mossoul."}), encoding="utf-8")
    before = f.read_bytes()
    r = run("check", str(f), "--fix", *MINI)
    assert f.read_bytes() == before
    assert r.exit_code == 1, r.stderr
    assert "--fix rewrites plain-text files only; " in r.stderr and str(f) in r.stderr
