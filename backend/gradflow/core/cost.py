"""What a run costs, estimated from its config before any work is done: the one cost model.

The core's work is dominated by matrix products, so the unit is one float64 multiply-add:

- per sequence and step, the forward pass multiplies the gate pre-activations, G*H x (H + I);
  backpropagation does that twice more (dL/dh_{t-1} and dL/dx_t, then the weight gradients), so
  `BACKWARD_PASSES = 2`; clipping in the bptt scope runs an unclipped and a clipped sweep, twice the backward
  (`clipping.sweeps_needed`);
- the flow matrix backpropagates `flow_steps` loss positions together through every step: K x G*H x H.

Pure functions of the configs (no web code), for the three kinds of work: a simulation (`estimate_cost`), a
training run (`training_cost`) and a sweep (`sweep_cost`). The API only words the refusals (gradflow.api.budget).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from .clipping import sweeps_needed
from .config import GATES, SimConfig

FORWARD_PASSES = 1
BACKWARD_PASSES = 2
STEP_OVERHEAD = 5e4
"""Multiply-adds' worth of fixed work per time step and pass, whatever the batch and sizes: the dozen NumPy
calls of a step cost 10-40 us before any arithmetic (at about 2e9 multiply-adds a second). Without it a tiny
network over many steps (hidden_size 1, seq_len 133, 500 training steps) looked free and ran for seconds."""


@dataclasses.dataclass(frozen=True)
class Cost:
    """Estimated multiply-adds of one simulation, split by where they go."""

    sequences: float
    """batch_size x seq_len x (forward + backward) of the cell."""
    flow: float
    """The flow matrix: flow_steps backward sweeps of one sequence."""

    @property
    def total(self) -> float:
        return self.sequences + self.flow


def sequences_cost(
    cell: str, hidden_size: int, input_size: int, seq_len: int, sequences: int, sweeps: int = 1
) -> float:
    """Multiply-adds of a forward pass and `sweeps` backward sweeps (with parameter gradients) over
    `sequences` sequences: sequences x T x G*H x (H + I) x (1 + 2 * sweeps), plus the steps' fixed overhead."""
    step = len(GATES[cell]) * hidden_size * (hidden_size + input_size)
    passes = FORWARD_PASSES + BACKWARD_PASSES * sweeps
    return float(sequences) * seq_len * step * passes + seq_len * STEP_OVERHEAD * passes


def estimate_cost(cfg: SimConfig) -> Cost:
    """Multiply-adds `simulate(cfg)` needs, to within a small factor. A stacked layer above the first reads
    H inputs instead of I; the flow matrix is the top layer's, and costs nothing when `fields` leaves it out."""
    sweeps = sweeps_needed(cfg.clip_mode, cfg.clip_scope)
    sequences = sum(
        sequences_cost(
            cfg.cell,
            cfg.hidden_size,
            cfg.input_size if layer == 0 else cfg.hidden_size,
            cfg.seq_len,
            cfg.batch_size,
            sweeps,
        )
        for layer in range(cfg.num_layers)
    )
    # simulate computes the flow matrix only for an answer that holds it (`fields`)
    steps = cfg.flow_steps if cfg.fields is None or "flow" in cfg.fields else 0
    flow = float(steps * cfg.seq_len * cfg.num_gates * cfg.hidden_size * cfg.hidden_size)
    flow += cfg.seq_len * STEP_OVERHEAD if steps else 0.0
    return Cost(sequences=sequences, flow=flow)


def training_cost(cfg: Any) -> float:
    """Multiply-adds of a whole training run (a `training.TrainConfig`: cell, hidden_size, input_size, seq_len,
    batch_size, steps): one forward and one backward sweep of the batch per step (the readout and the
    optimiser add O(H) per sequence, nothing next to the cell's G*H*(H+I) per step)."""
    return float(cfg.steps) * sequences_cost(cfg.cell, cfg.hidden_size, cfg.input_size, cfg.seq_len, cfg.batch_size)


def sweep_cost(configs: Iterable[SimConfig]) -> float:
    """Multiply-adds of a sweep: the sum of its simulations' (`sweeps.SweepSpec.configs()`)."""
    return sum(simulation_cost(cfg) for cfg in configs)


def simulation_cost(cfg: SimConfig) -> float:
    return estimate_cost(cfg).total


def fits(cfg: SimConfig, budget: float) -> bool:
    return simulation_cost(cfg) <= budget


def largest_fitting(
    cfg: Any, name: str, lowest: int, budget: float, cost: Callable[[Any], float] = simulation_cost
) -> int | None:
    """The largest value of the integer field `name` of the dataclass `cfg`, below its current one, at which
    `cost` fits the budget (bisection: cost grows with each field it is asked about), or None when even
    `lowest` does not fit."""
    current = getattr(cfg, name)
    if current <= lowest or cost(_with(cfg, name, lowest)) > budget:
        return None
    lo, hi = lowest, current  # fits at lo, not at hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if cost(_with(cfg, name, mid)) <= budget else (lo, mid)
    return lo


def _with(cfg: Any, name: str, value: int) -> Any:
    # Explicit inputs fix seq_len; the estimate only needs the sizes, so drop them for the what-if.
    extra = {"inputs": None} if getattr(cfg, "inputs", None) is not None else {}
    return dataclasses.replace(cfg, **{name: value}, **extra)
