"""`create_app()`: wires the routers, middleware, offline docs, Plotly.js and the page; nothing else."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from threadpoolctl import threadpool_limits

import gradflow
from gradflow.api.compression import add_gzip
from gradflow.api.docs import add_offline_docs
from gradflow.api.errors import add_error_handlers
from gradflow.api.middleware import BodySizeLimitMiddleware, SecurityHeadersMiddleware
from gradflow.api.page import mount_page
from gradflow.api.responses import StrictJSONResponse
from gradflow.api.routes import health, meta, networks, runs, simulate, sweep, train, upload, vendor
from gradflow.api.settings import Settings
from gradflow.api.slots import SimulationSlots

DESCRIPTION = (
    "Exact gradient flow through recurrent networks (rnn, lstm, gru; PyTorch's equations, float64). "
    "Strict JSON: a number that is not finite is `null`, and `warnings` says where."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The whole service; `settings` defaults to `Settings()` from the environment."""
    settings = settings or Settings()
    app = FastAPI(
        title="Gradient Flow Lab",
        version=gradflow.__version__,
        description=DESCRIPTION,
        default_response_class=StrictJSONResponse,
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.simulation_slots = SimulationSlots(settings.max_concurrent_simulations, settings.queue_timeout_s)
    app.state.training_slots = SimulationSlots(settings.max_concurrent_trainings, settings.queue_timeout_s, "training")
    app.state.sweep_slots = SimulationSlots(settings.max_concurrent_sweeps, settings.queue_timeout_s, "sweep")

    app.include_router(health.router, prefix="/api")
    app.include_router(meta.router, prefix="/api")
    app.include_router(simulate.router, prefix="/api")
    app.include_router(upload.router, prefix="/api")
    app.include_router(train.router, prefix="/api")
    app.include_router(sweep.router, prefix="/api")
    app.include_router(runs.router, prefix="/api")
    app.include_router(networks.router, prefix="/api")
    app.include_router(vendor.router)
    add_error_handlers(app)
    add_offline_docs(app)
    if settings.frontend_dir.is_dir():
        mount_page(app, settings.frontend_dir)

    # Added innermost first: security headers wrap everything, gzip sits next to the app.
    add_gzip(app, settings)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        larger={upload.PATH: (settings.max_upload_bytes, "GRADFLOW_MAX_UPLOAD_BYTES")},
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "If-None-Match"],
            expose_headers=["ETag", "Retry-After", "Server-Timing"],
            max_age=600,
        )
    app.add_middleware(SecurityHeadersMiddleware)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Pins BLAS to `blas_threads` per process (the core's matrices are small, so extra threads only contend,
    and with several workers they fight over the cores), and warms up in the background (`_warm_up`)."""
    warming = asyncio.get_running_loop().create_task(_warm_up(app))
    threads = app.state.settings.blas_threads
    try:
        with threadpool_limits(limits=threads) if threads is not None else contextlib.nullcontext():
            yield
    finally:
        warming.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await warming


WARM_UP_QUERY = b"arrays=binary-f4"
"""The request `_warm_up` sends itself: the page's first one at the default settings."""


async def _warm_up(app: FastAPI) -> None:
    """Makes, right after start-up and off the event loop, what a page's first load would otherwise wait for in
    each worker: the OpenAPI schema (about 140 ms here), Plotly.js gzipped at the best level (about 100 ms), and
    one default simulation through the whole app (a worker's first one took 127 ms against 13 ms after it:
    first calls into NumPy's LAPACK, pydantic's validators, the encoders), whose run the worker then keeps
    (docs/api.md, "Shared runs"). Requests that come earlier make or await them as before; a failure here is
    logged and changes nothing else."""
    try:
        await anyio.to_thread.run_sync(app.openapi)
        await vendor.compressed_plotly_js(app).get()
        status = await _get_itself(app, "/api/simulate", WARM_UP_QUERY)
        if status != 200:
            raise RuntimeError(f"GET /api/simulate?{WARM_UP_QUERY.decode()} answered {status}")
    except Exception:  # noqa: BLE001 - a warm-up must never take the app down
        logging.getLogger("gradflow.api").exception("the warm-up after start-up failed")


async def _get_itself(app: FastAPI, path: str, query: bytes) -> int:
    """A GET to the app itself, in process (no socket), as a client that takes zstd; its status."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"localhost"), (b"accept-encoding", b"zstd, gzip")],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 80),
    }
    status = 0

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status
