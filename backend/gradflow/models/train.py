"""The request of a training run (POST /api/train): the one definition, shared by the API, the library and
the CLI. Defaults are `TrainConfig`'s; bounds and descriptions are here. Names and meanings:
docs/api.md ("POST /api/train").
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from gradflow.core.config import Activation, Cell, ClipMode, Init
from gradflow.training.config import Optimizer, Task, TrainConfig
from gradflow.training.tasks import TASKS
from gradflow.wire.typed import DESCRIPTION as ARRAYS_DESCRIPTION
from gradflow.wire.typed import ArraysForm

from .bounds import (
    MAX_CLIP_THRESHOLD,
    MAX_FORGET_BIAS_ABS,
    MAX_HIDDEN_SIZE,
    MAX_LEARNING_RATE,
    MAX_RECURRENT_SCALE,
    MAX_SEED,
    MAX_SEQ_LEN,
    MAX_TRAIN_BATCH_SIZE,
    MAX_TRAIN_STEPS,
)
from .strict import json_bool, json_number
from .typed import TypedArray

_DEFAULT = {f.name: f.default for f in dataclasses.fields(TrainConfig)}


class TrainRequest(BaseModel):
    """POST /api/train: train a cell and its readout on a long-range task, streaming progress."""

    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={"examples": [{"cell": "lstm", "task": "adding", "seq_len": 30, "forget_bias": 1.0}]},
    )

    cell: Cell = Field(_DEFAULT["cell"], description="Recurrent cell, PyTorch's equations.")
    activation: Activation = Field(_DEFAULT["activation"], description="rnn only: the nonlinearity.")
    task: Task = Field(
        _DEFAULT["task"],
        description="'adding': sum the two marked values (MSE, baseline 1/6); 'recall': name the symbol seen at "
        "step 1 at step T (cross-entropy, baseline ln 8, chance accuracy 1/8).",
    )
    seq_len: int = Field(_DEFAULT["seq_len"], ge=1, le=MAX_SEQ_LEN, description="T: time steps (adding: at least 2).")
    hidden_size: int = Field(_DEFAULT["hidden_size"], ge=1, le=MAX_HIDDEN_SIZE, description="H: hidden units.")
    batch_size: int = Field(
        _DEFAULT["batch_size"], ge=1, le=MAX_TRAIN_BATCH_SIZE, description="Sequences per step, drawn fresh each step."
    )
    steps: int = Field(_DEFAULT["steps"], ge=1, le=MAX_TRAIN_STEPS, description="Optimiser steps.")
    learning_rate: float = Field(_DEFAULT["learning_rate"], gt=0, le=MAX_LEARNING_RATE, description="lr.")
    optimizer: Optimizer = Field(
        _DEFAULT["optimizer"], description="'sgd' (torch.optim.SGD) or 'adam' (torch.optim.Adam, default betas)."
    )
    clip_mode: ClipMode = Field(
        _DEFAULT["clip_mode"],
        description="Clip the parameter gradients before each update: torch clip_grad_norm_ ('norm', global over "
        "every parameter, readout included) or clip_grad_value_ ('value').",
    )
    clip_threshold: float = Field(
        _DEFAULT["clip_threshold"], gt=0, le=MAX_CLIP_THRESHOLD, description="max_norm (norm) or clip value (value)."
    )
    init: Init = Field(
        _DEFAULT["init"], description="W_hh (each gate block) = s*Q with Q orthogonal, or s*N(0,1)/sqrt(H)."
    )
    recurrent_scale: float = Field(
        _DEFAULT["recurrent_scale"], gt=0, le=MAX_RECURRENT_SCALE, description="s: the scale of W_hh at the start."
    )
    forget_bias: float = Field(
        _DEFAULT["forget_bias"],
        ge=-MAX_FORGET_BIAS_ABS,
        le=MAX_FORGET_BIAS_ABS,
        description="lstm: added to the forget-gate bias at the start (1 is a common choice; 0 is PyTorch's).",
    )
    seed: int = Field(
        _DEFAULT["seed"], ge=0, le=MAX_SEED, description="Seeds the weights and every batch: same request, same run."
    )
    report_every: int = Field(
        _DEFAULT["report_every"],
        ge=1,
        le=MAX_TRAIN_STEPS,
        description="A progress event every this many steps (and at step 1 and the last step).",
    )
    stop_when_solved: bool = Field(
        _DEFAULT["stop_when_solved"],
        description="End the run at the first step whose loss is under a tenth of the baseline.",
    )
    return_weights: bool = Field(
        False,
        description="Add the trained network to the summary as `weights`: the cell's arrays under PyTorch's "
        "state_dict names (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0), which /api/simulate takes as "
        "`params`, and the readout's (readout_weight, readout_bias).",
    )
    stream: bool = Field(
        True, description="true: NDJSON, one event a line as training runs; false: one JSON {events, summary}."
    )
    arrays: ArraysForm = Field("json", description=ARRAYS_DESCRIPTION)

    @field_validator(
        "seq_len",
        "hidden_size",
        "batch_size",
        "steps",
        "learning_rate",
        "clip_threshold",
        "recurrent_scale",
        "forget_bias",
        "seed",
        "report_every",
        mode="before",
    )
    @classmethod
    def _json_numbers_only(cls, value: Any) -> Any:
        return json_number(value)

    @field_validator("stream", "stop_when_solved", "return_weights", mode="before")
    @classmethod
    def _json_bool_only(cls, value: Any) -> Any:
        return json_bool(value)

    @field_validator("seq_len")
    @classmethod
    def _long_enough_for_the_task(cls, seq_len: int, info: ValidationInfo) -> int:
        task = info.data.get("task")
        least = TASKS[task].min_seq_len if task in TASKS else 1
        if seq_len < least:
            raise ValueError(
                f"seq_len {seq_len} is too short for the {task} task, which needs at least {least} "
                "steps (one marker in each half)"
            )
        return seq_len

    def to_train_config(self) -> TrainConfig:
        return TrainConfig(**self.model_dump(exclude={"stream", "arrays"}))


Number = float | None
"""A float64; `null` where it is not finite, and the event's `warnings` says so."""


