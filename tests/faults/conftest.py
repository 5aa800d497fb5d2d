"""Inputs the fault tests share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture()
def non_utf8_named_corpus(tmp_path: Path) -> Path:
    """A corpus directory holding ``ok.txt`` and a file whose name is not UTF-8."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ok.txt").write_text("Mossoul\n", encoding="utf-8")
    try:
        (corpus / os.fsdecode(b"caf\xe9.txt")).write_text("Mossoul\n", encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this filesystem takes only UTF-8 names")
    return corpus
