"""The API's refusal of work over the compute budget, in words; the cost model is the core's (core/cost.py)."""

from __future__ import annotations

from fastapi import HTTPException

from gradflow.core.config import SimConfig
from gradflow.core.cost import estimate_cost, fits, largest_fitting
from gradflow.training.config import TrainConfig, training_cost_of

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


def refuse_over_budget(cfg: SimConfig, budget: float, where: str) -> None:
    """Raises the 422 of type `compute_budget` (at `loc: [where]`) when `cfg` would cost more than `budget`,
    before any work is done."""
    if not fits(cfg, budget):
        raise HTTPException(422, [{"type": "compute_budget", "loc": [where], "msg": over_budget_message(cfg, budget)}])


TRAIN_SHRINKABLE = (("steps", 1), ("batch_size", 1), ("seq_len", 2), ("hidden_size", 1))


def refuse_training_over_budget(cfg: TrainConfig, budget: float) -> None:
    """The 422 of type `compute_budget` when the whole training run would cost more than `budget`."""
    cost = training_cost_of(cfg)
    if cost <= budget:
        return
    hints = [
        f"{name} <= {best}"
        for name, lowest in TRAIN_SHRINKABLE
        if (best := largest_fitting(cfg, name, lowest, budget, training_cost_of)) is not None
    ]
    suggestion = "; or ".join(hints) if hints else "fewer steps and a smaller batch_size, seq_len and hidden_size"
    msg = (
        f"This training run needs about {cost:.3g} multiply-adds ({cfg.steps} steps of {cfg.batch_size} "
        f"sequence(s) of {cfg.seq_len} steps), over the training budget of {budget:.3g} (setting "
        f"GRADFLOW_TRAIN_BUDGET). To fit, use {suggestion}."
    )
    raise HTTPException(422, [{"type": "compute_budget", "loc": ["body"], "msg": msg}])
