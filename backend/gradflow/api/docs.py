"""`/docs` (Swagger UI) and `/redoc` (ReDoc) with every asset served by the app: no CDN, no inline script.

The UI bundles come from the `fastapi-offline` wheel (`swagger-ui-bundle.js`, `swagger-ui.css`,
`redoc.standalone.js`, `favicon.png`); Swagger UI's start-up code is `static/swagger-init.js`, so the
pages work under the app's Content-Security-Policy (`script-src 'self'`).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

VENDOR_DIR = Path(fastapi_offline.__file__).parent / "static"
APP_STATIC_DIR = Path(__file__).parent / "static"
ASSETS = "/docs-assets"

_SWAGGER = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{root}{assets}/vendor/swagger-ui.css">
<link rel="icon" href="{root}{assets}/vendor/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{root}{assets}/vendor/swagger-ui-bundle.js"></script>
<script src="{root}{assets}/app/swagger-init.js" data-openapi-url="{root}{openapi}"></script>
</body>
</html>
"""

_REDOC = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="{root}{assets}/vendor/favicon.png">
<style>body {{ margin: 0; padding: 0; }}</style>
</head>
<body>
<redoc spec-url="{root}{openapi}"></redoc>
<script src="{root}{assets}/vendor/redoc.standalone.js"></script>
</body>
</html>
"""


def add_offline_docs(app: FastAPI, docs_url: str = "/docs", redoc_url: str = "/redoc") -> None:
    """Serve Swagger UI at `docs_url` and ReDoc at `redoc_url` (create the app with docs_url=None,
    redoc_url=None so FastAPI's CDN pages are not registered)."""
    app.mount(f"{ASSETS}/vendor", StaticFiles(directory=VENDOR_DIR), name="docs-vendor")
    app.mount(f"{ASSETS}/app", StaticFiles(directory=APP_STATIC_DIR), name="docs-app")

    def render(template: str, title: str, request: Request) -> HTMLResponse:
        values = {
            "title": escape(f"{app.title} - {title}"),
            "root": escape(request.scope.get("root_path", "")),
            "assets": ASSETS,
            "openapi": escape(app.openapi_url or "/openapi.json"),
        }
        return HTMLResponse(template.format(**values))

    @app.get(docs_url, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        return render(_SWAGGER, "Swagger UI", request)

    @app.get(redoc_url, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        return render(_REDOC, "ReDoc", request)
