"""POST /api/simulate (JSON body) and GET /api/simulate (query string): one simulation of the core.

Both validate into the same models (`gradflow.models`), refuse over-budget work before doing any, wait for a
free simulation slot (503 when none frees up), run the core in FastAPI's thread pool (the endpoints are
plain `def`) and answer with the core's dict encoded straight from numpy. GET answers carry a weak ETag
derived from the canonical config, so a repeated view costs a 304 and no compute. Headers, gzip and
timings are `http.py`'s.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from gradflow.api.budget import refuse_over_budget
from gradflow.api.compression import json_answer
from gradflow.api.deps import SettingsDep, SlotsDep
from gradflow.api.etag import config_etag, is_fresh
from gradflow.api.refusals import busy, documented, unprocessable
from gradflow.api.responses import StrictJSONResponse
from gradflow.api.settings import Settings
from gradflow.api.slots import Saturated, SimulationSlots
from gradflow.api.timing import ServerTiming
from gradflow.core.config import SimConfig
from gradflow.core.simulate import RunMemo, simulate
from gradflow.models import SimulateParams, SimulateRequest, SimulateResponse
from gradflow.wire.encoding import dumps_in_parts
from gradflow.wire.rounding import round_answer
from gradflow.wire.typed import typed_arrays

router = APIRouter(tags=["simulate"])

RESPONSES = documented("simulation", "the request")
CACHE_CONTROL = "no-cache"

MEMO = RunMemo()
"""This process's last runs: the page asks for the views in sight, then for the rest, of the same settings; the
second answer reuses the first one's passes (core.simulate.RunMemo; the answer is the same, bit for bit)."""
"""Caches may keep a GET answer but must revalidate it (a 304 when nothing changed, e.g. after a deploy)."""

_DESCRIPTION = (
    "Runs one recurrent cell forward over a sequence and backpropagates a linear readout loss through time, "
    "exactly, in float64. Non-finite numbers are `null` and `warnings` says where. "
)
Where = Literal["body", "query"]


@router.post(
    "/simulate",
    response_model=SimulateResponse,
    response_class=StrictJSONResponse,
    responses=RESPONSES,
    summary="Simulate gradient flow (JSON body)",
    description=_DESCRIPTION + "Send explicit `inputs` here (GET cannot).",
)
def simulate_post(body: SimulateRequest, request: Request, settings: SettingsDep, slots: SlotsDep) -> Response:
    return answer(body, "body", request, settings, slots)


@router.get(
    "/simulate",
    response_model=SimulateResponse,
    response_class=StrictJSONResponse,
    responses={**RESPONSES, 304: {"description": "Not modified: the `If-None-Match` ETag still holds."}},
    summary="Simulate gradient flow (query string)",
    description=_DESCRIPTION + "Same fields and answer as POST, without `inputs`; cacheable with ETag.",
)
def simulate_get(
    params: Annotated[SimulateParams, Query()], request: Request, settings: SettingsDep, slots: SlotsDep
) -> Response:
    cache_headers = {"ETag": config_etag(params.model_dump_json()), "Cache-Control": CACHE_CONTROL}
    if is_fresh(request, cache_headers["ETag"]):
        # the same refusal as without a cache: a budget lowered since must not be bypassed by a 304
        refuse_over_budget(params.to_sim_config(), settings.compute_budget, "query")
        return Response(status_code=304, headers=cache_headers)
    response = answer(params, "query", request, settings, slots)
    response.headers.update(cache_headers)
    return response


def answer(
    params: SimulateParams, where: Where, request: Request, settings: Settings, slots: SimulationSlots
) -> Response:
    """The simulation's answer, encoded (rounded if asked) and gzipped in this worker thread."""
    cfg = params.to_sim_config()
    refuse_over_budget(cfg, settings.compute_budget, where)
    timing, result = _simulate_in_a_slot(cfg, where, settings, slots)
    result["config"]["digits"] = params.digits
    result["config"]["arrays"] = params.arrays
    rounded = result if params.digits is None else round_answer(result, params.digits)
    content = dumps_in_parts(typed_arrays(rounded, params.arrays))
    timing.lap("encode")
    return json_answer(request, content, settings, timing)


def _simulate_in_a_slot(
    cfg: SimConfig, where: Where, settings: Settings, slots: SimulationSlots
) -> tuple[ServerTiming, dict]:
    """The core's result and its timing (from when the slot was granted), or the 422 / 503 that says why not."""
    try:
        with slots.hold():
            timing = ServerTiming()
            try:
                result = simulate(cfg, MEMO)
            except ValueError as exc:
                # The schema checks every combination it can; the core's own refusals are still the client's.
                raise unprocessable(str(exc), where) from exc
            timing.lap("simulate")
    except Saturated as exc:
        raise busy(exc, settings) from exc
    return timing, result
