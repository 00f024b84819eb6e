"""What a simulation will cost, estimated from its config before any work is done.

The core's work is dominated by matrix products, so the unit is one float64 multiply-add:

- per sequence and step, the forward pass multiplies the gate pre-activations, G*H x (H + I);
  backpropagation does that twice more (dL/dh_{t-1} and dL/dx_t, then the weight gradients), so
  `PASSES = 3`; clipping in the bptt scope runs an unclipped and a clipped sweep, twice the backward;
- the flow matrix backpropagates `flow_steps` loss positions together through every step: K x G*H x H.

This is a pure function of `SimConfig` (no web code), kept next to the API because only the API refuses work.
"""

from __future__ import annotations

import dataclasses

from gradflow.core.config import SimConfig

FORWARD_PASSES = 1
BACKWARD_PASSES = 2


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


def estimate_cost(cfg: SimConfig) -> Cost:
    """Multiply-adds `simulate(cfg)` needs, to within a small factor."""
    gates_x_hidden = cfg.num_gates * cfg.hidden_size
    step = gates_x_hidden * (cfg.hidden_size + cfg.input_size)
    backward = BACKWARD_PASSES * (2 if cfg.clip_mode != "none" and cfg.clip_scope == "bptt" else 1)
    sequences = float(cfg.batch_size * cfg.seq_len * step * (FORWARD_PASSES + backward))
    flow = float(cfg.flow_steps * cfg.seq_len * gates_x_hidden * cfg.hidden_size)
    return Cost(sequences=sequences, flow=flow)


def fits(cfg: SimConfig, budget: float) -> bool:
    return estimate_cost(cfg).total <= budget


def over_budget_message(cfg: SimConfig, budget: float) -> str:
    """Why `cfg` is refused and the largest value of each knob that would fit, other fields unchanged."""
    cost = estimate_cost(cfg)
    hints = [
        f"{name} <= {best}"
        for name, lowest in (("batch_size", 1), ("seq_len", 1), ("hidden_size", 1), ("flow_steps", 0))
        if (best := _largest_fitting(cfg, name, lowest, budget)) is not None
    ]
    suggestion = "; or ".join(hints) if hints else "a smaller batch_size, seq_len, hidden_size and flow_steps together"
    return (
        f"This request needs about {cost.total:.3g} multiply-adds ({cost.sequences:.3g} for {cfg.batch_size} "
        f"sequence(s) of {cfg.seq_len} steps, {cost.flow:.3g} for the flow matrix), over the compute budget "
        f"of {budget:.3g} (setting GRADFLOW_COMPUTE_BUDGET). To fit, use {suggestion}."
    )


def _largest_fitting(cfg: SimConfig, name: str, lowest: int, budget: float) -> int | None:
    """The largest value of field `name` below its current one that fits the budget (bisection; cost grows
    with each of these fields), or None when even `lowest` does not fit."""
    current = getattr(cfg, name)
    if current <= lowest or not fits(_with(cfg, name, lowest), budget):
        return None
    lo, hi = lowest, current  # fits(lo) and not fits(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(_with(cfg, name, mid), budget) else (lo, mid)
    return lo


def _with(cfg: SimConfig, name: str, value: int) -> SimConfig:
    # Explicit inputs fix seq_len; the estimate only needs the sizes, so drop them for the what-if.
    return dataclasses.replace(cfg, **{name: value}, inputs=None)

