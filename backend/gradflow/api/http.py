"""HTTP for every router: ETags and revalidation, gzip negotiation (off the event loop), Server-Timing.

gzip is decided here for the whole app. A route that compresses its own answer (simulate: in its worker
thread at `gzip_level`, through `json_answer`; vendor: once per process at the best level, `CompressedOnce`)
sets `Content-Encoding` and `Vary` itself. `GZipMiddleware`, which passes an encoded response through
untouched, compresses every other response above `gzip_minimum_size` (docs, openapi.json, the page) and
keeps `Vary` to one mention of each header.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from pathlib import Path

import anyio
from fastapi import FastAPI, Request, Response
from starlette.datastructures import MutableHeaders
from starlette.middleware import gzip as starlette_gzip
from starlette.types import Message as ASGIMessage
from starlette.types import Receive, Scope, Send

import gradflow
from gradflow.api.settings import Settings
from gradflow.models.errors import Message, ValidationErrors

VARY = "Accept-Encoding"
STREAMED = "application/x-ndjson"
"""The media type of answers streamed line by line (training, sweeps): never gzipped."""
GZIPPED = {"Content-Encoding": "gzip", "Vary": VARY}
"""The headers of an answer a route compressed itself."""


def refusals(busy: str, over: str) -> dict[int | str, dict]:
    """The documented refusals of a compute route: `busy` names its slots, `over` what its budget covers."""
    return {
        400: {"model": Message, "description": "The body cannot be decoded (e.g. not UTF-8)."},
        413: {"model": Message, "description": "The request body is over the size limit."},
        422: {"model": ValidationErrors, "description": f"A field is invalid, or {over} is over the compute budget."},
        503: {"model": Message, "description": f"Every {busy} slot is busy; retry after `Retry-After` seconds."},
    }


def config_etag(canonical: str) -> str:
    """Weak ETag of an answer's canonical config and the app version: weak because the body itself differs
    (e.g. in `elapsed_ms`), so it promises the same meaning, not the same bytes."""
    text = f"{gradflow.__version__}\n{canonical}".encode()
    return f'W/"{hashlib.blake2b(text, digest_size=16).hexdigest()}"'


def file_etag(label: str, size: int, *, gzipped: bool) -> str:
    """Strong ETag of a file that changes only with its label (name and version) and size; one per coding, as
    RFC 9110 asks of different representations."""
    return f'"{label}-{size}{"-gzip" if gzipped else ""}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of `etag` against an If-None-Match header (a list, or `*`)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == opaque for candidate in if_none_match.split(","))


def is_fresh(request: Request, etag: str) -> bool:
    """Whether the client's cached copy (If-None-Match) is still this `etag`: answer 304 without the work."""
    return etag_matches(request.headers.get("if-none-match"), etag)


def accepts_gzip(request: Request) -> bool:
    """Whether the client takes gzip; the same test as Starlette's GZipMiddleware."""
    return "gzip" in request.headers.get("accept-encoding", "")


def compress(content: bytes, level: int) -> bytes:
    """gzip with a fixed timestamp (the same content always gives the same bytes). Call it from a worker
    thread: zlib releases the GIL, but on the event loop a 26 MB answer would stall every other request."""
    return gzip.compress(content, compresslevel=level, mtime=0)


class ServerTiming:
    """Durations of an answer's phases for the `Server-Timing` header: `lap(name)` closes the phase that
    began at the previous lap (or at creation)."""

    def __init__(self) -> None:
        self._last = time.perf_counter()
        self.durations: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.durations[name] = now - self._last
        self._last = now

    def header(self) -> str:
        return ", ".join(f"{name};dur={seconds * 1e3:.1f}" for name, seconds in self.durations.items())


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
