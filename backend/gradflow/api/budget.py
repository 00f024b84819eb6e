"""The API's refusal of work over the compute budget, in words; the cost model is the core's (core/cost.py)."""

from __future__ import annotations

from gradflow.core.config import SimConfig
from gradflow.core.cost import estimate_cost, largest_fitting

SHRINKABLE = (("batch_size", 1), ("seq_len", 1), ("hidden_size", 1), ("flow_steps", 0))
"""The fields a refusal suggests shrinking, with the least each may be."""


def over_budget_message(cfg: SimConfig, budget: float) -> str:
    """Why `cfg` is refused and the largest value of each knob that would fit, other fields unchanged."""
    cost = estimate_cost(cfg)
    hints = [
        f"{name} <= {best}"
        for name, lowest in SHRINKABLE
        if (best := largest_fitting(cfg, name, lowest, budget)) is not None
    ]
    suggestion = "; or ".join(hints) if hints else "a smaller batch_size, seq_len, hidden_size and flow_steps together"
    return (
        f"This request needs about {cost.total:.3g} multiply-adds ({cost.sequences:.3g} for {cfg.batch_size} "
        f"sequence(s) of {cfg.seq_len} steps, {cost.flow:.3g} for the flow matrix), over the compute budget "
        f"of {budget:.3g} (setting GRADFLOW_COMPUTE_BUDGET). To fit, use {suggestion}."
    )
