"""canonym over HTTP: ``/normalize``, ``/resolve``, ``/detect`` and OpenRefine reconciliation.

``create_app(Service(gazetteer))`` is a Starlette application (for tests, or to
mount in another ASGI app); ``serve(settings)`` runs it under uvicorn.
"""

from __future__ import annotations

from canonym.serve.app import create_app, create_app_from_env
from canonym.serve.payload import ApiError
from canonym.serve.reconcile import Query, manifest, parse_batch, reconcile
from canonym.serve.server import ServeError, check_address, serve
from canonym.serve.service import Service
from canonym.serve.settings import SETTINGS_ENV, ServeSettings
from canonym.serve.suggest import SuggestIndex

__all__ = [
    "ApiError",
    "Query",
    "ServeError",
    "SETTINGS_ENV",
    "ServeSettings",
    "Service",
    "SuggestIndex",
    "check_address",
    "create_app",
    "create_app_from_env",
    "manifest",
    "parse_batch",
    "reconcile",
    "serve",
]
