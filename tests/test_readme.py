"""The README's Python API section runs as written."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def api_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, "the Python API section has no python block"
    return "\n".join(blocks)


def test_the_python_api_section_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What the example expects beside it: the curated files, a user's overlay, a corpus.
    os.symlink(ROOT / "gazetteers", tmp_path / "gazetteers")
    (tmp_path / "my-names.yaml").write_text(
        "entities:\n  - extend: hezbollah\n    aliases: [Hezbullah Party]\n", encoding="utf-8"
    )
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text("Kataeb Hezbollah claimed it.\n", encoding="utf-8")
    (news / "b.txt").write_text("Kataib Hezbollah denied it.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(api_block(), "README.md", "exec"), namespace)  # noqa: S102
    result = namespace["result"]
    assert "Baghdad" in result.text  # type: ignore[attr-defined]
    assert (tmp_path / "news.db").is_file()
    gz = namespace["gz"]
    assert gz.link("Hezbullah Party").entity.id == "hezbollah"  # type: ignore[attr-defined]
