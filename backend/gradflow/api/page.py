"""The page (frontend/) at `/`, as a catch-all that never answers for the app's own paths.

A plain `Mount("/")` would also match `/api/...`, turning a wrong method on an API route into the static
handler's 405 (`Allow: GET, HEAD`) and an unknown API path into a page lookup. `PageMount` steps aside for
those prefixes, so the API's own routing answers them.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.routing import Match, Mount
from starlette.types import Scope

APP_PREFIXES = ("/api/", "/docs", "/redoc", "/openapi.json", "/vendor/")
HASHED = "/dist/chunks/"
"""The bundle's chunks (tools/page-bundle): their names carry a hash of their content, so a name never changes
meaning and a browser may keep them for good."""
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
"""Every other file of the page: kept, but checked (ETag, a 304 when unchanged) before each use. Without it a
browser guessed freshness from Last-Modified and, after an upgrade, could run a cached main.js against new
chunks."""


class PageFiles(StaticFiles):
    """StaticFiles with the page's caching: `IMMUTABLE` for the hashed chunks, `REVALIDATE` for the rest."""

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = IMMUTABLE if scope["path"].startswith(HASHED) else REVALIDATE
        return response


class PageMount(Mount):
    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope.get("path", "").startswith(APP_PREFIXES):
            return Match.NONE, {}
        match, child_scope = super().matches(scope)
        if match == Match.FULL and scope.get("method") not in ("GET", "HEAD"):
            return Match.PARTIAL, child_scope  # static files: the 405 then lists only GET, HEAD
        return match, child_scope


def mount_page(app: FastAPI, directory: Path) -> None:
    """Serve `directory` at `/` (index.html for `/`); StaticFiles refuses paths resolving outside it.
    Call last, after every route."""
    app.router.routes.append(PageMount("/", app=PageFiles(directory=directory, html=True), name="page"))
