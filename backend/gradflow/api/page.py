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
HASHED = "/dist/"
"""The page's bundle (tools/page-bundle): every .js file's name carries a hash of its content, so a name never
changes meaning and a browser may keep it for good. Its source maps and BUILD.json are revalidated: a comment
changed in a source changes the map, not the minified file."""
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
"""Every other file of the page: kept, but checked (ETag, a 304 when unchanged) before each use. Without it a
browser guessed freshness from Last-Modified and, after an upgrade, could run a cached index.html against
files no longer there."""


class PageFiles(StaticFiles):
    """StaticFiles with the page's caching: `IMMUTABLE` for the bundle's hashed .js files, `REVALIDATE` for the
    rest (index.html names the bundle's current files, so a new release is picked up at once)."""

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        hashed = scope["path"].startswith(HASHED) and scope["path"].endswith(".js")
        response.headers["Cache-Control"] = IMMUTABLE if hashed else REVALIDATE
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