class TrainProgress(BaseModel):
    """One reported step (stream: one NDJSON line)."""

    type: Literal["progress"] = "progress"
    step: int = Field(description="1-based optimiser step.")
    loss: Number = Field(None, description="The batch loss of this step (MSE, or cross-entropy for recall).")
    metric: Number = Field(None, description="adding: the MSE; recall: the batch accuracy.")
    grad_norm: Number = Field(None, description="Global 2-norm of every parameter gradient before clipping.")
    grad_norm_log10: Number = Field(None, description="log10 of grad_norm, exact even beyond float64's range.")
    clipped_grad_norm: Number = Field(None, description="The same norm after clipping (what the update used).")
    clipped: bool = Field(description="Whether clipping changed the gradients at this step.")
    grad_h_log10_norm: list[Number] | TypedArray | None = Field(
        None, description="T numbers: log10 |dL/dh_t| of this step's batch loss, t = 1..T, exact past float64."
    )
    memory_horizon: int | None = Field(
        None,
        description="Steps back from T while |dL/dh_t| stays above 1e-3 of its value at T; null = beyond the "
        "sequence (the gradient never fell that far), or the step diverged.",
    )
    forget_gate_mean: Number = Field(None, description="lstm: mean of f over units, steps and batch.")
    update_gate_mean: Number = Field(None, description="gru: mean of z over units, steps and batch.")
    elapsed_ms: Number = Field(None, description="Since the run started.")
    warnings: list[str] = Field(default_factory=list)


class TrainSummary(BaseModel):
    """The last event of a run."""

    type: Literal["summary"] = "summary"
    final_loss: Number = None
    best_loss: Number = None
    baseline_loss: float = Field(description="The loss of the best input-blind answer: adding 1/6, recall ln 8.")
    solved: bool = Field(description="Whether some step's loss fell under a tenth of the baseline.")
    solved_at: int | None = None
    diverged: bool = Field(description="Whether a step's loss or gradient left float64, which ends the run.")
    diverged_at: int | None = None
    steps_done: int
    elapsed_ms: Number = None
    config: dict[str, Any] = Field(description="The request with every default filled in (without `stream`).")
    warnings: list[str] = Field(default_factory=list)
    weights: dict[str, Any] | None = Field(
        None, description="return_weights only: the trained network, {PyTorch name: array}, plus the readout's."
    )


class TrainResult(BaseModel):
    """stream false: the whole run in one answer."""

    events: list[TrainProgress]
    summary: TrainSummary
