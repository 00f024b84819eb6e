"""POST /api/sweep: a grid of simulations streamed as NDJSON points, then a summary of the grids.

The grid is the core's (`gradflow.sweeping`); the points run inline, in a local process pool, or on the Dask
cluster named by GRADFLOW_DASK_SCHEDULER. The whole sweep is costed up front against its budget. A client
that hangs up cancels every point not yet started.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from fastapi import APIRouter, HTTPException, Response

from gradflow.api.budget import refuse_sweep_over_budget
from gradflow.api.deps import SettingsDep, SweepSlotsDep
from gradflow.api.refusals import documented, unavailable, unprocessable
from gradflow.api.responses import StrictJSONResponse
from gradflow.api.settings import Settings
from gradflow.api.streaming import STREAMED, in_thread, lease, ndjson
from gradflow.core.cost import sweep_cost
from gradflow.models.sweep import SweepRequest
from gradflow.sweeping import SweepSpec, point_jobs, summary
from gradflow.sweeping.executors import ClusterMismatch, make_executor
from gradflow.wire.typed import typed_arrays

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
        **documented("sweep", "the whole sweep"),
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
        raise unprocessable(str(exc), "body") from None
    refuse_sweep_over_budget(spec, settings)
    held = await lease(slots, settings)
    if body.stream:
        return ndjson(lambda: (typed_arrays(e, body.arrays) for e in _events(spec, settings)), held)
    return StrictJSONResponse(typed_arrays(await in_thread(held, _whole, spec, settings), body.arrays))


def _executor(settings: Settings, spec: SweepSpec):
    try:
        return make_executor(settings.dask_scheduler, settings.sweep_pool_workers, sweep_cost(spec.configs()))
    except OSError as exc:  # the scheduler did not answer
        raise unavailable(
            f"The Dask scheduler at {settings.dask_scheduler} did not answer ({exc}).", settings
        ) from None
    except ImportError:
        raise unavailable(
            "GRADFLOW_DASK_SCHEDULER is set but Dask is not installed here: pip install gradflow[dask]"
        ) from None
    except ClusterMismatch as exc:
        raise HTTPException(502, str(exc)) from None


def _events(spec: SweepSpec, settings: Settings) -> Iterator[dict]:
    """Every point as it is done, in any order, then the summary; the executor closes with the generator."""
    start = time.perf_counter()
    executor = _executor(settings, spec)
    try:
        points = []
        for point in executor.run(point_jobs(spec)):
            points.append(point)
            yield point
        yield summary(spec, points, (time.perf_counter() - start) * 1e3, executor.name)
    finally:
        executor.close()


def _whole(spec: SweepSpec, settings: Settings) -> dict:
    try:
        *_, last = _events(spec, settings)
    except HTTPException:
        raise
    except Exception as exc:  # a failure under way (a Dask worker's): 502 in words, never a 500
        raise HTTPException(502, f"The sweep failed under way: {type(exc).__name__}: {exc}") from None
    return last
