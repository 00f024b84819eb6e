"""The page (frontend/) at `/`, as a catch-all that never answers for the app's own paths.

A plain `Mount("/")` would also match `/api/...`, turning a wrong method on an API route into the static
handler's 405 (`Allow: GET, HEAD`) and an unknown API path into a page lookup. `PageMount` steps aside for
those prefixes, so the API's own routing answers them.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.routing import Match, Mount
from starlette.types import Scope

APP_PREFIXES = ("/api/", "/docs", "/redoc", "/openapi.json", "/vendor/")


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
    app.router.routes.append(PageMount("/", app=StaticFiles(directory=directory, html=True), name="page"))
