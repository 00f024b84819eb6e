"""The configuration of one training run: every field of POST /api/train, with its default.

Names and meanings: docs/api.md ("POST /api/train"). The API's request model adds the bounds;
the engine only needs the values. Frozen, like SimConfig, so a run cannot change what it reports back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from gradflow.core.config import Activation, Cell, ClipMode, Init

from .tasks import TASKS

Task = Literal["adding", "recall"]
Optimizer = Literal["sgd", "adam"]


@dataclass(frozen=True)
class TrainConfig:
    """One training run. The input size follows from the task (adding 2, recall 9)."""

    cell: Cell = "lstm"
    activation: Activation = "tanh"
    task: Task = "adding"
    seq_len: int = 30
    hidden_size: int = 32
    batch_size: int = 32
    steps: int = 500
    learning_rate: float = 0.01
    optimizer: Optimizer = "adam"
    clip_mode: ClipMode = "none"
    clip_threshold: float = 1.0
    init: Init = "orthogonal"
    recurrent_scale: float = 1.0
    forget_bias: float = 0.0
    seed: int = 0
    report_every: int = 10
    stop_when_solved: bool = False
    return_weights: bool = False

    @property
    def input_size(self) -> int:
        return TASKS[self.task].input_size

    def to_dict(self) -> dict:
        return asdict(self)
