"""Writing linter findings as text, line, github, JSON, SARIF, JUnit or HTML, each
format a registered reporter."""

from canonym.report import github, html, json, junit, line, sarif, text  # noqa: F401 - each registers its reporter
from canonym.report.base import Reporter, ReportOptions, get_reporter, register, reporter_names
from canonym.report.statistics import Statistics

__all__ = [
    "ReportOptions",
    "Reporter",
    "Statistics",
    "get_reporter",
    "register",
    "reporter_names",
]
