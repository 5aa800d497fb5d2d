"""Include and exclude globs: the same files for every corpus job and every count."""

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from canonym.cli.app import app
from canonym.corpus.documents import count_documents, read_corpus
from canonym.corpus.partitions import plan_partitions, read_partition
from canonym.corpus.paths import PathFilter, glob_matches

from .conftest import DATA, MINI

CASES = list(csv.DictReader((DATA / "path_globs.csv").open(encoding="utf-8")))
G = ["--no-bundled", "-g", str(MINI), "--jobs", "1"]
runner = CliRunner()


@pytest.mark.parametrize("case", CASES, ids=[f"{c['pattern']} {c['path']}" for c in CASES])
def test_glob_conventions(case: dict[str, str]) -> None:
    got = glob_matches(case["pattern"], case["path"], case["is_dir"] == "1", case["prefix"])
    assert got == (case["matches"] == "1"), case["why"]


def _tree(root: Path) -> Path:
    files = {
        "README.md": "Hisbollah, in the corpus notes.\n",
        "en/a.txt": "Hisbollah spoke.\n",
        "en/README.txt": "Hisbollah notes.\n",
        "build/copy.txt": "Hisbollah copy.\n",
        "node_modules/x/y.md": "Hisbollah.\n",
        "drafts/d.txt": "Hisbollah draft.\n",
        "wires/w.md": "Hizbollah wire.\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_defaults_skip_readmes_and_build_folders_and_all_counts_agree(tmp_path: Path) -> None:
    root = _tree(tmp_path / "c")
    ids = [d.doc_id for d in read_corpus(str(root))]
    assert ids == ["drafts/d.txt", "en/a.txt", "wires/w.md"]
    assert count_documents(str(root)) == 3
    parts = plan_partitions(str(root), files_per_partition=2)
    assert [d.doc_id for p in parts for d in read_partition(p)] == ids
    assert [d.doc_id for d in read_corpus(str(root), paths=PathFilter.everything())] == [
        "README.md", "build/copy.txt", "drafts/d.txt", "en/README.txt", "en/a.txt",
        "node_modules/x/y.md", "wires/w.md",
    ]  # fmt: skip


def test_include_and_exclude_choose_files_and_partitions_follow(tmp_path: Path) -> None:
    root = _tree(tmp_path / "c")
    only = PathFilter(include=("wires/**", "en/"), exclude=("README*",))
    assert [d.doc_id for d in read_corpus(str(root), paths=only)] == ["en/a.txt", "wires/w.md"]
    assert count_documents(str(root), only) == 2
    planned = plan_partitions(str(root), paths=only)
    assert [d.doc_id for p in planned for d in read_partition(p)] == ["en/a.txt", "wires/w.md"]
    # Partitions are named by what they cover: another filter, other partitions.
    assert {p.id for p in plan_partitions(str(root), paths=only)} != {
        p.id for p in plan_partitions(str(root))
    }


def test_a_file_named_on_its_own_is_always_read(tmp_path: Path) -> None:
    root = _tree(tmp_path / "c")
    docs = list(read_corpus(str(root / "README.md")))
    assert [d.doc_id for d in docs] == ["README.md"] and docs[0].ok


def test_check_does_not_lint_the_corpus_readme(tmp_path: Path) -> None:
    root = _tree(tmp_path / "c")
    r = runner.invoke(app, ["check", str(root), *G, "--isolated", "--format", "json"])
    assert r.exit_code == 1, r.output
    assert "3 documents" in r.stderr
    assert "README" not in r.stdout


def test_cli_exclude_adds_to_defaults_and_include_narrows(tmp_path: Path) -> None:
    root = _tree(tmp_path / "c")
    r = runner.invoke(app, ["check", str(root), *G, "--isolated", "--exclude", "drafts/"])
    assert "2 documents" in r.stderr, r.output
    r = runner.invoke(app, ["check", str(root), *G, "--isolated", "--include", "*.md"])
    assert "1 documents" in r.stderr, r.output  # the README stays excluded
    r = runner.invoke(app, ["check", str(root / "README.md"), *G, "--isolated"])
    assert "1 documents" in r.stderr and r.exit_code == 1, r.output


def test_configured_globs_apply_to_aliases_build_and_batch_normalize(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path / "c")
    (tmp_path / ".canonym.toml").write_text(
        'exclude = ["README*", "build/", "node_modules/", "drafts/"]\n'
    )
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["aliases", "build", "c", *G, "--exclude", "wires/"])
    assert r.exit_code == 0, r.output
    assert "1 documents" in r.stderr
    out = tmp_path / "out"
    r = runner.invoke(app, ["normalize", "c", "--out-dir", str(out), *G, "--translate", "never"])
    assert r.exit_code == 0, r.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["en/a.txt", "wires/w.md"]


def test_a_bad_glob_on_the_command_line_is_one_line(tmp_path: Path) -> None:
    root = _tree(tmp_path / "c")
    r = runner.invoke(app, ["check", str(root), *G, "--isolated", "--exclude", " "])
    assert r.exit_code == 2 and "empty glob" in r.stderr
