"""``canonym review CORPUS_DB``: the review page for a corpus database, in the browser."""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from canonym.cli.common import AcceptOpt, GazetteerOpt, NoBundledOpt, fail, load_gazetteer


# Help is rich markup: "\\[review]" in the docstring keeps the brackets from being a style tag.
def review(
    corpus_db: Annotated[
        Path,
        typer.Argument(help="A corpus database that 'aliases build --db' or 'check --db' filled."),
    ],
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port on 127.0.0.1.")] = 8765,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in the default browser.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Overlay file Export writes (default: DB.review.yaml)."
        ),
    ] = None,
    into: Annotated[
        Path | None,
        typer.Option(
            help="Merge the export into this gazetteer file instead, as 'gazetteer "
            "merge' does (a new .yaml file is created)."
        ),
    ] = None,  # fmt: skip
    min_count: Annotated[
        int, typer.Option(help="Propose an unknown name seen at least this often.")
    ] = 2,
    accept: AcceptOpt = None,
    gazetteer: GazetteerOpt = None,
    no_bundled: NoBundledOpt = False,
) -> None:
    """Review the spellings a corpus run found, in the browser, and export them.

    Shows each entity with every spelling seen (count, languages, documents, a
    context line), the proposed new entities, and the actions: accept a spelling
    as an alias or a per-language form, edit, merge, attach or reject a proposal.
    Each decision is saved in CORPUS_DB at once. Export writes an overlay of
    `extend:` entries and new entities, or merges it into --into. Needs the
    `review` extra (pip install 'canonym\\[review]'). Give the same -g/--no-bundled
    as the run that filled the database.

    Examples:

      canonym aliases build news/ --db news.db -o aliases.csv

      canonym review news.db --open

      canonym review news.db --into my-names.yaml --port 8800
    """
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        fail("canonym review needs Starlette and uvicorn: pip install 'canonym[review]'")
    from canonym.gazetteer.files import search_layers
    from canonym.review import Review, ReviewError, create_app, serve

    if into is not None and output is not None:
        fail("give -o FILE (write an overlay) or --into FILE (merge into it), not both")
    if not corpus_db.is_file():
        fail(f"{corpus_db}: no such corpus database; fill one with "
             "'canonym aliases build CORPUS --db FILE'")  # fmt: skip
    gz = load_gazetteer(gazetteer, no_bundled, accept)
    try:
        rev = Review(corpus_db, gz, min_count=min_count)
    except ReviewError as e:
        fail(str(e))
    if rev.other_analysis:
        typer.echo(f"canonym: warning: {corpus_db} was filled with another gazetteer or "
                   "--accept; give the same -g, --no-bundled and --accept", err=True)  # fmt: skip
    target = into or output or corpus_db.with_suffix(".review.yaml")
    layers = search_layers(gazetteer or [], with_defaults=not no_bundled)
    app = create_app(rev, target, layers=layers, into=into is not None)
    url = f"http://127.0.0.1:{port}/"
    typer.echo(f"Reviewing {corpus_db} at {url} (Ctrl+C to stop); export goes to {target}")
    if open_browser:  # once the server listens, which takes a moment
        threading.Timer(0.8, webbrowser.open, (url,)).start()
    serve(app, host="127.0.0.1", port=port)
