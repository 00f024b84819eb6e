"""The API's refusal of work over a compute budget, in words, for the three kinds of work. The cost model is
the core's (core/cost.py); this module only says what is over, by how much, and what would fit.

Every refusal is one 422 item of type `compute_budget` (api/refusals.py), raised before any work is done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gradflow.api.refusals import unprocessable
from gradflow.api.settings import Settings
from gradflow.core.config import SimConfig
from gradflow.core.cost import estimate_cost, largest_fitting, simulation_cost, sweep_cost, training_cost
from gradflow.sweeping import SweepSpec
from gradflow.training.config import TrainConfig

SHRINKABLE = (("batch_size", 1), ("seq_len", 1), ("hidden_size", 1), ("flow_steps", 0))
"""The fields a simulation's refusal suggests shrinking, with the least each may be."""
TRAIN_SHRINKABLE = (("steps", 1), ("batch_size", 1), ("seq_len", 2), ("hidden_size", 1))
"""Likewise for a training run."""


def _refuse(work: str, cost: float, budget: float, setting: str, fix: str, loc: str) -> None:
    """The one wording of every refusal: what the work needs, the budget and its setting, and how to fit."""
    raise unprocessable(
        f"This {work} needs about {cost:.3g} multiply-adds, over the {setting_name(setting)} of {budget:.3g} "
        f"(setting {setting}). To fit, use {fix}.",
        loc,
        type="compute_budget",
    )


def setting_name(setting: str) -> str:
    """The budget's name in words: GRADFLOW_TRAIN_BUDGET -> "training budget"."""
    return {
        "GRADFLOW_COMPUTE_BUDGET": "compute budget",
        "GRADFLOW_TRAIN_BUDGET": "training budget",
        "GRADFLOW_SWEEP_BUDGET": "sweep budget",
        "GRADFLOW_DASK_SWEEP_BUDGET": "sweep budget",
    }[setting]


def _hints(cfg: Any, shrinkable: tuple, budget: float, cost: Callable[[Any], float], otherwise: str) -> str:
    """The largest value of each knob that would fit, other fields unchanged, or `otherwise`."""
    hints = [
        f"{name} <= {best}"
        for name, lowest in shrinkable
        if (best := largest_fitting(cfg, name, lowest, budget, cost)) is not None
    ]
    return "; or ".join(hints) if hints else otherwise


def refuse_over_budget(cfg: SimConfig, budget: float, where: str) -> None:
    """A simulation: the 422 at `loc: [where]` when `cfg` would cost more than `budget`."""
    cost = estimate_cost(cfg)
    if cost.total <= budget:
        return
    _refuse(
        f"request ({cost.sequences:.3g} for {cfg.batch_size} sequence(s) of {cfg.seq_len} steps, {cost.flow:.3g} "
        "for the flow matrix)",
        cost.total,
        budget,
        "GRADFLOW_COMPUTE_BUDGET",
        _hints(
            cfg,
            SHRINKABLE,
            budget,
            simulation_cost,
            "a smaller batch_size, seq_len, hidden_size and flow_steps together",
        ),
        where,
    )


def refuse_training_over_budget(cfg: TrainConfig, budget: float) -> None:
    """A training run: the 422 when the whole run would cost more than `budget`."""
    cost = training_cost(cfg)
    if cost <= budget:
        return
    _refuse(
        f"training run ({cfg.steps} steps of {cfg.batch_size} sequence(s) of {cfg.seq_len} steps)",
        cost,
        budget,
        "GRADFLOW_TRAIN_BUDGET",
        _hints(
            cfg,
            TRAIN_SHRINKABLE,
            budget,
            training_cost,
            "fewer steps and a smaller batch_size, seq_len and hidden_size",
        ),
        "body",
    )


def refuse_sweep_over_budget(spec: SweepSpec, settings: Settings) -> None:
    """A sweep: the 422 when its simulations together cost more than the sweep budget (the Dask one when a
    cluster is set)."""
    dask = bool(settings.dask_scheduler)
    budget, setting = (
        (settings.dask_sweep_budget, "GRADFLOW_DASK_SWEEP_BUDGET")
        if dask
        else (settings.sweep_budget, "GRADFLOW_SWEEP_BUDGET")
    )
    configs = spec.configs()
    cost = sweep_cost(configs)
    if cost <= budget:
        return
    _refuse(
        f"sweep ({len(configs)} simulations: {spec.shape[1]} x {spec.shape[0]} points x {spec.seeds} seed(s))",
        cost,
        budget,
        setting,
        "fewer points or seeds, or smaller seq_len, hidden_size or batch_size in base"
        + ("" if dask else ", or a Dask cluster (GRADFLOW_DASK_SCHEDULER)"),
        "body",
    )
