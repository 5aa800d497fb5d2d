"""The pre-commit hook: its manifest, and a run of it through ``pre-commit try-repo``.

The run needs the hook's environment installed without the network: pip is told
``--no-index`` and finds canonym's dependencies (and hatchling, to build it) in
``CANONYM_WHEELHOUSE`` or pip's configured ``find-links``. Where they are not
there, the run is skipped with the reason; the manifest is always checked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"


def test_the_manifest_passes_pre_commits_own_schema() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="pip install pre-commit")
    hooks = {h["id"]: h for h in clientlib.load_manifest(str(MANIFEST))}
    hook = hooks["canonym-check"]
    assert (hook["entry"], hook["language"], hook["types"]) == ("canonym check", "python", ["text"])
    assert hook["pass_filenames"] is True
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert hook["entry"].split()[0] in scripts  # the entry is a command the package installs


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def test_try_repo_runs_the_hook_on_the_files_given(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pip install pre-commit")
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("try-repo needs git and canonym's own git checkout")
    repo = tmp_path / "desk"
    (repo / "news").mkdir(parents=True)
    (repo / "news" / "a.md").write_text("Hisbollah fighters crossed.\n", encoding="utf-8")
    (repo / "news" / "b.txt").write_text("Hezbollah said nothing.\n", encoding="utf-8")
    (repo / "notes.py").write_text("# Hisbollah, in code: not copy\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PIP_NO_INDEX": "1",  # never the network
        "HOME": str(tmp_path),
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    if os.environ.get("CANONYM_WHEELHOUSE"):
        env["PIP_FIND_LINKS"] = os.environ["CANONYM_WHEELHOUSE"]
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "canonym-check",
           "--files", "news/a.md", "news/b.txt", "notes.py", "--verbose"]  # fmt: skip
    done = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    out = done.stdout + done.stderr
    if done.returncode not in (0, 1) or "An unexpected error" in out:
        log = Path(env["PRE_COMMIT_HOME"]) / "pre-commit.log"
        text = log.read_text(errors="replace") if log.exists() else out
        errors = [ln.strip() for ln in text.splitlines() if "ERROR" in ln or "rror:" in ln]
        detail = (errors or [text.strip()[-300:]])[-1]
        pytest.skip(
            "the hook's environment cannot be installed offline here (set CANONYM_WHEELHOUSE "
            f"to a folder of wheels of canonym's dependencies and hatchling): {detail}"
        )
    assert done.returncode == 1, out  # a finding fails the hook
    assert "canonym check" in out and "Failed" in out
    assert "Hisbollah" in out and "a.md" in out
    assert "notes.py" not in out  # not a text file a corpus folder is read for
    assert "2 documents" in out
