"""Reviewing what a corpus run found, in the browser: ``canonym review CORPUS_DB``.

``Review`` holds the alias table of a corpus database and the decisions taken on
it (saved in the database as they are made); ``export`` writes them as a
gazetteer overlay; ``create_app`` and ``serve`` put the review page on 127.0.0.1
(the ``review`` extra: Starlette and uvicorn).
"""

from __future__ import annotations

from canonym.review.app import HOSTS, create_app, serve
from canonym.review.model import EntityView, ProposalView, Review, ReviewError, SpellingView
from canonym.review.output import ExportReport, export, overlay_entries

__all__ = [
    "Review",
    "ReviewError",
    "EntityView",
    "ProposalView",
    "SpellingView",
    "ExportReport",
    "export",
    "overlay_entries",
    "create_app",
    "serve",
    "HOSTS",
]
