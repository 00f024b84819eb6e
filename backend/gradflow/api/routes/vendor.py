"""GET /vendor/plotly.min.js: Plotly.js from the `plotly` Python package, so the page needs no CDN."""

from __future__ import annotations

from pathlib import Path

import plotly
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from gradflow.api.routes.simulate import etag_matches

CACHE = {"Cache-Control": "public, max-age=86400"}
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

router = APIRouter(include_in_schema=False)


@router.api_route("/vendor/plotly.min.js", methods=["GET", "HEAD"])
async def plotly_js(request: Request) -> Response:
    """The bundled file with its stat-based ETag; a revalidation that still matches gets a 304."""
    headers = {"ETag": _etag(), **CACHE}
    if etag_matches(request.headers.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return FileResponse(PLOTLY_JS, media_type="text/javascript; charset=utf-8", headers=headers)


def _etag() -> str:
    """Changes with the installed plotly version (FileResponse only computes its own while sending)."""
    return f'"plotly-{plotly.__version__}-{PLOTLY_JS.stat().st_size}"'
