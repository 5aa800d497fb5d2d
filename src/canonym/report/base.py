"""The reporter interface and the registry of output formats, looked up by name.

Reach for this module to add an output format to ``canonym check``: subclass
``Reporter``, give it a ``name`` and decorate it with ``register``; the command
finds it by that name. The bundled formats (text, line, github, json, sarif,
junit, html) register when ``canonym.report`` is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, TextIO, TypeVar

from canonym.jobs.lint import Finding
from canonym.report.statistics import Statistics

__all__ = ["Style", "ReportOptions", "Reporter", "register", "get_reporter", "reporter_names"]

Style = Callable[[str, str], str]  # (text, role) -> styled text


def plain(text: str, role: str) -> str:
    """No styling: the text as it is."""
    return text


@dataclass(frozen=True)
class ReportOptions:
    """What a reporter may use besides the findings.

    ``total`` and ``statistics`` are read only after the findings are consumed: the
    caller may pass on fewer findings (``max_findings``) than it counted.
    ``documents``, when given, names every document of the run, for formats that
    also list the clean ones; ``unreadable`` the documents that could not be read,
    with why.
    """

    title: str = "canonym name consistency"
    style: Style = plain
    max_findings: int | None = None
    total: Callable[[], int] | None = None
    statistics: Statistics | None = None
    documents: Callable[[], Iterable[str]] | None = None
    unreadable: Sequence[tuple[str, str]] = ()


class Reporter:
    """Writes findings to a stream in one format; subclasses set ``name``.

    A reporter that sets ``shows_statistics`` writes ``options.statistics`` in its
    own output; for the others the caller prints them apart (a SARIF or HTML file
    has no place for a few lines of text after it).
    """

    name: ClassVar[str]
    shows_statistics: ClassVar[bool] = False

    def __init__(self, options: ReportOptions | None = None) -> None:
        self.options = options or ReportOptions()

    def total(self, shown: int) -> int:
        """How many findings there were: the caller's count, else how many were shown."""
        return self.options.total() if self.options.total is not None else shown

    def write(self, findings: Iterable[Finding], out: TextIO) -> None:
        raise NotImplementedError

    def write_statistics(self, out: TextIO) -> None:
        """The statistics as text after the findings, when they were asked for."""
        if self.options.statistics is not None:
            for line in self.options.statistics.lines():
                out.write(line + "\n")


_REGISTRY: dict[str, type[Reporter]] = {}
R = TypeVar("R", bound=type[Reporter])


def register(cls: R) -> R:
    """Make ``cls`` the reporter for ``cls.name``."""
    _REGISTRY[cls.name] = cls
    return cls


def get_reporter(name: str, options: ReportOptions | None = None) -> Reporter:
    """The reporter registered as ``name``; ``KeyError`` naming the known ones otherwise."""
    try:
        cls = _REGISTRY[name]
    except KeyError:
        known = ", ".join(reporter_names())
        raise KeyError(f"no output format '{name}' (known: {known})") from None
    return cls(options)


def reporter_names() -> tuple[str, ...]:
    """The registered format names, in registration order."""
    return tuple(_REGISTRY)
