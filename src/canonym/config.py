"""Linter settings from ``[tool.canonym]`` in pyproject.toml or a ``.canonym.toml``.

Precedence, highest first: command-line options, a ``--config`` file, the
nearest ``.canonym.toml``, the nearest ``pyproject.toml`` (both looked for from
the working directory upward). ``isolated`` ignores every file. Each setting
remembers where it came from, for ``canonym config show``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from canonym.jobs.rules import Severity, resolve, selected

__all__ = ["ConfigError", "Settings", "find_files", "load", "load_file"]

DEFAULT_EXCLUDE = ("README*", ".git", "build/", "dist/", "node_modules/")


class ConfigError(ValueError):
    """A configuration file the linter cannot use: which file, which key, what to do."""

    def __init__(self, path: Path | str, key: str, hint: str) -> None:
        super().__init__(f"{path}: {key}: {hint}")
        self.path, self.key, self.hint = str(path), key, hint


@dataclass
class Settings:
    gazetteer: list[str] = field(default_factory=list)
    accept: float | None = None
    include: list[str] = field(default_factory=lambda: ["*"])
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    per_path: list[dict[str, Any]] = field(default_factory=list)
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    min_severity: str = "suggestion"
    min_variants: int = 2
    format: str = "text"
    sources: dict[str, str] = field(default_factory=dict)

    def lint_options(self) -> dict[str, Any]:
        """Keyword arguments of :func:`canonym.jobs.lint.iter_findings`."""
        return {
            "ignore": frozenset(i for i in self.ignore if not _is_rule(i)),
            "rules": selected(self.select, [i for i in self.ignore if _is_rule(i)]),
            "severity": {k: Severity.parse(v) for k, v in self.severity.items()},
            "min_severity": Severity.parse(self.min_severity),
            "min_variants": self.min_variants,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            f.name: {"value": getattr(self, f.name), "source": self.sources.get(f.name, "default")}
            for f in fields(self)
            if f.name != "sources"
        }


_LISTS = {"gazetteer", "include", "exclude", "select", "ignore"}
_KEYS = {f.name.replace("_", "-") for f in fields(Settings)} - {"sources"}


def _is_rule(key: str) -> bool:
    try:
        resolve(key)
    except ValueError:
        return False
    return True


def _check(path: Path, key: str, value: Any) -> Any:
    """``value`` validated for ``key``; ConfigError says how to fix it."""
    if key in _LISTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(path, key, 'expected a list of strings, e.g. ["a", "b"]')
        if key == "select":
            for v in value:
                _rule(path, key, v)
        return list(value)
    if key == "severity":
        if not isinstance(value, dict):
            raise ConfigError(path, key, 'expected a table, e.g. {CN003 = "warning"}')
        for rule, sev in value.items():
            _rule(path, f"{key}.{rule}", rule)
            _severity(path, f"{key}.{rule}", sev)
        return dict(value)
    if key == "accept":
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0.5 <= value <= 1:
            raise ConfigError(path, key, "expected a score between 0.5 and 1, e.g. 0.9")
        return float(value)
    if key == "min-severity":
        _severity(path, key, value)
        return value
    if key == "min-variants":
        if not isinstance(value, int) or isinstance(value, bool) or value < 2:
            raise ConfigError(path, key, "expected an integer of 2 or more")
        return value
    if key == "format":
        if not isinstance(value, str):
            raise ConfigError(path, key, "expected a string: text, json, sarif or html")
        return value
    if key == "per-path":
        if not isinstance(value, list) or not all(
            isinstance(t, dict) and isinstance(t.get("glob"), str) for t in value
        ):
            raise ConfigError(path, key, "expected [[per-path]] tables, each with a glob")
        for i, table in enumerate(value):
            for k, v in table.items():
                if k != "glob":
                    _check(path, f"per-path[{i}].{k}", v) if k in _KEYS else _unknown(path, k)
        return [dict(t) for t in value]
    _unknown(path, key)


def _unknown(path: Path, key: str) -> None:
    raise ConfigError(path, key, f"unknown setting; known: {', '.join(sorted(_KEYS))}")


def _rule(path: Path, key: str, value: str) -> None:
    try:
        resolve(value)
    except ValueError as e:
        raise ConfigError(path, key, str(e)) from None


def _severity(path: Path, key: str, value: Any) -> None:
    try:
        Severity.parse(str(value))
    except ValueError as e:
        raise ConfigError(path, key, str(e)) from None


def load_file(path: Path) -> dict[str, Any]:
    """The validated settings of one file (``[tool.canonym]`` in pyproject.toml)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, "(syntax)", f"not valid TOML: {e}") from None
    except OSError as e:
        raise ConfigError(path, "(file)", f"cannot read: {e.strerror}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("canonym", {})
    if not isinstance(data, dict):
        raise ConfigError(path, "tool.canonym", "expected a table")
    return {k.replace("-", "_"): _check(path, k, v) for k, v in data.items()}


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
    """Merged settings: defaults, then files by precedence, then ``cli`` (None values skipped)."""
    settings = Settings()
    layers: list[tuple[str, Mapping[str, Any]]] = []
    if not isolated:
        files = find_files((cwd or Path.cwd()).resolve())
        if config is not None:
            files.append(config)
        layers += [(str(p), load_file(p)) for p in files]
    layers.append(("command line", {k: v for k, v in (cli or {}).items() if v is not None}))
    for source, values in layers:
        for key, value in values.items():
            setattr(settings, key, value)
            settings.sources[key] = source
    return settings
