from pathlib import Path

import pytest

from canonym.config import ConfigError, load


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.canonym]\nmin-variants = 3\naccept = 0.8\nformat = "json"\n', encoding="utf-8"
    )
    sub = tmp_path / "news" / "2026"
    sub.mkdir(parents=True)
    (tmp_path / "news" / ".canonym.toml").write_text(
        'accept = 0.9\nignore = ["CN003"]\n', encoding="utf-8"
    )
    return sub


def test_precedence_cli_config_dotfile_pyproject(tmp_path: Path) -> None:
    cwd = _tree(tmp_path)
    extra = tmp_path / "extra.toml"
    extra.write_text('format = "sarif"\n', encoding="utf-8")
    s = load(cwd=cwd, config=extra, cli={"min_variants": 4, "accept": None})
    assert s.min_variants == 4 and s.sources["min_variants"] == "command line"
    assert s.format == "sarif" and s.sources["format"] == str(extra)
    assert s.accept == 0.9 and s.sources["accept"].endswith(".canonym.toml")
    assert s.ignore == ["CN003"]
    assert "README*" in s.exclude and s.to_dict()["exclude"]["source"] == "default"


def test_isolated_ignores_files(tmp_path: Path) -> None:
    s = load(cwd=_tree(tmp_path), isolated=True)
    assert s.min_variants == 2 and s.accept is None and s.sources == {}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("min-variants = 1\n", "min-variants"),
        ('select = ["CN999"]\n', "select"),
        ('[severity]\nCN001 = "fatal"\n', "severity.CN001"),
        ("colour = true\n", "colour"),
        ("accept = [\n", "(syntax)"),
        ("accept = 2\n", "accept"),
        ('[[per-path]]\nglob = "x/*"\nmin-variants = "a"\n', "per-path[0].min-variants"),
    ],
)
def test_errors_name_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    (tmp_path / ".canonym.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load(cwd=tmp_path)
    assert e.value.key == key and e.value.path.endswith(".canonym.toml")


def test_ignore_splits_rules_from_entities(tmp_path: Path) -> None:
    (tmp_path / ".canonym.toml").write_text(
        'ignore = ["CN003", "hezbollah"]\n[severity]\nnon-canonical = "error"\n', encoding="utf-8"
    )
    opts = load(cwd=tmp_path).lint_options()
    assert opts["ignore"] == {"hezbollah"}
    assert opts["rules"] == {"non-canonical", "mixed-spellings"}
    assert opts["severity"]["non-canonical"].name == "error"
