"""GET /vendor/plotly.min.js: Plotly.js served by the app itself, so the page needs no CDN.

The file is plotly.js's cartesian bundle, vendored with the package (static/vendor/README.md says which
release and why). It never changes while the app runs, so it is compressed once per process, at the first
request that accepts gzip, at the best level, and kept on `app.state` (GZipMiddleware redid it at level 1
for every request). Clients without gzip get the file as it is.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from starlette.datastructures import State

from gradflow.api.routes.simulate import accepts_gzip, etag_matches

CACHE_CONTROL = "public, max-age=2592000"
"""30 days: the file only changes with a new release of the app; a cached copy then revalidates by ETag at the
latest after 30 days (or on a reload)."""
PLOTLY_VERSION = "4.1.1"
PLOTLY_JS = Path(__file__).resolve().parents[1] / "static" / "vendor" / "plotly-cartesian.min.js"
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
    """Changes with the vendored file (FileResponse only computes its own while sending)."""
    return f'"plotly-{PLOTLY_VERSION}-{PLOTLY_JS.stat().st_size}{"-gzip" if gzipped else ""}"'
