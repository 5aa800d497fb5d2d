"""``canonym gazetteer compile``: gazetteers into an index directory that opens memory-mapped."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from canonym.cli.common import NoBundledPathsOpt, fail

__all__ = ["compile_"]

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Gazetteer files or directories (default: the bundled ones only)."),
]

JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Worker processes reading and keying JSON lines (default: one per core, two at "
        "most); the index is the same whatever the number.",
    ),
]


@contextmanager
def _stopped_cleanly() -> Iterator[None]:
    """SIGTERM and SIGHUP end the compile as Ctrl-C does: by an exception, so that the
    half-built directory beside OUT (its spilled runs can be gigabytes) is removed."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers
        return

    def stop(signum: int, frame: object) -> None:
        typer.echo(f"canonym: stopped by {signal.Signals(signum).name}; nothing written", err=True)
        raise SystemExit(128 + signum)

    sigs = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    before = {s: signal.signal(s, stop) for s in sigs}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


# Help is rich markup: "\\[index]" in the docstring keeps the brackets from being a style tag.
def compile_(
    paths: PathsArg = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="The index directory to write (replaced whole).")
    ] = Path("canonym-index"),
    no_bundled: NoBundledPathsOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """Compile gazetteers into an index directory that every command opens in milliseconds.

    The index holds PATHS together with the bundled gazetteers and CANONYM_GAZETTEERS
    (unless --no-bundled), checked as `-g PATHS` loads them: a problem stops the
    compile with file:line (exit 2) and leaves OUT as it was. The directory is data
    only (tries, integer arrays, SQLite, a manifest with checksums), memory-mapped
    when opened, so local workers share one copy; copy it to other machines as is.
    Use it with `-g OUT` on any command, alone (it replaces the bundled data), or
    set CANONYM_INDEX=OUT. Recompile after changing a source or upgrading canonym:
    an index compiled under other key rules is refused. An index already at OUT is
    replaced whole; a directory that is not an index is never touched. Sources of
    millions of names are best as JSON lines (`import ... -o names.jsonl`): read a
    line at a time, keyed by --jobs worker processes, and built in bounded memory
    (sorted runs in a folder beside OUT, removed after). Opening checks each file's
    size, the checksum of every file up to 1 MiB and of 16 stretches of 4 KiB of
    each larger one: a changed byte elsewhere is met when read, not on open. A
    given file without entities is an error (exit 2), not an empty index. Needs
    marisa-trie (pip install 'canonym\\[index]').

    Examples:

      canonym gazetteer compile my-names.yaml places/ -o index/

      canonym normalize article.txt -g index/

      CANONYM_INDEX=index/ canonym check corpus/ --jobs 4
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from canonym.gazetteer.compiled import MANIFEST
    from canonym.gazetteer.core import Gazetteer
    from canonym.gazetteer.entity import GazetteerError

    if no_bundled and not paths:
        fail("--no-bundled needs at least one gazetteer PATH")
    # Reading and filing the forms is most of the time: its description counts them.
    steps = ("reading gazetteers", "surface table", "key table", "block table",
             "scanner steps", "names claimed twice", "entities")  # fmt: skip
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    t0 = time.perf_counter()
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as p:
        task = p.add_task("compiling", total=len(steps))

        def step(what: str) -> None:
            done = next((i for i, s in enumerate(steps) if what.startswith(s)), 0)
            p.update(task, completed=done, description=what)

        try:
            with _stopped_cleanly():
                bundled = not no_bundled
                target = Gazetteer.compile(
                    *(paths or []), out=out, with_defaults=bundled, progress=step, jobs=jobs or 0
                )
        except GazetteerError as e:
            p.stop()
            for problem in e.problems[:20] if len(e.problems) > 1 else ():
                typer.echo(str(problem), err=True)
            fail(f"invalid gazetteer, nothing written: {e}")
        except FileExistsError as e:
            if e.errno is not None:  # from mkdir: a file where a folder of --out should be
                fail(f"{out}: {e.filename} is not a directory; nothing written")
            fail(f"{e}; nothing written (choose another --out, or remove it)")
        except OSError as e:
            fail(f"{e.filename or out}: {e.strerror}; nothing written")
    Gazetteer.open(target)  # what was written opens, checksums and all
    counts = json.loads((target / MANIFEST).read_text(encoding="utf-8"))["counts"]
    size = sum(f.stat().st_size for f in target.iterdir())
    typer.echo(
        f"compiled {counts['entities']:,} entities, {counts['aliases']:,} "
        f"forms into {target} ({size / 2**20:.1f} MiB) in {time.perf_counter() - t0:.1f} s",
        err=True,
    )
