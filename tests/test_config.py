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
    ("text", "key", "line"),
    [
        ("min-variants = 1\n", "min-variants", 1),
        ('format = "json"\nselect = ["CN999"]\n', "select", 2),
        ('[severity]\nCN001 = "fatal"\n', "severity.CN001", 2),
        ("accept = 0.9\n\ncolour = true\n", "colour", 3),
        ("accept = [\n", "(syntax)", None),
        ("accept = 2\n", "accept", 1),
        ('exclude = ["drafts/", " "]\n', "exclude", 1),
        ('\ninclude = ["!wires/**"]\n', "include", 2),
        ('[[per-path]]\npaths = ["a/**"]\n[[per-path]]\npaths = ["x/*"]\nmin-variants = 3\n',
         "per-path[1].min-variants", 5),
        ('[[per-path]]\nselect = ["CN001"]\n', "per-path[0]", 1),
        ('[[per-path]]\npaths = ["x/*"]\nseverity = {CN001 = "loud"}\n',
         "per-path[0].severity.CN001", 3),
        ('[per-language.fr]\nignore = ["CN003"]\nforms = "english"\n', "per-language.fr.forms", 3),
        ('[per-language.french]\nignore = ["CN003"]\n', "per-language.french", 1),
    ],
)  # fmt: skip
def test_errors_name_file_line_and_key(
    tmp_path: Path, text: str, key: str, line: int | None
) -> None:
    (tmp_path / ".canonym.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load(cwd=tmp_path)
    assert e.value.key == key and e.value.path.endswith(".canonym.toml")
    assert e.value.line == line
    if line:
        assert str(e.value).startswith(f"{tmp_path / '.canonym.toml'}:{line}: {key}: ")


def test_pyproject_errors_count_lines_of_the_whole_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.canonym]\naccept = 0.9\n\n'
        '[[tool.canonym.per-path]]\npaths = ["wires/**"]\nselct = ["CN001"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as e:
        load(cwd=tmp_path)
    assert (e.value.key, e.value.line) == ("per-path[0].selct", 9)
    assert "unknown setting" in e.value.hint and "select" in e.value.hint


def test_per_path_tables_add_up_and_say_where_they_were_written(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.canonym]\n\n[[tool.canonym.per-path]]\npaths = ["wires/**"]\n'
        'ignore = ["CN003"]\n\n[tool.canonym.per-language.fr]\nmin-severity = "warning"\n',
        encoding="utf-8",
    )
    (tmp_path / ".canonym.toml").write_text(
        '[[per-path]]\npaths = ["opinion/*.md"]\n[per-language.de]\nselect = ["CN001"]\n',
        encoding="utf-8",
    )
    s = load(cwd=tmp_path)
    assert [t["paths"] for t in s.per_path] == [["wires/**"], ["opinion/*.md"]]
    assert [t["source"] for t in s.per_path] == [
        f"{tmp_path / 'pyproject.toml'}:3", f"{tmp_path / '.canonym.toml'}:1"
    ]  # fmt: skip
    assert s.per_language["fr"]["source"] == f"{tmp_path / 'pyproject.toml'}:7"
    assert s.per_language["de"]["source"] == f"{tmp_path / '.canonym.toml'}:3"
    langs = {o.language: o for o in s.overrides() if o.language}
    assert langs["de"].select == {"non-canonical"} and langs["fr"].min_severity == 2
    assert s.overrides()[-1].paths == ("opinion/*.md",)


def test_command_line_exclude_adds_include_replaces(tmp_path: Path) -> None:
    (tmp_path / ".canonym.toml").write_text('exclude = ["drafts/"]\n', encoding="utf-8")
    s = load(cwd=tmp_path, cli={"extend_exclude": ["*.old.md"], "include": ["wires/**"]})
    assert s.exclude == ["drafts/", "*.old.md"] and s.include == ["wires/**"]
    assert s.sources["exclude"] == f"{tmp_path / '.canonym.toml'} + command line"
    paths = s.paths()
    assert paths.accepts("wires/a.txt") and not paths.accepts("wires/drafts/a.txt")
    assert not paths.accepts("wires/a.old.md") and not paths.accepts("opinion/a.txt")
    # The file's exclude replaced the defaults: a README is read again.
    assert paths.accepts("wires/README.md")


def test_ignore_splits_rules_from_entities(tmp_path: Path) -> None:
    (tmp_path / ".canonym.toml").write_text(
        'ignore = ["CN003", "hezbollah"]\n[severity]\nnon-canonical = "error"\n', encoding="utf-8"
    )
    opts = load(cwd=tmp_path).lint_options()
    assert opts["ignore"] == {"hezbollah"}
    assert opts["rules"] == {"non-canonical", "mixed-spellings"}
    assert opts["severity"]["non-canonical"].name == "error"


def test_forms_code_in_any_case_reads_as_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / ".canonym.toml").write_text(
        'forms = " FR "\n[per-language.de]\nforms = "EN"\n', encoding="utf-8"
    )
    s = load(cwd=tmp_path)
    assert s.forms == "fr"
    assert s.per_language["de"]["forms"] == "en"
    assert load(cwd=tmp_path, cli={"forms": "De"}).forms == "de"
