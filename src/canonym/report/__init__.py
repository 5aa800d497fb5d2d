"""Writing linter findings as text, JSON, SARIF or HTML, each format a registered reporter."""

from canonym.report import html, json, sarif, text  # noqa: F401 - each registers its reporter
from canonym.report.base import Reporter, ReportOptions, get_reporter, register, reporter_names

__all__ = ["ReportOptions", "Reporter", "get_reporter", "register", "reporter_names"]
