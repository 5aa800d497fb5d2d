"""Linter settings from ``[tool.canonym]`` in pyproject.toml or a ``.canonym.toml``.

Precedence, highest first: command-line options, a ``--config`` file, the
nearest ``.canonym.toml``, the nearest ``pyproject.toml`` (both looked for from
the working directory upward). ``isolated`` ignores every file. Each setting
remembers where it came from, for ``canonym config show``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from canonym.corpus.forms import FormsPlan, FormsRule, plan_from
from canonym.corpus.paths import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, PathFilter, glob_matches
from canonym.jobs.overrides import Override
from canonym.jobs.rules import Severity, is_rule, resolve, selected
from canonym.normalize.languages import forms_problem

__all__ = ["ConfigError", "Settings", "find_files", "load", "load_file"]


class ConfigError(ValueError):
    """A configuration file the linter cannot use: which file and line, which key, what to do."""

    def __init__(self, path: Path | str, key: str, hint: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {key}: {hint}")
        self.path, self.key, self.hint, self.line = str(path), key, hint, line


@dataclass
class Settings:
    gazetteer: list[str] = field(default_factory=list)
    accept: float | None = None
    include: list[str] = field(default_factory=lambda: list(DEFAULT_INCLUDE))
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    per_path: list[dict[str, Any]] = field(default_factory=list)
    per_language: dict[str, dict[str, Any]] = field(default_factory=dict)
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    min_severity: str = "suggestion"
    min_variants: int = 2
    forms: str = "auto"
    format: str = "text"
    sources: dict[str, str] = field(default_factory=dict)

    def lint_options(self) -> dict[str, Any]:
        """Keyword arguments of :func:`canonym.jobs.lint.iter_findings`."""
        return {
            "ignore": frozenset(i for i in self.ignore if not is_rule(i)),
            "rules": selected(self.select, [i for i in self.ignore if is_rule(i)]),
            "severity": {k: Severity.parse(v) for k, v in self.severity.items()},
            "min_severity": Severity.parse(self.min_severity),
            "min_variants": self.min_variants,
        }

    def paths(self) -> PathFilter:
        """The files of a corpus directory the corpus jobs read."""
        return PathFilter(tuple(self.include), tuple(self.exclude))

    def forms_plan(self) -> FormsPlan:
        """Which language's forms each document is held to: ``forms``, then the ``forms``
        of per-language tables, then those of per-path tables (the later wins)."""
        rules = [
            FormsRule(t["forms"], language=lang)
            for lang, t in self.per_language.items()
            if "forms" in t
        ]
        rules += [
            FormsRule(t["forms"], paths=tuple(t["paths"]), base=t.get("base"))
            for t in self.per_path
            if "forms" in t
        ]
        return plan_from(self.forms, rules)

    def overrides(self) -> list[Override]:
        """Per-language settings, then per-path ones in file order: the later wins."""
        out = [
            Override.from_table(t, language=lang, source=t.get("source", ""))
            for lang, t in self.per_language.items()
        ]
        out += [
            Override.from_table(t, base=t.get("base"), source=t.get("source", ""))
            for t in self.per_path
        ]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            f.name: {"value": getattr(self, f.name), "source": self.sources.get(f.name, "default")}
            for f in fields(self)
            if f.name != "sources"
        }


_LISTS = {"gazetteer", "include", "exclude", "select", "ignore"}
_KEYS = {f.name.replace("_", "-") for f in fields(Settings)} - {"sources"}
# What a [[per-path]] or [per-language.LANG] table may set.
_TABLE_KEYS = {"select", "ignore", "severity", "min-severity", "forms"}
_LANG = re.compile(r"[a-z]{2,3}\Z")


def _check(path: Path, key: str, value: Any) -> Any:
    """``value`` validated for ``key``; ConfigError says how to fix it."""
    name = key.rsplit(".", 1)[-1]
    if name in _LISTS or name == "paths":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(path, key, 'expected a list of strings, e.g. ["a", "b"]')
        if name == "select":
            for v in value:
                _rule(path, key, v)
        if name in ("include", "exclude", "paths"):
            for v in value:
                _glob(path, key, v)
        return list(value)
    if name == "severity":
        if not isinstance(value, dict):
            raise ConfigError(path, key, 'expected a table, e.g. {CN003 = "warning"}')
        for rule, sev in value.items():
            _rule(path, f"{key}.{rule}", rule)
            _severity(path, f"{key}.{rule}", sev)
        return dict(value)
    if name == "accept":
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0.5 <= value <= 1:
            raise ConfigError(path, key, "expected a score between 0.5 and 1, e.g. 0.9")
        return float(value)
    if name == "min-severity":
        _severity(path, key, value)
        return value
    if name == "min-variants":
        if not isinstance(value, int) or isinstance(value, bool) or value < 2:
            raise ConfigError(path, key, "expected an integer of 2 or more")
        return value
    if name == "forms":
        if not isinstance(value, str):
            raise ConfigError(path, key, 'expected "auto" or a code')
        value = value.strip().lower()  # as the command line reads it: "EN" is "en"
        problem = forms_problem(value)
        if problem is not None:
            raise ConfigError(path, key, problem)
        return value
    if name == "format":
        if not isinstance(value, str):
            raise ConfigError(path, key, "expected a string: text, json, sarif or html")
        return value
    if key == "per-path":
        return _per_path(path, value)
    if key == "per-language":
        return _per_language(path, value)
    _unknown(path, key, _KEYS)


def _table(path: Path, key: str, table: dict[str, Any], known: set[str]) -> dict[str, Any]:
    out = {}
    for k, v in table.items():
        if k not in known:
            _unknown(path, f"{key}.{k}", known)
        out[k] = _check(path, f"{key}.{k}", v)
    return out


def _per_path(path: Path, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        raise ConfigError(
            path, "per-path", 'expected [[per-path]] tables, e.g. paths = ["wires/**"]'
        )
    out = []
    for i, table in enumerate(value):
        key = f"per-path[{i}]"
        if "paths" not in table:
            raise ConfigError(path, key, 'a per-path table needs paths, e.g. paths = ["wires/**"]')
        out.append({**_table(path, key, table, {"paths", *_TABLE_KEYS}), "base": str(path.parent)})
    return out


def _per_language(path: Path, value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict) or not all(isinstance(t, dict) for t in value.values()):
        raise ConfigError(path, "per-language", "expected tables, e.g. [per-language.fr]")
    out = {}
    for lang, table in value.items():
        if not _LANG.match(lang):
            raise ConfigError(path, f"per-language.{lang}", "expected a language code, e.g. fr")
        out[lang] = _table(path, f"per-language.{lang}", table, _TABLE_KEYS)
    return out


def _unknown(path: Path, key: str, known: set[str]) -> None:
    raise ConfigError(path, key, f"unknown setting; known: {', '.join(sorted(known))}")


def _rule(path: Path, key: str, value: str) -> None:
    try:
        resolve(value)
    except ValueError as e:
        raise ConfigError(path, key, str(e)) from None


def _glob(path: Path, key: str, value: str) -> None:
    try:
        glob_matches(value, "x")
    except ValueError as e:
        raise ConfigError(path, key, f"{e}; write a glob such as wires/** or *.draft.md") from None


def _severity(path: Path, key: str, value: Any) -> None:
    try:
        Severity.parse(str(value))
    except ValueError as e:
        raise ConfigError(path, key, str(e)) from None


_HEADER = re.compile(r"\s*(\[\[?)\s*([^\]]+?)\s*\]")
_BARE = r"(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
_KEY_LINE = re.compile(rf"\s*({_BARE}(?:\s*\.\s*{_BARE})*)\s*=")


def _dotted(text: str) -> list[str]:
    return [p.strip().strip("\"'") for p in re.findall(rf"{_BARE}", text)]


def key_lines(text: str, prefix: tuple[str, ...] = ()) -> dict[str, int]:
    """The line each key of the tables below ``prefix`` is set on, keyed as ConfigError
    names keys (``per-path[0].severity.CN001``), for error messages."""
    out: dict[str, int] = {}
    table: str | None = "" if not prefix else None
    arrays: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if m := _HEADER.match(line):
            parts = _dotted(m.group(2))
            if tuple(parts[: len(prefix)]) != prefix:
                table = None
                continue
            table = ".".join(parts[len(prefix) :])
            if m.group(1) == "[[":
                arrays[table] = arrays.get(table, -1) + 1
                table = f"{table}[{arrays[table]}]"
            out.setdefault(table, n)
        elif table is not None and (k := _KEY_LINE.match(line)):
            out.setdefault(".".join(p for p in [table, *_dotted(k.group(1))] if p), n)
    return out


def _line_of(lines: Mapping[str, int], key: str) -> int | None:
    """The line of ``key``, or of the nearest table or inline table holding it."""
    while key:
        if key in lines:
            return lines[key]
        key = re.sub(r"(?:\.[^.\[]*|\[\d+\])\Z", "", key) if re.search(r"[.\[]", key) else ""
    return None


def load_file(path: Path) -> dict[str, Any]:
    """The validated settings of one file (``[tool.canonym]`` in pyproject.toml)."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, "(syntax)", f"not valid TOML: {e}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(path, "(file)", f"cannot read: {getattr(e, 'strerror', e)}") from None
    prefix: tuple[str, ...] = ()
    tool = data.get("tool")
    if path.name == "pyproject.toml" or (isinstance(tool, dict) and "canonym" in tool):
        # A --config file may be a pyproject.toml under another name.
        data, prefix = data.get("tool", {}).get("canonym", {}), ("tool", "canonym")
    if not isinstance(data, dict):
        raise ConfigError(path, "tool.canonym", "expected a table")
    lines = key_lines(text, prefix)
    try:
        out = {}
        for k, v in data.items():
            if k not in _KEYS:
                _unknown(path, k, _KEYS)
            out[k.replace("-", "_")] = _check(path, k, v)
    except ConfigError as e:
        raise ConfigError(path, e.key, e.hint, _line_of(lines, e.key)) from None
    # Each table remembers where it was written, for ``config show``.
    for i, table in enumerate(out.get("per_path", [])):
        table["source"] = _where(path, lines, f"per-path[{i}]")
    for lang, table in out.get("per_language", {}).items():
        table["source"] = _where(path, lines, f"per-language.{lang}")
    return out


