"""Batch ``normalize --out-dir``: a corpus normalized into a directory, in corpus order."""

import json
from pathlib import Path

from typer.testing import CliRunner

from canonym import Gazetteer, Normalizer
from canonym.cli.app import app

from .conftest import ARTICLES, MINI

runner = CliRunner()
G = ["--no-bundled", "-g", str(MINI)]


def test_directory_mirrored_with_normalized_texts(corpus_dir: Path, tmp_path: Path) -> None:
    (corpus_dir / "b" / "zz.txt").write_bytes(b"\x00binary")
    out1, out2 = tmp_path / "one", tmp_path / "two"
    r1 = runner.invoke(app, ["normalize", str(corpus_dir), "--out-dir", str(out1), "-j", "1", *G])
    r2 = runner.invoke(app, ["normalize", str(corpus_dir), "--out-dir", str(out2), "-j", "2", *G])
    assert r1.exit_code == r2.exit_code == 1  # the binary file failed, and said so
    assert "zz.txt: looks binary" in r1.stderr
    norm = Normalizer(Gazetteer.load(MINI, use_cache=False))
    for rel, text in ARTICLES.items():
        expected = norm.normalize(text).text
        assert (out1 / rel).read_text(encoding="utf-8") == expected
        assert (out2 / rel).read_text(encoding="utf-8") == expected
    assert not (out1 / "b" / "zz.txt").exists()
    assert "5 documents: 5 changed" not in r1.stderr and "6 documents" in r1.stderr


def test_json_lines_to_one_file_in_order(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "Hachd al-Chaabi in Mossoul"}) + "\n"
        + "{broken\n"
        + json.dumps({"id": "b", "text": "Hashd al-Shaabi in Mosul"}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "out"
    r = runner.invoke(app, ["normalize", str(src), "--out-dir", str(out), "-j", "1", *G])
    assert r.exit_code == 1 and f"{src}:2: invalid JSON" in r.stderr
    rows = [json.loads(x) for x in (out / "normalized.jsonl").read_text().splitlines()]
    assert rows == [
        {"id": "a", "text": "Hashd al-Shaabi in Mosul", "changed": True},
        {"id": "b", "text": "Hashd al-Shaabi in Mosul", "changed": False},
    ]


def test_directory_without_out_dir_is_explained(corpus_dir: Path) -> None:
    r = runner.invoke(app, ["normalize", str(corpus_dir), *G])
    assert r.exit_code == 2 and "add --out-dir" in r.stderr


def test_batch_honours_accept_and_no_fuzzy(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "Hachd al-Chaabi met Mohamad Shiya al-Soudany"}) + "\n"
    )
    texts = {}
    for name, extra in (
        ("default", []),
        ("strict", ["--accept", "0.95"]),
        ("exact", ["--no-fuzzy"]),
    ):
        out = tmp_path / name
        r = runner.invoke(
            app, ["normalize", str(src), "--out-dir", str(out), "-j", "1", *extra, *G]
        )
        assert r.exit_code == 0, r.stderr
        texts[name] = json.loads((out / "normalized.jsonl").read_text())["text"]
    assert texts == {
        "default": "Hashd al-Shaabi met Mohammed Shia al-Sudani",
        "strict": "Hashd al-Shaabi met Mohamad Shiya al-Soudany",
        "exact": "Hashd al-Shaabi met Mohamad Shiya al-Soudany",
    }
