"""GET /vendor/plotly.min.js: Plotly.js from the `plotly` Python package, so the page needs no CDN.

The file (4.8 MB) only changes with the installed package, so it is compressed once per process, at the
first request that accepts gzip, at the best level (1.47 MB; GZipMiddleware redid it at level 1 for every
request: 1.71 MB and 80-800 ms), and kept on `app.state`. Clients without gzip get the file as it is.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import anyio
import plotly
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from starlette.datastructures import State

from gradflow.api.routes.simulate import accepts_gzip, etag_matches

CACHE_CONTROL = "public, max-age=2592000"
"""30 days: the file only changes with the plotly package; after an upgrade a cached copy revalidates by ETag
at the latest then (or on a reload)."""
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
MEDIA_TYPE = "text/javascript; charset=utf-8"

router = APIRouter(include_in_schema=False)


class CompressedOnce:
    """A file's gzip, computed on first use in a worker thread (one at a time), then kept."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.body: bytes | None = None
        self._lock = anyio.Lock()

    async def get(self) -> bytes:
        async with self._lock:
            if self.body is None:
                self.body = await anyio.to_thread.run_sync(self._compress)
        return self.body

    def _compress(self) -> bytes:
        return gzip.compress(self.path.read_bytes(), compresslevel=9, mtime=0)


@router.api_route("/vendor/plotly.min.js", methods=["GET", "HEAD"])
async def plotly_js(request: Request) -> Response:
    """The bundled file, gzipped once when the client accepts it; a revalidation that matches gets a 304.
    Each coding has its own ETag, as RFC 9110 asks of different representations."""
    zipped = accepts_gzip(request)
    headers = {"ETag": _etag(gzipped=zipped), "Cache-Control": CACHE_CONTROL}
    if etag_matches(request.headers.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)
    if not zipped:
        return FileResponse(PLOTLY_JS, media_type=MEDIA_TYPE, headers=headers)
    body = await _compressed(request.app.state).get()
    # GZipMiddleware passes an encoded response through untouched, so the Vary it adds to others is ours to set
    headers.update({"Content-Encoding": "gzip", "Content-Length": str(len(body)), "Vary": "Accept-Encoding"})
    return Response(b"" if request.method == "HEAD" else body, media_type=MEDIA_TYPE, headers=headers)


def _compressed(state: State) -> CompressedOnce:
    """The app's one CompressedOnce for Plotly.js (made on first use: no await between look and set)."""
    if getattr(state, "plotly_js_gzip", None) is None:
        state.plotly_js_gzip = CompressedOnce(PLOTLY_JS)
    return state.plotly_js_gzip


def _etag(*, gzipped: bool) -> str:
    """Changes with the installed plotly version (FileResponse only computes its own while sending)."""
    return f'"plotly-{plotly.__version__}-{PLOTLY_JS.stat().st_size}{"-gzip" if gzipped else ""}"'
