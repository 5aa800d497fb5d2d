"""Which files of a corpus directory the corpus jobs read: include and exclude globs.

Reach for this module wherever a directory is walked (locally, for a cluster's
partitions, or for the progress bar's count), so that every job and every count
sees the same files. Globs follow ``.gitignore`` conventions, simplified:

- a pattern without ``/`` matches a file or folder name at any depth
  (``README*``, ``*.draft.md``);
- a pattern with ``/`` inside is matched against the whole relative path
  (``wires/**``, ``2024/*/draft-*.txt``); ``**`` spans folders;
- a trailing ``/`` matches folders only (``build/``): nothing below them is read.

A path is read when an ``include`` pattern matches it (or a folder above it) and
no ``exclude`` pattern does. A file named on its own is always read: the filter
applies to what a walk finds, never to what the user asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["DEFAULT_EXCLUDE", "DEFAULT_INCLUDE", "PathFilter", "glob_matches", "prefix_of"]

# A corpus folder's own README is about the corpus, not copy; build and tool
# folders hold copies of the copy.
DEFAULT_EXCLUDE = ("README*", ".git/", "build/", "dist/", "node_modules/", ".venv/")
DEFAULT_INCLUDE = ("*",)


@lru_cache(maxsize=512)
def _compile(pattern: str) -> tuple[re.Pattern[str], bool, bool]:
    """The regular expression of one glob, whether it is anchored, whether folders only."""
    pat = pattern.strip()
    if not pat or pat == "/":
        raise ValueError(f"empty glob {pattern!r}")
    if pat.startswith("!"):
        # .gitignore's re-inclusion: here, an include glob says what to read.
        raise ValueError(f"{pattern!r}: a glob cannot start with '!'; use include for it")
    dir_only = pat.endswith("/")
    pat = pat.rstrip("/")
    anchored = "/" in pat
    pat = pat.lstrip("/")
    out, i = [], 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[" and (end := pat.find("]", i + 2)) > 0:  # a class holds one char or more
            body = pat[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    try:
        return re.compile("".join(out) + r"\Z"), anchored, dir_only
    except re.error as e:
        raise ValueError(f"bad glob {pattern!r}: {e}") from None


def glob_matches(pattern: str, path: str, is_dir: bool = False, prefix: str = "") -> bool:
    """Whether ``pattern`` matches the relative POSIX ``path`` (a folder if ``is_dir``)
    or a folder above it.

    ``prefix`` is the folder ``path`` is relative to, as the user named it: a pattern
    with a ``/`` is also tried on ``prefix/path``, so ``news/drafts/**`` works from the
    folder above ``news``. The folders of ``prefix`` alone are never tested, since the
    user named them.
    """
    rx, anchored, dir_only = _compile(pattern)
    parts = _parts(path)
    if not parts:
        return False
    # Folders above the file, then (unless the pattern names folders only) the file.
    last = len(parts) - 1 if dir_only and not is_dir else len(parts)
    if not anchored:
        return any(rx.match(p) for p in parts[:last])
    if any(rx.match("/".join(parts[: n + 1])) for n in range(last)):
        return True
    above = _parts(prefix)
    return bool(above) and any(rx.match("/".join([*above, *parts[: n + 1]])) for n in range(last))


def _parts(path: str) -> list[str]:
    return [p for p in path.split("/") if p not in ("", ".")]


def prefix_of(root: str | Path) -> str:
    """A corpus folder as :func:`glob_matches` takes it: relative to the working
    directory, or ``""`` when it is outside it."""
    p = Path(root)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return ""
    return "" if ".." in p.parts else p.as_posix()


def _check(patterns: Iterable[str]) -> tuple[str, ...]:
    out = tuple(patterns)
    for p in out:
        _compile(p)
    return out


@dataclass(frozen=True)
class PathFilter:
    """Include and exclude globs over paths relative to a corpus directory.

    Raises ``ValueError`` naming a glob that cannot be read.
    """

    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE

    def __post_init__(self) -> None:
        object.__setattr__(self, "include", _check(self.include))
        object.__setattr__(self, "exclude", _check(self.exclude))

    @classmethod
    def everything(cls) -> PathFilter:
        """The filter that reads every file (hidden ones aside, as a walk skips them)."""
        return cls(DEFAULT_INCLUDE, ())

    def accepts(self, path: str, prefix: str = "") -> bool:
        """Whether a file is read: ``path`` relative to the corpus folder, ``prefix`` that
        folder as the user named it (see :func:`glob_matches`)."""
        included = any(glob_matches(p, path, False, prefix) for p in self.include)
        return included and not self.skips(path, prefix)

    def skips(self, path: str, prefix: str = "", is_dir: bool = False) -> bool:
        """Whether an exclude pattern matches ``path``; an excluded folder is not walked."""
        return any(glob_matches(p, path, is_dir, prefix) for p in self.exclude)
