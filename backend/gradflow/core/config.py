"""The configuration of one simulation: every field of the public API, with its default.

The API's request model mirrors these names one to one (and adds the bounds); the core only needs the
values. `SimConfig` is frozen so a run cannot change the request it reports back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .params import Weights

Cell = Literal["rnn", "lstm", "gru"]
Activation = Literal["tanh", "relu", "linear"]
Init = Literal["orthogonal", "gaussian"]
InputKind = Literal["gaussian", "zeros", "sine"]
Loss = Literal["last", "all"]
ClipMode = Literal["none", "norm", "value"]
ClipScope = Literal["parameters", "bptt"]

GATES: dict[str, tuple[str, ...]] = {"rnn": ("h",), "lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}
"""Gate blocks of weight_ih / weight_hh, in PyTorch's row order."""
MEMORY_GATE: dict[str, tuple[str, str]] = {"lstm": ("f", "forget_gate_mean"), "gru": ("z", "update_gate_mean")}
"""The gate that carries memory in each gated cell, so each step back multiplies the carried gradient by it (the
lstm's forget gate f on dL/dc_t, the gru's update gate z on dL/dh_t), and the name its mean has in training
events and sweep points. The page reads it from GET /api/meta."""


@dataclass(frozen=True)
class SimConfig:
    """One request. Names and meanings: docs/api.md."""

    cell: Cell = "rnn"
    activation: Activation = "tanh"
    seq_len: int = 50
    hidden_size: int = 32
    input_size: int = 4
    init: Init = "orthogonal"
    recurrent_scale: float = 1.0
    forget_bias: float = 0.0
    input_kind: InputKind = "gaussian"
    inputs: tuple[tuple[float, ...], ...] | None = None
    batch_size: int = 1
    seed: int = 0
    loss: Loss = "last"
    clip_mode: ClipMode = "none"
    clip_threshold: float = 1.0
    clip_scope: ClipScope = "parameters"
    return_params: bool = False
    flow_steps: int = 32
    fields: tuple[str, ...] | None = field(default=None)
    num_layers: int = 1
    params: dict | Weights | None = field(default=None, compare=False, hash=False, repr=False)
    """Explicit weights: {name: array} (checked by core/weights.py), or `Weights` already checked; None = seeded
    from `seed`."""

    @property
    def num_gates(self) -> int:
        return len(GATES[self.cell])

    def to_dict(self) -> dict:
        """The request with every default filled in, as plain JSON-able values."""
        d = asdict(replace(self, params=None))  # the weights are not echoed: the answer's `weights` lists them
        if d["inputs"] is not None:
            d["inputs"] = [list(row) for row in d["inputs"]]
        if d["fields"] is not None:
            d["fields"] = list(d["fields"])
        return d
