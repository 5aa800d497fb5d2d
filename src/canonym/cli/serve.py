"""``canonym serve``: the HTTP API and the OpenRefine reconciliation service."""

from __future__ import annotations

from typing import Annotated

import typer

from canonym.cli.common import AcceptOpt, GazetteerOpt, NoBundledOpt, fail, load_gazetteer


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 for every one.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free one).")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Worker processes, each with the index.")
    ] = 1,
    max_body_bytes: Annotated[
        int, typer.Option(min=1, help="Largest request body; a bigger one gets 413.")
    ] = 2 * 1024 * 1024,
    translate: Annotated[
        str, typer.Option(help="Default for /normalize: never, auto or require (needs models).")
    ] = "never",
    log_level: Annotated[str, typer.Option(help="uvicorn's log level.")] = "info",
    accept: AcceptOpt = None,
    gazetteer: GazetteerOpt = None,
    no_bundled: NoBundledOpt = False,
) -> None:
    """Serve /normalize, /resolve, /detect and a reconciliation service for OpenRefine.

    The gazetteer is loaded once per worker. In OpenRefine: Reconcile, Start
    reconciling, Add standard service, http://127.0.0.1:8000/reconcile.

    Examples:

      canonym serve

      canonym serve --port 8080 --workers 2 -g my-names.yaml

      curl -s localhost:8000/resolve --json '{"name": "Hachd al-Chaabi"}'
    """
    from canonym.corpus.run import GazetteerSpec

    try:
        from canonym.serve import ServeError, ServeSettings, Service
        from canonym.serve import serve as run
    except ImportError as e:
        fail(f"canonym serve needs {e.name}: pip install 'canonym[serve]'")
    if translate not in ("never", "auto", "require"):
        fail(f"--translate must be never, auto or require, not {translate!r}")
    # Loaded here first, so that a bad gazetteer is one line before any worker starts.
    gz = load_gazetteer(gazetteer, no_bundled, accept)
    spec = GazetteerSpec(tuple(str(p) for p in gazetteer or []), not no_bundled, accept)
    settings = ServeSettings(spec, max_body_bytes=max_body_bytes, translate=translate)
    shown = f"[{host}]" if ":" in host else host
    if port:
        typer.echo(f"canonym: serving {len(gz)} entities on http://{shown}:{port}/", err=True)
        typer.echo(f"canonym: OpenRefine service: http://{shown}:{port}/reconcile", err=True)
    try:
        run(settings, host=host, port=port, workers=workers, log_level=log_level,
            service=Service(gz, settings))  # fmt: skip
    except ServeError as e:
        fail(str(e))
