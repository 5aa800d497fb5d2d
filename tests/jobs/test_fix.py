"""canonym.jobs.fix: only the names change, every other byte stays."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from canonym import Gazetteer
from canonym.jobs.fix import fix_bytes, fix_files
from canonym.normalize.normalizer import Normalizer


@pytest.fixture()
def normalizer(mini: Gazetteer) -> Normalizer:
    return Normalizer(mini)


@pytest.mark.parametrize("sep", [b"\r\n", b"\r", b"\n"], ids=["crlf", "cr", "lf"])
def test_line_endings_and_bom_are_kept(normalizer: Normalizer, sep: bytes) -> None:
    data = b"\xef\xbb\xbfHachd al-Chaabi" + sep + sep + b"in Mossoul." + sep
    assert fix_bytes(data, normalizer) == (
        b"\xef\xbb\xbfHashd al-Shaabi" + sep + sep + b"in Mosul." + sep
    )


def test_mixed_line_endings_and_ignored_entities(normalizer: Normalizer) -> None:
    data = b"Irak\r\nMossoul\rIrak\n"
    assert fix_bytes(data, normalizer, ignore={"mosul"}) == b"Iraq\r\nMossoul\rIraq\n"


def test_unchanged_text_is_the_same_bytes(normalizer: Normalizer) -> None:
    data = b"Nothing to see\r\n"
    assert fix_bytes(data, normalizer) is data


def test_files_report_what_changed_and_what_failed(normalizer: Normalizer, tmp_path: Path) -> None:
    good, latin, linked = tmp_path / "good.txt", tmp_path / "latin.txt", tmp_path / "hard.txt"
    good.write_bytes(b"Irak\r\n")
    latin.write_bytes("Irak \xe9t\xe9\n".encode("latin-1"))
    linked.write_bytes(b"Irak\n")
    os.link(linked, tmp_path / "twin.txt")
    diff = io.StringIO()
    dry = fix_files([str(good)], normalizer, dry_run=True, diff_to=diff)
    assert dry.changed == [str(good)] and good.read_bytes() == b"Irak\r\n"
    assert "-Irak" in diff.getvalue() and "+Iraq" in diff.getvalue()
    done = fix_files([str(good), str(latin), str(linked)], normalizer)
    assert done.changed == [str(good)]
    assert good.read_bytes() == b"Iraq\r\n"
    reasons = dict(done.failed)
    assert "UTF-8" in reasons[str(latin)] and "hard links" in reasons[str(linked)]
    assert linked.read_bytes() == (tmp_path / "twin.txt").read_bytes() == b"Irak\n"


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs the patch tool")
@pytest.mark.parametrize(
    "data",
    [
        b"Irak\rMossoul\rend",
        b"Irak\nMossoul",
        "Irak\u2028Mossoul\x0cIrak\n".encode(),
        b"\xef\xbb\xbfIrak\r\nMossoul\r\n",
    ],
    ids=["cr-no-final-newline", "no-final-newline", "unicode-separators", "bom-crlf"],
)
def test_dry_run_diff_applies_with_patch(
    normalizer: Normalizer, tmp_path: Path, data: bytes
) -> None:
    # The diff is for patch(1): lines end at "\n" only and a missing final newline is marked.
    doc, copy = tmp_path / "doc.txt", tmp_path / "copy.txt"
    doc.write_bytes(data)
    copy.write_bytes(data)
    diff = io.StringIO()
    fix_files([str(doc)], normalizer, dry_run=True, diff_to=diff)
    (tmp_path / "d.patch").write_text(diff.getvalue(), encoding="utf-8", newline="")
    done = subprocess.run(
        ["patch", "--binary", str(copy), str(tmp_path / "d.patch")], capture_output=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert copy.read_bytes() == fix_bytes(data, normalizer) != data
