"""The review page as a web application (Starlette), for a browser on the same machine.

Reach for this module to serve a ``Review``: ``create_app`` builds the
application, ``serve`` runs it with uvicorn on 127.0.0.1. The server is for one
reviewer on their own machine, yet any web page they open could post to it: each
form carries a token only the served page knows, only the hosts it listens on are
answered (no DNS rebinding), and a Content-Security-Policy allows the page's own
script and style only.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

from canonym.gazetteer.files import Layer
from canonym.review.assets import CSS, SCRIPT
from canonym.review.model import Review, ReviewError
from canonym.review.output import export
from canonym.review.pages import Filters, render_page

__all__ = ["create_app", "serve", "HOSTS"]

HOSTS = ("127.0.0.1", "localhost", "[::1]")
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_ANCHOR = re.compile(r"[ep][0-9a-f]{12}")  # what pages.anchor makes
_LIMIT = 64 * 1024  # a form is a few fields; nothing larger is read


def create_app(
    review: Review,
    output: str | Path,
    *,
    layers: Sequence[Layer] = (),
    into: bool = False,
    hosts: Sequence[str] = HOSTS,
    token: str | None = None,
) -> Any:
    """The Starlette application; Export writes ``output`` (merges into it with ``into``)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
    from starlette.routing import Route

    secret = token or secrets.token_urlsafe(24)
    headers = {"Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff",
               "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}  # fmt: skip

    def page(request: Request, message: str = "", error: bool = False, code: int = 200) -> Response:
        filters = Filters.from_query(dict(request.query_params))
        html = render_page(review, filters, secret, message=message, error=error)
        return HTMLResponse(html, status_code=code, headers=headers)

    async def index(request: Request) -> Response:
        msg = request.query_params.get("msg", "")[:500]
        return page(request, msg, request.query_params.get("error") == "1")

    async def search(request: Request) -> Response:
        found = review.search(request.query_params.get("q", ""))
        return JSONResponse(found, headers=headers)

    async def asset(request: Request) -> Response:
        css = request.url.path.endswith(".css")
        kind = "text/css" if css else "text/javascript"
        return Response(CSS if css else SCRIPT, media_type=kind, headers=headers)

    def action(run: Callable[[dict[str, str]], str]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            if int(request.headers.get("content-length") or 0) > _LIMIT:
                return Response("form too large", status_code=413)
            form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
            if not secrets.compare_digest(form.get("token", ""), secret):
                return Response("stale or foreign form: reload the review page", status_code=403)
            try:
                message = run(form)
            except ReviewError as e:
                return page(request, str(e), error=True, code=400)
            # Rebuilt rather than echoed: the redirect holds only what the page could send.
            back = Filters.from_query(dict(parse_qsl(form.get("back", "")))).query()
            query = f"{back}&" if back else ""
            at = form.get("at", "")
            at = at if _ANCHOR.fullmatch(at) else ""
            target = f"./?{query}msg={quote(message)}" + (f"#{at}" if at else "")
            return RedirectResponse(target, status_code=303)

        return endpoint

    def spelling(form: dict[str, str]) -> str:
        eid, surface, act = form.get("entity", ""), form.get("surface", ""), form.get("action")
        if act == "alias":
            review.accept_spelling(eid, surface)
        elif act == "form":
            review.accept_spelling(eid, surface, lang=form.get("lang", ""))
        elif act == "reject":
            review.reject_spelling(eid, surface)
        elif act == "undo":
            review.undo_spelling(eid, surface)
        else:
            raise ReviewError(f"unknown action '{act}'")
        return f"{surface} ({eid}): {act} saved"

    def proposal(form: dict[str, str]) -> str:
        key, act = form.get("key", ""), form.get("action")
        if act == "edit":
            review.edit_proposal(key, id=form.get("id", ""), name=form.get("name", ""),
                                 type=form.get("type", ""))  # fmt: skip
        elif act == "accept":
            review.accept_proposal(key)
        elif act == "reject":
            review.reject_proposal(key)
        elif act == "undo":
            review.undo_proposal(key)
        elif act == "merge":
            review.merge_proposals(key, form.get("into", ""))
        elif act == "attach":
            review.attach_proposal(key, form.get("entity", ""))
        else:
            raise ReviewError(f"unknown action '{act}'")
        return f"{key}: {act} saved"

    def do_export(form: dict[str, str]) -> str:
        return export(review, output, layers=layers, into=into).summary()

    routes = [
        Route("/", index),
        Route("/search", search),
        Route("/review.css", asset),
        Route("/review.js", asset),
        Route("/spelling", action(spelling), methods=["POST"]),
        Route("/proposal", action(proposal), methods=["POST"]),
        Route("/export", action(do_export), methods=["POST"]),
    ]
    allowed = [h.strip("[]") for h in hosts] + list(hosts)
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=allowed)]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.token = secret
    return app


def serve(app: Any, *, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Run ``app`` with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning")
