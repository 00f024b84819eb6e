"""POST /api/simulate (JSON body) and GET /api/simulate (query string): one simulation of the core.

Both validate into the same models (`gradflow.models`), refuse over-budget work before doing any, wait for a
free simulation slot (503 when none frees up), run the core in FastAPI's thread pool (the endpoints are
plain `def`) and answer with the core's dict encoded straight from numpy. GET answers carry a weak ETag
derived from the canonical config, so a repeated view costs a 304 and no compute.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response

import gradflow
from gradflow.api.budget import over_budget_message
from gradflow.api.encoding import StrictJSONResponse, dumps_in_parts
from gradflow.api.rounding import round_answer
from gradflow.api.settings import Settings
from gradflow.api.slots import Saturated, SimulationSlots
from gradflow.core.config import SimConfig
from gradflow.core.cost import fits
from gradflow.core.simulate import simulate
from gradflow.models import SimulateParams, SimulateRequest, SimulateResponse
from gradflow.models.errors import Message, ValidationErrors

router = APIRouter(tags=["simulate"])

RESPONSES: dict[int | str, dict] = {
    400: {"model": Message, "description": "The body cannot be decoded (e.g. not UTF-8)."},
    413: {"model": Message, "description": "The request body is over the size limit."},
    422: {"model": ValidationErrors, "description": "A field is invalid, or the request is over the compute budget."},
    503: {"model": Message, "description": "Every simulation slot is busy; retry after `Retry-After` seconds."},
}
CACHE_CONTROL = "no-cache"
"""Caches may keep a GET answer but must revalidate it (a 304 when nothing changed, e.g. after a deploy)."""

_DESCRIPTION = (
    "Runs one recurrent cell forward over a sequence and backpropagates a linear readout loss through time, "
    "exactly, in float64. Non-finite numbers are `null` and `warnings` says where. "
)


@router.post(
    "/simulate",
    response_model=SimulateResponse,
    response_class=StrictJSONResponse,
    responses=RESPONSES,
    summary="Simulate gradient flow (JSON body)",
    description=_DESCRIPTION + "Send explicit `inputs` here (GET cannot).",
)
def simulate_post(body: SimulateRequest, request: Request) -> Response:
    return _run(body, request, "body")


@router.get(
    "/simulate",
    response_model=SimulateResponse,
    response_class=StrictJSONResponse,
    responses={**RESPONSES, 304: {"description": "Not modified: the `If-None-Match` ETag still holds."}},
    summary="Simulate gradient flow (query string)",
    description=_DESCRIPTION + "Same fields and answer as POST, without `inputs`; cacheable with ETag.",
)
def simulate_get(params: Annotated[SimulateParams, Query()], request: Request) -> Response:
    etag = config_etag(params)
    cache_headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if etag_matches(request.headers.get("if-none-match"), etag):
        _check_budget(params, request, "query")
        return Response(status_code=304, headers=cache_headers)
    response = _run(params, request, "query")
    response.headers.update(cache_headers)
    return response


def config_etag(params: SimulateParams) -> str:
    """Weak ETag of a request's canonical config and the app version (the body itself differs in
    `elapsed_ms`, hence weak: same meaning, not the same bytes)."""
    canonical = f"{gradflow.__version__}\n{params.model_dump_json()}".encode()
    return f'W/"{hashlib.blake2b(canonical, digest_size=16).hexdigest()}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of `etag` against an If-None-Match header (a list, or `*`)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == opaque for candidate in if_none_match.split(","))


def _run(params: SimulateParams, request: Request, where: Literal["body", "query"]) -> Response:
    cfg = _check_budget(params, request, where)
    slots: SimulationSlots = request.app.state.simulation_slots
    settings: Settings = request.app.state.settings
    try:
        with slots.hold():
            started = time.perf_counter()
            try:
                result = simulate(cfg)
            except ValueError as exc:
                # The schema checks every combination it can; the core's own refusals are still the client's.
                raise HTTPException(422, [{"type": "value_error", "loc": [where], "msg": str(exc)}]) from exc
            computed = time.perf_counter()
    except Saturated as exc:
        raise HTTPException(
            503, f"Busy: {exc}. Retry in {settings.retry_after_s} s.", {"Retry-After": str(settings.retry_after_s)}
        ) from exc
    result["config"]["digits"] = params.digits
    content = dumps_in_parts(result if params.digits is None else round_answer(result, params.digits))
    encoded = time.perf_counter()
    headers = {"Vary": "Accept-Encoding"}
    if accepts_gzip(request) and len(content) >= settings.gzip_minimum_size:
        # Here in the worker thread (zlib releases the GIL), not in GZipMiddleware on the event loop, where
        # compressing a 26 MB answer would stall every other request; the middleware passes it through.
        content = gzip.compress(content, compresslevel=settings.gzip_level, mtime=0)
        headers["Content-Encoding"] = "gzip"
    zipped = time.perf_counter()
    headers["Server-Timing"] = ", ".join(
        f"{name};dur={ms * 1e3:.1f}"
        for name, ms in (("simulate", computed - started), ("encode", encoded - computed), ("gzip", zipped - encoded))
    )
    return Response(content, media_type="application/json", headers=headers)


def accepts_gzip(request: Request) -> bool:
    """Whether the client takes gzip; the same test as Starlette's GZipMiddleware, which handles the rest."""
    return "gzip" in request.headers.get("accept-encoding", "")


def _check_budget(params: SimulateParams, request: Request, where: str) -> SimConfig:
    """The core's config for `params`, or a 422 naming the budget when it would cost too much."""
    cfg = params.to_sim_config()
    budget = request.app.state.settings.compute_budget
    if not fits(cfg, budget):
        raise HTTPException(422, [{"type": "compute_budget", "loc": [where], "msg": over_budget_message(cfg, budget)}])
    return cfg
