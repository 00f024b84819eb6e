"""Compression, decided here for the whole app, off the event loop.

A route that compresses its own answer (simulate: in its worker thread, through `json_answer`, as zstd at
`zstd_level` to a client that takes it, else gzip at `gzip_level`; vendor: once per process at gzip's best
level, `CompressedOnce`) sets `Content-Encoding` and `Vary` itself. zstd first because it is an order of
magnitude faster here for the same size: the lstm T = 1000, H = 256 typed answer (8.2 MB) takes 9 ms at zstd
level 1 for 1.40x and 158 ms at gzip level 1 for 1.41x; its exact JSON (15 MB) 48 ms for 2.8x and 131 ms for 2.4x.
`GZipMiddleware`, which passes an encoded response through untouched, compresses every other response above
`gzip_minimum_size` (docs, openapi.json, the page) and keeps `Vary` to one mention of each header. Streamed
answers (api/streaming.py) are never gzipped: each line must reach the client as it is written.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import anyio
import zstandard
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
"""The headers of an answer a route gzipped itself."""


def accepted_codings(request: Request) -> set[str]:
    """The content codings the client's Accept-Encoding names with a weight above 0 (RFC 9110 12.5.3), lower
    case; `*` and identity are not compressions and are left out."""
    return codings_in(request.headers.get("accept-encoding", ""))


def codings_in(accept_encoding: str) -> set[str]:
    """`accepted_codings` of an Accept-Encoding value."""
    accepted = set()
    for item in accept_encoding.split(","):
        name, _, params = item.partition(";")
        name = name.strip().lower()
        weight = params.strip().lower()
        if not name or name in ("*", "identity"):
            continue
        try:
            zero = weight.startswith("q=") and float(weight[2:]) == 0
        except ValueError:
            zero = False  # a malformed weight does not take a coding back
        if not zero:
            accepted.add(name)
    return accepted


def accepts_gzip(request: Request) -> bool:
    """Whether the client takes gzip."""
    return "gzip" in accepted_codings(request)


def answer_coding(request: Request, settings: Settings) -> str | None:
    """How `json_answer` compresses for this client: zstd when it takes it and `zstd_level` is on, else gzip
    when it takes that, else not at all."""
    accepted = accepted_codings(request)
    if settings.zstd_level > 0 and "zstd" in accepted:
        return "zstd"
    return "gzip" if "gzip" in accepted else None


def compress(content: bytes, level: int) -> bytes:
    """gzip with a fixed timestamp (the same content always gives the same bytes). Call it from a worker
    thread: zlib releases the GIL, but on the event loop a 26 MB answer would stall every other request."""
    return gzip.compress(content, compresslevel=level, mtime=0)


def compress_zstd(content: bytes, level: int) -> bytes:
    """One zstd frame (RFC 8878) with the content size in its header; deterministic, releases the GIL."""
    return zstandard.ZstdCompressor(level=level).compress(content)


def json_answer(request: Request, content: bytes, settings: Settings, timing: ServerTiming) -> Response:
    """Encoded JSON as the response, compressed here (call from the worker thread) when the client takes a
    coding (`answer_coding`) and it is worth it, with the timing of every phase including this one."""
    headers = {"Vary": VARY}
    coding = answer_coding(request, settings) if len(content) >= settings.gzip_minimum_size else None
    if coding == "zstd":
        content = compress_zstd(content, settings.zstd_level)
    elif coding == "gzip":
        content = compress(content, settings.gzip_level)
    if coding is not None:
        headers["Content-Encoding"] = coding
    timing.lap("compress")
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
    """Starlette's, except that `Vary` names each header once (Starlette appends Accept-Encoding to an
    uncompressed answer's Vary even when the route already put it there: large answers to a client without
    gzip went out with `Vary: Accept-Encoding, Accept-Encoding`), and that a coding refused with `q=0` is
    refused (Starlette looks for the word "gzip" in the header): the request goes on with Accept-Encoding
    reduced to the codings taken, which the routes read too."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_vary_once(message: ASGIMessage) -> None:
            if message["type"] == "http.response.start":
                vary_once(MutableHeaders(scope=message))
            await send(message)

        if scope["type"] == "http":
            scope = {**scope, "headers": list(scope["headers"])}  # the server's own list is left as it was
            headers = MutableHeaders(scope=scope)
            headers["accept-encoding"] = ", ".join(sorted(codings_in(headers.get("accept-encoding", ""))))
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
