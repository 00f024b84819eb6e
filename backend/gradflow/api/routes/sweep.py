"""POST /api/sweep: a grid of simulations streamed as NDJSON points, then a summary of the grids.

The grid is the core's (`gradflow.sweeps`); the points run inline, in a local process pool, or on the Dask
cluster named by GRADFLOW_DASK_SCHEDULER. The whole sweep is costed up front against its budget. A client
that hangs up cancels every point not yet started.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import anyio
from fastapi import APIRouter, HTTPException, Response
from fastapi.responses import StreamingResponse

from gradflow.api.deps import SettingsDep, SweepSlotsDep
from gradflow.api.http import STREAMED, refusals
from gradflow.api.responses import StrictJSONResponse
from gradflow.api.routes.train import _DONE, _next, _Slot, _take_slot
from gradflow.api.settings import Settings
from gradflow.models.sweep import SweepRequest
from gradflow.sweeps import SweepSpec, point_jobs, summary, sweep_cost
from gradflow.sweeps.executors import make_executor
from gradflow.wire.encoding import dumps

router = APIRouter(tags=["sweep"])


@router.post(
    "/sweep",
    response_class=StrictJSONResponse,
    responses={
        200: {
            "content": {STREAMED: {"schema": {"type": "string"}}},
            "description": "stream true: NDJSON points {type: point, ix, iy, seed, ...metrics} in any "
            "order, then {type: summary, x, y, grid, elapsed_ms, executor}; stream false: the summary.",
        },
        **refusals("sweep", "the whole sweep"),
    },
    summary="Sweep one or two request fields: the phase diagram of gradient flow",
    description="Every point equals what /api/simulate answers for its configuration. Metrics per point and "
    "seed: log10_grad_first (log10 |dL/dh_1|), memory_horizon, spectral_radius, max_singular_value, and "
    "forget_gate_mean (lstm) or update_gate_mean (gru).",
)
async def sweep(body: SweepRequest, settings: SettingsDep, slots: SweepSlotsDep) -> Response:
    try:
        spec = body.to_spec()
    except ValueError as exc:
        raise HTTPException(422, [{"type": "value_error", "loc": ["body"], "msg": str(exc)}]) from None
    _refuse_over_budget(spec, settings)
    slot = await _take_slot(slots, settings)
    if not body.stream:
        try:
            return StrictJSONResponse(await anyio.to_thread.run_sync(_whole, spec, settings))
        finally:
            slot.release()
    return StreamingResponse(_lines(spec, settings, slot), media_type=STREAMED, headers={"Cache-Control": "no-store"})


def _refuse_over_budget(spec: SweepSpec, settings: Settings) -> None:
    budget, setting = (
        (settings.dask_sweep_budget, "GRADFLOW_DASK_SWEEP_BUDGET")
        if settings.dask_scheduler
        else (settings.sweep_budget, "GRADFLOW_SWEEP_BUDGET")
    )
    jobs = point_jobs(spec)
    cost = sweep_cost(spec)
    if cost > budget:
        msg = (
            f"This sweep needs about {cost:.3g} multiply-adds ({len(jobs)} simulations: {spec.shape[1]} x "
            f"{spec.shape[0]} points x {spec.seeds} seed(s)), over the sweep budget of {budget:.3g} (setting "
            f"{setting}). To fit, use fewer points or seeds, or smaller seq_len, hidden_size or batch_size in base"
            f"{'' if settings.dask_scheduler else ', or a Dask cluster (GRADFLOW_DASK_SCHEDULER)'}."
        )
        raise HTTPException(422, [{"type": "compute_budget", "loc": ["body"], "msg": msg}])


def _executor(settings: Settings, spec: SweepSpec):
    try:
        return make_executor(settings.dask_scheduler, settings.sweep_pool_workers, sweep_cost(spec))
    except OSError as exc:  # the scheduler did not answer
        raise HTTPException(
            503,
            f"The Dask scheduler at {settings.dask_scheduler} did not answer ({exc}).",
            {"Retry-After": str(settings.retry_after_s)},
        ) from None
    except ImportError:
        raise HTTPException(
            503, "GRADFLOW_DASK_SCHEDULER is set but Dask is not installed here: pip install gradflow[dask]"
        ) from None


def _whole(spec: SweepSpec, settings: Settings) -> dict:
    start = time.perf_counter()
    jobs = point_jobs(spec)
    executor = _executor(settings, spec)
    try:
        points = list(executor.run(jobs))
    finally:
        executor.close()
    return summary(spec, points, (time.perf_counter() - start) * 1e3, executor.name)


async def _lines(spec: SweepSpec, settings: Settings, slot: _Slot) -> AsyncIterator[bytes]:
    start = time.perf_counter()
    jobs = point_jobs(spec)
    executor = None
    try:
        executor = await anyio.to_thread.run_sync(_executor, settings, spec)
        points = []
        results = executor.run(jobs)
        while (point := await anyio.to_thread.run_sync(_next, results)) is not _DONE:
            points.append(point)
            yield dumps(point) + b"\n"
        yield dumps(summary(spec, points, (time.perf_counter() - start) * 1e3, executor.name)) + b"\n"
    except HTTPException as exc:  # the stream has begun: the refusal becomes its last line
        yield dumps({"type": "error", "detail": exc.detail}) + b"\n"
    finally:
        if executor is not None:
            executor.close()
        slot.release()
