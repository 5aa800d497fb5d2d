"""The ``canonym`` command: a thin layer that parses arguments and calls the library.

Exit codes: 0 success, 1 a lookup found nothing (or ``check`` found something),
2 bad input, usage or environment (with a one-line reason on stderr), 70 an
internal error (a bug: the message says where to report it), 130 interrupted.

The commands are typer's (``canonym.cli.root``). Building them costs more than
normalizing an article, so ``canonym normalize FILE`` with plain options takes a
quick path (``canonym.cli.quick``) to the same code; anything else, help and
mistakes included, goes through typer.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["main"]  # and ``app``, made on first use (__getattr__)


def main() -> None:
    from canonym.cli.quick import run_quick

    if run_quick(sys.argv[1:]):
        return
    from canonym.cli.root import app

    app()


def __getattr__(name: str) -> Any:
    # ``app``, the typer application, is built when asked for, not by importing this.
    if name == "app":
        from canonym.cli.root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    main()