def _where(path: Path, lines: Mapping[str, int], key: str) -> str:
    line = _line_of(lines, key)
    return f"{path}:{line}" if line else str(path)


def _nearest(start: Path, name: str, need_table: bool) -> Path | None:
    for d in (start, *start.parents):
        p = d / name
        if p.is_file():
            if not need_table or b"[tool.canonym" in p.read_bytes():
                return p
    return None


def find_files(start: Path) -> list[Path]:
    """Config files in effect from ``start``, lowest precedence first."""
    found = [_nearest(start, "pyproject.toml", True), _nearest(start, ".canonym.toml", False)]
    return [p for p in found if p is not None]


def load(
    *,
    cwd: Path | None = None,
    config: Path | None = None,
    isolated: bool = False,
    cli: Mapping[str, Any] | None = None,
) -> Settings:
    """Merged settings: defaults, then files by precedence, then ``cli`` (None values skipped).

    A higher layer replaces a setting, except that ``per-path`` tables add up (a later
    table wins where two apply), ``per-language`` tables replace those of the same
    language only, and the command line's ``extend_exclude`` adds to ``exclude``.
    """
    settings = Settings()
    layers: list[tuple[str, Mapping[str, Any]]] = []
    if not isolated:
        files = find_files((cwd or Path.cwd()).resolve())
        if config is not None:
            files.append(config)
        layers += [(str(p), load_file(p)) for p in files]
    given = {k: v for k, v in (cli or {}).items() if v is not None}
    if "forms" in given:  # what Typer cannot check by itself
        given["forms"] = _check(Path("command line"), "forms", given["forms"])
    layers.append(("command line", given))
    for source, values in layers:
        for key, value in values.items():
            where = source
            if key == "extend_exclude":
                key, value = "exclude", [*settings.exclude, *value]
                where = f"{settings.sources.get('exclude', 'default')} + {source}"
            elif key == "per_path":
                value = [*settings.per_path, *value]
                where = _joined(settings.sources.get(key), source)
            elif key == "per_language":
                value = {**settings.per_language, **value}
                where = _joined(settings.sources.get(key), source)
            setattr(settings, key, value)
            settings.sources[key] = where
    return settings


def _joined(before: str | None, source: str) -> str:
    return source if before in (None, source) else f"{before}, {source}"
