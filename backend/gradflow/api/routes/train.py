"""POST /api/train: train a cell on a long-range task, streamed as NDJSON while it runs.

The engine is the core's generator (`gradflow.training`); the route reads: validate, refuse over the
training budget, lease a training slot, stream (api/streaming.py: the generator advances one training step at a
time in a worker thread, and a client that hangs up stops it at once). With `stream: false` the whole run is
one JSON answer.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from gradflow.api.budget import refuse_training_over_budget
from gradflow.api.deps import SettingsDep, TrainingSlotsDep
from gradflow.api.refusals import documented
from gradflow.api.responses import StrictJSONResponse
from gradflow.api.streaming import STREAMED, in_thread, lease, ndjson
from gradflow.models.train import TrainRequest, TrainResult
from gradflow.training import TrainConfig
from gradflow.training.loop import train_ticks
from gradflow.wire.typed import typed_arrays

router = APIRouter(tags=["train"])

RESPONSES: dict[int | str, dict] = {
    200: {
        "content": {STREAMED: {"schema": {"type": "string"}, "example": '{"type":"progress","step":1,...}\n'}},
        "description": "stream true: NDJSON, one progress object per reported step, then one summary. "
        "stream false: one JSON object {events, summary}.",
    },
    **documented("training", "the whole run"),
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
    held = await lease(slots, settings)
    if body.stream:
        return ndjson(lambda: (typed_arrays(e, body.arrays) for e in train_ticks(cfg)), held)
    events = await in_thread(held, _whole_run, cfg)
    return StrictJSONResponse(typed_arrays({"events": events[:-1], "summary": events[-1]}, body.arrays))


def _whole_run(cfg: TrainConfig) -> list[dict]:
    return [event for event in train_ticks(cfg) if event is not None]
