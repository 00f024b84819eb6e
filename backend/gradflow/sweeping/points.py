"""The pure part of a sweep: which configurations, and the metrics of one of them.

A sweep is `base` (any /api/simulate fields) with the field of axis x (and optionally y) set to each of the
axis's values, run for `seeds` seeds (base.seed, base.seed + 1, ...). Each (ix, iy, seed) is one job whose
metrics are read off the core's own `simulate` answer for that configuration, so every point equals what
/api/simulate answers:
- log10_grad_first: log10 |dL/dh_1| (grad_h_log10_norm at t = 1), exact past float64;
- memory_horizon: as /api/simulate (None = beyond the sequence; the grid's mean counts it as seq_len);
- spectral_radius, max_singular_value: of W_hh (the top layer's);
- forget_gate_mean (lstm) or update_gate_mean (gru): the gate's mean over units, steps and batch.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from gradflow.core.config import MEMORY_GATE, SimConfig
from gradflow.core.cost import simulation_cost
from gradflow.core.nulls import null_warnings
from gradflow.core.simulate import simulate
from gradflow.core.theory import MEAN_FIELD, critical_scale, input_variance

METRICS = (
    "log10_grad_first",
    "memory_horizon",
    "spectral_radius",
    "max_singular_value",
    "forget_gate_mean",
    "update_gate_mean",
)
CRITICAL_METRIC = "log10_grad_first"
"""The metric whose zero is the critical line: no net growth or decay of the gradient from h_T back to h_1."""
NEEDED = ("grad_h_log10_norm", "memory_horizon", "spectrum", "gate_means")


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep: the base config, the axes' fields and values (y may be absent), the seed count."""

    base: SimConfig
    x_field: str
    x_values: tuple
    y_field: str | None
    y_values: tuple
    seeds: int

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.y_values) if self.y_field else 1, len(self.x_values))

    def configs(self) -> list[SimConfig]:
        """Every simulation the sweep runs (what `core.cost.sweep_cost` costs)."""
        return [job.cfg for job in point_jobs(self)]


@dataclass(frozen=True)
class Job:
    ix: int
    iy: int
    seed: int
    cfg: SimConfig


def point_jobs(spec: SweepSpec) -> list[Job]:
    """Every (ix, iy, seed) with its configuration; only what the metrics need is computed."""
    jobs = []
    for iy, y in enumerate(spec.y_values if spec.y_field else [None]):
        for ix, x in enumerate(spec.x_values):
            for k in range(spec.seeds):
                changes = {spec.x_field: x, "seed": spec.base.seed + k, "fields": NEEDED, "return_params": False}
                if spec.y_field:
                    changes[spec.y_field] = y
                jobs.append(Job(ix, iy, spec.base.seed + k, dataclasses.replace(spec.base, **changes)))
    return jobs


def point_cost(job: Job) -> float:
    """Multiply-adds of what one point computes: its simulation, whose `fields` (NEEDED) leave out the flow
    matrix, which no metric reads; the cost model then leaves it out too (it would be 74 % of the estimate for
    an lstm, T = 200, H = 64)."""
    return simulation_cost(job.cfg)


def metrics_of(job: Job) -> dict[str, Any]:
    """One point: {"type": "point", "ix", "iy", "seed", ...metrics}. Pure: runs anywhere the core imports."""
    answer = simulate(job.cfg)
    point: dict[str, Any] = {
        "type": "point",
        "ix": job.ix,
        "iy": job.iy,
        "seed": job.seed,
        "log10_grad_first": float(answer["grad_h_log10_norm"][0]),
        "memory_horizon": answer["memory_horizon"],
        "spectral_radius": answer["spectrum"]["spectral_radius"],
        "max_singular_value": answer["spectrum"]["max_singular_value"],
    }
    if job.cfg.cell in MEMORY_GATE:
        gate, name = MEMORY_GATE[job.cfg.cell]
        point[name] = answer["gate_means"][gate]
    return point


def summary(spec: SweepSpec, points: list[dict[str, Any]], elapsed_ms: float, executor: str) -> dict[str, Any]:
    """The grid of every metric as the mean over seeds (rows = y, columns = x), and the axes."""
    grid = {}
    for metric in METRICS:
        if not any(metric in p for p in points):
            continue
        sums, counts = np.zeros(spec.shape), np.zeros(spec.shape)
        for p in points:
            value = p.get(metric)
            if metric == "memory_horizon" and value is None:  # beyond the sequence: at least seq_len steps
                value = _axis_value(spec, p, "seq_len")
            if value is not None and np.isfinite(value):
                sums[p["iy"], p["ix"]] += value
                counts[p["iy"], p["ix"]] += 1
        with np.errstate(invalid="ignore", divide="ignore"):
            grid[metric] = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    out = {
        "type": "summary",
        "x": {"field": spec.x_field, "values": list(spec.x_values)},
        "y": {"field": spec.y_field, "values": list(spec.y_values)} if spec.y_field else None,
        "seeds": spec.seeds,
        "grid": grid,
        "points": len(points),
        "elapsed_ms": elapsed_ms,
        "executor": executor,
    }
    critical = critical_line(spec)
    if critical is not None:
        out["theory"] = critical
    out["warnings"] = null_warnings(out)
    return out


def critical_line(spec: SweepSpec) -> dict[str, Any] | None:
    """Where the mean field puts the edge of chaos (core/theory.py): for an rnn swept over recurrent_scale, s* at
    each y value (one value without y): {"formula", "statement", "critical_scale": [...]}. None otherwise."""
    if spec.x_field != "recurrent_scale" or spec.base.cell != "rnn":
        return None
    rows = spec.y_values if spec.y_field else [None]
    scales = []
    for y in rows:
        cfg = dataclasses.replace(spec.base, **({spec.y_field: y} if spec.y_field else {}))
        scales.append(critical_scale(input_variance(cfg), cfg.activation))
    return {
        "formula": MEAN_FIELD["formula"],
        "statement": "the mean field's edge of chaos: chi(s*) = 1, s* for each y (or the one value without y)",
        "source": MEAN_FIELD["source"],
        "critical_scale": scales,
    }


def _axis_value(spec: SweepSpec, point: dict[str, Any], name: str) -> float:
    """The value of field `name` at a point: its axis value, or the base's."""
    if spec.x_field == name:
        return spec.x_values[point["ix"]]
    if spec.y_field == name:
        return spec.y_values[point["iy"]]
    return getattr(spec.base, name)
