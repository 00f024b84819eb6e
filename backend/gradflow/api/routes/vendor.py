"""GET /vendor/plotly.min.js: Plotly.js served by the app itself, so the page needs no CDN.

The file is plotly.js's cartesian bundle, vendored with the package (static/vendor/README.md says which
release and why). It never changes while the app runs, so it is compressed once per process, at the first
request that accepts gzip, at the best level, and kept on `app.state` (GZipMiddleware redid it at level 1
for every request). Clients without gzip get the file as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import FileResponse

from gradflow.api.compression import GZIPPED, CompressedOnce, accepts_gzip
from gradflow.api.etag import file_etag, is_fresh

CACHE_CONTROL = "public, max-age=2592000"
"""30 days: the file only changes with a new release of the app; a cached copy then revalidates by ETag at the
latest after 30 days (or on a reload)."""
PLOTLY_VERSION = "4.1.1"
PLOTLY_JS = Path(__file__).resolve().parents[1] / "static" / "vendor" / "plotly-cartesian.min.js"
MEDIA_TYPE = "text/javascript; charset=utf-8"
BEST_LEVEL = 9

router = APIRouter(include_in_schema=False)


def compressed_plotly_js(app: FastAPI) -> CompressedOnce:
    """The app's one CompressedOnce for Plotly.js, made on first use (no await between look and set); the
    app's start-up compresses it (main.py `_warm_up`), so the first page load does not wait for it."""
    state = app.state
    if getattr(state, "plotly_js_gzip", None) is None:
        state.plotly_js_gzip = CompressedOnce(PLOTLY_JS, BEST_LEVEL)
    return state.plotly_js_gzip


async def plotly_js_gzip(request: Request) -> CompressedOnce:
    """`compressed_plotly_js` of the request's app."""
    return compressed_plotly_js(request.app)


@router.api_route("/vendor/plotly.min.js", methods=["GET", "HEAD"])
async def plotly_js(request: Request, compressed: Annotated[CompressedOnce, Depends(plotly_js_gzip)]) -> Response:
    """The bundled file, gzipped once when the client accepts it; a revalidation that matches gets a 304.
    Each coding has its own ETag, as RFC 9110 asks of different representations."""
    zipped = accepts_gzip(request)
    etag = file_etag(f"plotly-{PLOTLY_VERSION}", PLOTLY_JS.stat().st_size, gzipped=zipped)
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if is_fresh(request, etag):
        return Response(status_code=304, headers=headers)
    if not zipped:
        return FileResponse(PLOTLY_JS, media_type=MEDIA_TYPE, headers=headers)
    body = await compressed.get()
    headers.update({**GZIPPED, "Content-Length": str(len(body))})
    return Response(b"" if request.method == "HEAD" else body, media_type=MEDIA_TYPE, headers=headers)
