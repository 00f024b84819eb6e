"""GET /api/meta: the facts the page and the Python side share, stated once in Python and read by the page
(never copied into its JavaScript): the gates of each cell and the one that carries memory, the training tasks'
baselines, the sweep's metrics, and the look of every chart (gradflow/theme/theme.json)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from gradflow.core.config import GATES, MEMORY_GATE
from gradflow.networks import catalogue
from gradflow.sweeping.points import CRITICAL_METRIC, METRICS
from gradflow.theme import theme
from gradflow.training.tasks import SOLVED_FRACTION, TASKS


class CellMeta(BaseModel):
    gates: list[str] = Field(description="Gate blocks in PyTorch's row order; empty for a plain rnn.")
    memory_gate: str | None = Field(description="The gate that carries memory (lstm f, gru z); null for rnn.")
    memory_gate_mean: str | None = Field(
        description="The name of that gate's mean in training events and sweep points."
    )


class TaskMeta(BaseModel):
    input_size: int
    baseline: float = Field(description="The loss of the best answer that ignores the inputs.")
    metric: str = Field(description="What a progress event's `metric` is: mse or accuracy.")
    solved_below: float = Field(description="A run is solved once its loss is under this (solved_fraction x baseline).")


class SweepMetricMeta(BaseModel):
    name: str
    label: str
    cell: str | None = Field(description="The only cell that has this metric, or null for every cell.")


class NetworkExample(BaseModel):
    name: str
    description: str
    cell: str
    task: str
    hidden_size: int
    input_size: int
    num_layers: int
    seq_len: int = Field(description="The task's sequence length it was trained at: the views use it.")
    solved: bool
    solved_at: int | None
    url: str = Field(description="Where its weights are (.safetensors), relative to the page.")


class Meta(BaseModel):
    version: str
    cells: dict[str, CellMeta]
    tasks: dict[str, TaskMeta]
    solved_fraction: float
    sweep_metrics: list[SweepMetricMeta]
    critical_metric: str = Field(description="The sweep metric whose zero is the critical line.")
    theme: dict[str, Any] = Field(description="Colours, colour scales, gate labels, view titles and axis labels.")
    examples: list[NetworkExample] = Field(description="Trained networks shipped with the app (gradflow/networks).")


def meta(version: str) -> Meta:
    """The one answer of GET /api/meta (it changes only with the app's version)."""
    gate_of_mean = {name: cell for cell, (_, name) in MEMORY_GATE.items()}
    return Meta(
        version=version,
        cells={
            cell: CellMeta(
                gates=list(gates) if cell in MEMORY_GATE else [],
                memory_gate=MEMORY_GATE.get(cell, (None, None))[0],
                memory_gate_mean=MEMORY_GATE.get(cell, (None, None))[1],
            )
            for cell, gates in GATES.items()
        },
        tasks={
            name: TaskMeta(
                input_size=task.input_size,
                baseline=task.baseline,
                metric=task.metric_name,
                solved_below=SOLVED_FRACTION * task.baseline,
            )
            for name, task in TASKS.items()
        },
        solved_fraction=SOLVED_FRACTION,
        sweep_metrics=[
            SweepMetricMeta(name=m, label=theme()["sweep_metric_labels"][m], cell=gate_of_mean.get(m)) for m in METRICS
        ],
        critical_metric=CRITICAL_METRIC,
        theme=theme(),
        examples=[
            NetworkExample(
                **{k: e[k] for k in NetworkExample.model_fields if k != "url"}, url=f"api/networks/{e['file']}"
            )
            for e in catalogue()
        ],
    )
