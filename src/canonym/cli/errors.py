"""The ``canonym`` command group: every failure ends as a message and an exit code.

The messages themselves are ``canonym.cli.failing``'s.
"""

from __future__ import annotations

import warnings
from typing import Any

import typer
from typer.core import TyperGroup

try:  # typer vendors click since 0.2x; before, it used click itself
    from typer._click import ClickException
except ImportError:  # pragma: no cover - depends on typer's version
    from click import ClickException  # type: ignore[assignment]

from canonym.cli.failing import EXIT_BUG, expected_error, report_failure, show_warning

__all__ = ["CanonymGroup", "EXIT_BUG", "expected_error", "report_failure"]


class CanonymGroup(TyperGroup):
    """The top-level command: every failure ends as a message and an exit code.

    Failures a user can expect (a missing directory, a full disk, a corrupt file)
    print one line naming the path and what to do, exit 2; anything else is a bug
    and says where to report it. A traceback appears only when debugging.
    """

    # ``ctx`` is click's Context, vendored or not depending on typer's version.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta["canonym.argv"] = list(args)
        result: list[str] = super().parse_args(ctx, args)
        return result

    def invoke(self, ctx: Any) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.showwarning = show_warning
                return super().invoke(ctx)
        except (typer.Exit, typer.Abort, ClickException):
            raise  # usage errors and exits: click reports them
        except (Exception, KeyboardInterrupt) as e:
            meta = ctx.meta
            code = report_failure(
                e, meta.get("canonym.argv", ()), debug=bool(meta.get("canonym.debug"))
            )
            raise typer.Exit(code) from None
