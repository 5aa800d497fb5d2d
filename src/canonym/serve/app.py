"""The HTTP layer: routes, body limits and errors, around a ``Service``.

Handlers read the body within the size limit, hand the JSON to the service in a
worker thread (the event loop stays free to answer ``/health`` while a long text
is normalized), and turn every refusal into a JSON ``{"error", "status"}``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from canonym.serve.payload import ApiError, parse_json
from canonym.serve.reconcile import manifest, parse_batch, reconcile
from canonym.serve.service import Service
from canonym.serve.settings import ServeSettings
from canonym.serve.suggest import SuggestIndex, preview_html, suggest_properties, suggest_types

__all__ = ["create_app", "create_app_from_env"]

# Reconciliation clients may run in a browser page of another origin.
_CORS = {"Access-Control-Allow-Origin": "*"}
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BodyLimit:
    """Refuses a body over ``limit`` bytes with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(self.limit)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise ApiError(413, _too_large_message(self.limit))
            return message

        await self.app(scope, counted, send)


def _too_large_message(limit: int) -> str:
    return f"the body is over {limit} bytes; send less, or start the server with --max-body-bytes"


def _too_large(limit: int) -> Response:
    return JSONResponse(ApiError(413, _too_large_message(limit)).to_dict(), 413)


def create_app(service: Service) -> Starlette:
    """The application for one loaded ``Service``."""
    suggest = SuggestIndex(service.gazetteer)

    def json_route(call: Callable[[Any], Any], *, text_ok: bool = False) -> Callable[..., Any]:
        async def endpoint(request: Request) -> Response:
            body = await request.body()
            kind = _media_type(request)
            if text_ok and kind == "text/plain":
                payload: Any = {"text": _utf8(body)}
            elif kind in ("", "application/json") or kind.endswith("+json"):
                payload = parse_json(body)
            else:
                raise ApiError(415, f"send application/json, not {kind} (with curl: --json)")
            return JSONResponse(await run_in_threadpool(call, payload))

        return endpoint

    async def health(request: Request) -> Response:
        return JSONResponse(service.health())

    async def reconcile_endpoint(request: Request) -> Response:
        raw = await _queries(request)
        if raw is None:
            return JSONResponse(manifest(_base(request), service.settings.service_name), 200, _CORS)
        batch = parse_batch(raw, service.settings.max_queries)
        return JSONResponse(await run_in_threadpool(reconcile, service, batch), 200, _CORS)

    async def suggest_entity(request: Request) -> Response:
        q = request.query_params
        types = (q["type"].lower(),) if q.get("type") else ()
        cursor, limit = (
            _int_param(q.get("cursor"), "cursor", 0),
            _int_param(q.get("limit"), "limit", 10),
        )

        def locked() -> dict[str, Any]:
            with service.lock:  # the resolver's caches are the service's to share
                return suggest.suggest(q.get("prefix", ""), types, cursor, limit)

        return JSONResponse(await run_in_threadpool(locked), 200, _CORS)

    async def suggest_type(request: Request) -> Response:
        return JSONResponse(suggest_types(request.query_params.get("prefix", "")), 200, _CORS)

    async def suggest_property(request: Request) -> Response:
        return JSONResponse(suggest_properties(request.query_params.get("prefix", "")), 200, _CORS)

    def entity_page(entity_id: str | None, *, full: bool) -> Response:
        if not entity_id:
            raise ApiError(422, "pass the entity's id: ?id=ENTITY_ID")
        if entity_id not in service.gazetteer:
            raise ApiError(404, f"no entity with id {entity_id!r}")
        return HTMLResponse(preview_html(service.gazetteer.get(entity_id), full=full), 200, _CORS)

    async def preview(request: Request) -> Response:
        return entity_page(request.query_params.get("id"), full=False)

    async def view(request: Request) -> Response:
        return entity_page(request.path_params["entity_id"], full=True)

    async def index(request: Request) -> Response:
        base = _base(request)
        paths = ["/health", "/normalize", "/resolve", "/detect", "/reconcile"]
        return JSONResponse({"service": "canonym", "endpoints": [base + p for p in paths]})

    routes = [
        Route("/", index),
        Route("/health", health),
        Route("/normalize", json_route(service.normalize, text_ok=True), methods=["POST"]),
        Route("/resolve", json_route(service.resolve), methods=["POST"]),
        Route("/detect", json_route(service.detect, text_ok=True), methods=["POST"]),
        Route("/reconcile", reconcile_endpoint, methods=["GET", "POST"]),
        Route("/reconcile/suggest/entity", suggest_entity),
        Route("/reconcile/suggest/type", suggest_type),
        Route("/reconcile/suggest/property", suggest_property),
        Route("/reconcile/preview", preview),
        Route("/entity/{entity_id:path}", view),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        ApiError: _api_error,
        HTTPException: _http_error,
        Exception: _internal_error,
    }
    app = Starlette(routes=routes, exception_handlers=handlers)
    app.add_middleware(BodyLimit, limit=service.settings.max_body_bytes)
    app.state.service = service
    return app


def create_app_from_env() -> Starlette:
    """The factory each uvicorn worker calls: settings from the environment, index loaded once."""
    return create_app(Service.load(ServeSettings.from_env()))


async def _queries(request: Request) -> Any:
    """The query batch of a reconciliation call, or None for a manifest request."""
    if request.method == "GET":
        return request.query_params.get("queries")
    kind = _media_type(request)
    if kind in _FORM_TYPES:
        form = await request.form()
        value = form.get("queries")
        if not isinstance(value, str):
            raise ApiError(422, "the form has no 'queries' field; send queries=<JSON batch>")
        return value
    if kind not in ("", "application/json"):
        raise ApiError(415, f"send a form with 'queries', or a JSON batch, not {kind}")
    body = parse_json(await request.body())
    if isinstance(body, dict) and set(body) == {"queries"}:
        inner = body["queries"]
        if isinstance(inner, str) or (isinstance(inner, dict) and "query" not in inner):
            return inner
    return body


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ApiError(400, f"the body is not UTF-8 (byte {e.start}); send UTF-8 text") from None


def _int_param(value: str | None, name: str, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or int(value) > 1000:
        raise ApiError(422, f"'{name}' must be a whole number from 0 to 1000")
    return int(value)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(exc.to_dict(), exc.status, _CORS)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = {404: f"no such endpoint: {request.url.path}; see /"}.get(exc.status_code)
    if exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    return JSONResponse(
        {"error": message or str(exc.detail), "status": exc.status_code}, exc.status_code
    )


async def _internal_error(request: Request, exc: Exception) -> Response:
    text = f"internal error ({type(exc).__name__}); this is a bug in canonym, please report it"
    return JSONResponse({"error": text, "status": 500}, 500)
