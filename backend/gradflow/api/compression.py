"""gzip, decided here for the whole app, off the event loop.

A route that compresses its own answer (simulate: in its worker thread at `gzip_level`, through `json_answer`;
vendor: once per process at the best level, `CompressedOnce`) sets `Content-Encoding` and `Vary` itself.
`GZipMiddleware`, which passes an encoded response through untouched, compresses every other response above
`gzip_minimum_size` (docs, openapi.json, the page) and keeps `Vary` to one mention of each header. Streamed
answers (api/streaming.py) are never gzipped: each line must reach the client as it is written.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import anyio
from fastapi import FastAPI, Request, Response
from starlette.datastructures import MutableHeaders
from starlette.middleware import gzip as starlette_gzip
from starlette.types import Message as ASGIMessage
from starlette.types import Receive, Scope, Send

from gradflow.api.settings import Settings
from gradflow.api.streaming import STREAMED
from gradflow.api.timing import ServerTiming

VARY = "Accept-Encoding"
GZIPPED = {"Content-Encoding": "gzip", "Vary": VARY}
"""The headers of an answer a route compressed itself."""


def accepts_gzip(request: Request) -> bool:
    """Whether the client takes gzip; the same test as Starlette's GZipMiddleware."""
    return "gzip" in request.headers.get("accept-encoding", "")


def compress(content: bytes, level: int) -> bytes:
    """gzip with a fixed timestamp (the same content always gives the same bytes). Call it from a worker
    thread: zlib releases the GIL, but on the event loop a 26 MB answer would stall every other request."""
    return gzip.compress(content, compresslevel=level, mtime=0)


def json_answer(request: Request, content: bytes, settings: Settings, timing: ServerTiming) -> Response:
    """Encoded JSON as the response, gzipped here (call from the worker thread) when the client takes it and
    it is worth it, with the timing of every phase including this one."""
    headers = {"Vary": VARY}
    if accepts_gzip(request) and len(content) >= settings.gzip_minimum_size:
        content = compress(content, settings.gzip_level)
        headers.update(GZIPPED)
    timing.lap("gzip")
    headers["Server-Timing"] = timing.header()
    return Response(content, media_type="application/json", headers=headers)


class CompressedOnce:
    """A file's gzip, computed on first use in a worker thread (one at a time), then kept."""

    def __init__(self, path: Path, level: int) -> None:
        self.path = path
        self.level = level
        self.body: bytes | None = None
        self._lock = anyio.Lock()

    async def get(self) -> bytes:
        async with self._lock:
            if self.body is None:
                self.body = await anyio.to_thread.run_sync(lambda: compress(self.path.read_bytes(), self.level))
        return self.body


class GZipMiddleware(starlette_gzip.GZipMiddleware):
    """Starlette's, except that `Vary` names each header once: Starlette appends Accept-Encoding to an
    uncompressed answer's Vary even when the route already put it there (large answers to a client without
    gzip went out with `Vary: Accept-Encoding, Accept-Encoding`)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_vary_once(message: ASGIMessage) -> None:
            if message["type"] == "http.response.start":
                vary_once(MutableHeaders(scope=message))
            await send(message)

        await super().__call__(scope, receive, send_vary_once)


def vary_once(headers: MutableHeaders) -> None:
    """Folds every Vary header into one that names each header once (names are case-insensitive)."""
    names: dict[str, str] = {}
    for value in headers.getlist("vary"):
        for name in filter(None, (part.strip() for part in value.split(","))):
            names.setdefault(name.lower(), name)
    if names:
        headers["Vary"] = ", ".join(names.values())


def add_gzip(app: FastAPI, settings: Settings) -> None:
    """gzip for every response a route leaves uncompressed, at the app's level and threshold."""
    app.add_middleware(
        GZipMiddleware,
        minimum_size=settings.gzip_minimum_size,
        compresslevel=settings.gzip_level,
        # a stream of lines must reach the client as each is written, not when a gzip block fills up
        exclude_content_types=(*starlette_gzip.DEFAULT_EXCLUDED_CONTENT_TYPES, STREAMED),
    )
