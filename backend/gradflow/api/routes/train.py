"""POST /api/train: train a cell on a long-range task, streamed as STREAMED while it runs.

The engine is the core's generator (`gradflow.training`); this route only refuses work over the training
budget, holds one of the worker's training slots for the run's lifetime, and moves events from the
generator (advanced one training step at a time in a worker thread) to the client. When the client hangs
up, Starlette cancels the stream; the step under way finishes (milliseconds) and the generator is closed,
so the CPU goes quiet at once. With `stream: false` the whole run is one JSON answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import anyio
from fastapi import APIRouter, HTTPException, Response
from fastapi.responses import StreamingResponse

from gradflow.api.budget import refuse_training_over_budget
from gradflow.api.deps import SettingsDep, TrainingSlotsDep
from gradflow.api.http import STREAMED, refusals
from gradflow.api.responses import StrictJSONResponse
from gradflow.api.settings import Settings
from gradflow.api.slots import Saturated, SimulationSlots
from gradflow.models.train import TrainRequest, TrainResult
from gradflow.training import TrainConfig
from gradflow.training.loop import train_ticks
from gradflow.wire.encoding import dumps

router = APIRouter(tags=["train"])

_DONE = object()

RESPONSES: dict[int | str, dict] = {
    200: {
        "content": {STREAMED: {"schema": {"type": "string"}, "example": '{"type":"progress","step":1,...}\n'}},
        "description": "stream true: STREAMED, one progress object per reported step, then one summary. "
        "stream false: one JSON object {events, summary}.",
    },
    **refusals("training", "the whole run"),
}


@router.post(
    "/train",
    response_model=TrainResult,
    response_class=StrictJSONResponse,
    responses=RESPONSES,
    summary="Train a cell on a long-range task (streamed)",
    description="Trains rnn, lstm or gru plus a linear readout on the adding or recall task with SGD or Adam "
    "(torch semantics), clipping the parameter gradients before each update as torch does. Each progress event "
    "carries the step's gradient-flow profile log10 |dL/dh_t|, the memory horizon and the memory gate's mean.",
)
async def train(body: TrainRequest, settings: SettingsDep, slots: TrainingSlotsDep) -> Response:
    cfg = body.to_train_config()
    refuse_training_over_budget(cfg, settings.train_budget)
    slot = await _take_slot(slots, settings)
    if not body.stream:
        try:
            events = await anyio.to_thread.run_sync(_whole_run, cfg)
        finally:
            slot.release()
        return StrictJSONResponse({"events": events[:-1], "summary": events[-1]})
    return StreamingResponse(_lines(cfg, slot), media_type=STREAMED, headers={"Cache-Control": "no-store"})


class _Slot:
    """A training slot held for the run's lifetime, released exactly once."""

    def __init__(self, slots: SimulationSlots) -> None:
        self._slots = slots

    def release(self) -> None:
        if self._slots is not None:
            self._slots.release()
            self._slots = None


async def _take_slot(slots: SimulationSlots, settings: Settings) -> _Slot:
    try:
        await anyio.to_thread.run_sync(slots.acquire)
    except Saturated as exc:
        raise HTTPException(
            503, f"Busy: {exc}. Retry in {settings.retry_after_s} s.", {"Retry-After": str(settings.retry_after_s)}
        ) from exc
    return _Slot(slots)


def _whole_run(cfg: TrainConfig) -> list[dict]:
    return [event for event in train_ticks(cfg) if event is not None]


async def _lines(cfg: TrainConfig, slot: _Slot) -> AsyncIterator[bytes]:
    ticks = train_ticks(cfg)
    try:
        while (event := await anyio.to_thread.run_sync(_next, ticks)) is not _DONE:
            if event is not None:
                yield dumps(event) + b"\n"
    finally:
        # also on cancellation (the client hung up): the generator is not advanced again
        ticks.close()
        slot.release()


def _next(ticks: Iterator[dict | None]) -> object:
    return next(ticks, _DONE)
