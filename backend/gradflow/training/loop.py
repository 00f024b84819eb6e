"""The training loop: a generator of events that the API streams and the library and CLI reuse.

A network is the cell (PyTorch's layout, seeded exactly as a simulation of the same cell, init, sizes and
seed) plus a linear readout y = W_out h_T + b_out, initialised as torch.nn.Linear (U(-1/sqrt(H), 1/sqrt(H))).
Each step draws a fresh batch from the task, runs the cell forward, backpropagates the batch-mean loss
through the readout and through time (the same exact BPTT as a simulation, seeded with each sequence's own
dloss/dh_T), clips the parameter gradients with the simulation's clipping functions (torch semantics,
global norm over every parameter, readout included) and takes one optimiser step.

A step whose loss or applied gradient is not finite ends the run as diverged; nothing is updated with it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from gradflow.core.bptt import Deltas, ScaledGrads, param_grads, seeds_for_loss, sweep
from gradflow.core.cells import forward
from gradflow.core.clipping import clip_and_report, clip_parameters
from gradflow.core.config import MEMORY_GATE, SimConfig
from gradflow.core.diagnostics import memory_horizon
from gradflow.core.init import make_params, stream
from gradflow.core.logscale import log10_hypot, log10_norm, to_float
from gradflow.core.nulls import null_warnings
from gradflow.core.params import Params
from gradflow.core.workspace import Workspace

from .config import TrainConfig
from .optim import make_optimizer
from .tasks import SOLVED_FRACTION, TASKS, Batch

"""The gate that carries memory, and the progress field of its mean (over units, steps and batch)."""


def init_network(cfg: TrainConfig) -> dict[str, np.ndarray]:
    """The cell's weights (PyTorch's names) and the readout's, all from cfg.seed."""
    task = TASKS[cfg.task]
    sim = SimConfig(
        cell=cfg.cell,
        hidden_size=cfg.hidden_size,
        input_size=task.input_size,
        init=cfg.init,
        recurrent_scale=cfg.recurrent_scale,
        forget_bias=cfg.forget_bias,
        seed=cfg.seed,
    )
    weights = make_params(sim, stream(cfg.seed, "weights")).as_dict()
    k = 1.0 / np.sqrt(cfg.hidden_size)
    rng = stream(cfg.seed, "readout")
    weights["readout_weight"] = rng.uniform(-k, k, size=(task.output_size, cfg.hidden_size))
    weights["readout_bias"] = rng.uniform(-k, k, size=task.output_size)
    return weights


@dataclass
class StepResult:
    """One step's forward and backward: the batch-mean loss, the metric, the parameter gradients (exact
    at any magnitude), log10 |dL/dh_t| over the batch (T,) and the memory gate's mean (None for rnn).

    A step asked for no profile leaves grad_h_log10_norm None and keeps the sweep's `deltas` to compute it from
    (`grad_h_profile`), valid until the workspace's next use."""

    loss: float
    metric: float
    grads: ScaledGrads | None
    grad_h_log10_norm: np.ndarray | None
    gate_mean: float | None
    deltas: Deltas | None = None


def step_gradients(
    cfg: TrainConfig, weights: dict[str, np.ndarray], batch: Batch, ws: Workspace | None = None, profile: bool = True
) -> StepResult:
    """Forward, loss and exact backward of one batch; grads is None when the loss is not finite. With a
    workspace the forward and backward reuse its arrays (the result's gradients and profile are its own).
    profile=False leaves the gradient-flow profile for later (see StepResult)."""
    task = TASKS[cfg.task]
    params = Params(*(weights[name] for name in Params.NAMES))
    tr = forward(cfg.cell, cfg.activation, params, batch.x, ws=ws)
    h_last = to_float(tr.h[-1], tr.h_exp[-1])  # (N, H); NaN where an rnn's state left float64
    w_out = weights["readout_weight"]
    scored = task.score(h_last @ w_out.T + weights["readout_bias"], batch.target)
    gate = MEMORY_GATE.get(cfg.cell)
    gate_mean = float(np.mean(tr.gates[gate[0]])) if gate else None
    if not np.isfinite(scored.loss):
        return StepResult(scored.loss, scored.metric, None, None, gate_mean)
    n = len(batch.target)
    # backprop into h_T through the readout, one seed row per sequence, then through time
    d = sweep(tr, params.weight_hh, scored.dy @ w_out, seeds_for_loss("last", cfg.seq_len, n), ws=ws)
    cell_grads, _ = param_grads(tr, params, d, ws, grad_x=False)
    m = {**cell_grads.m, "readout_weight": scored.dy.T @ h_last / n, "readout_bias": scored.dy.sum(axis=0) / n}
    exp = {**cell_grads.exp, "readout_weight": 0, "readout_bias": 0}
    result = StepResult(scored.loss, scored.metric, ScaledGrads(m, exp), None, gate_mean, d)
    if profile:
        result.grad_h_log10_norm = grad_h_profile(d, ws)
    return result


def grad_h_profile(d: Deltas, ws: Workspace | None = None) -> np.ndarray:
    """log10 |dL/dh_t| (T,) of the batch-mean loss: the 2-norm over sequences and units, over N."""
    squares = None if ws is None else ws.array("loop.squares", d.dh.shape)
    return log10_hypot(log10_norm(d.dh, d.exp, squares), axis=1) - np.log10(d.dh.shape[1])


def train(cfg: TrainConfig) -> Iterator[dict]:
    """Progress events every `report_every` steps (and at steps 1 and the last), then one summary."""
    return (event for event in train_ticks(cfg) if event is not None)


def train_ticks(cfg: TrainConfig) -> Iterator[dict | None]:
    """`train`, yielding None after every step that reports nothing, so a host can stop between any two
    steps (the API does, when its client hangs up)."""
    start = time.perf_counter()
    task = TASKS[cfg.task]
    if cfg.seq_len < task.min_seq_len:
        raise ValueError(f"the {task.name} task needs seq_len >= {task.min_seq_len} (got {cfg.seq_len})")
    weights = init_network(cfg)
    optimizer = make_optimizer(cfg.optimizer, cfg.learning_rate)
    rng = stream(cfg.seed, "task")
    record = _Record(task.baseline)
    ws = Workspace()  # every step has the same shapes: its large arrays are made once
    for step in range(1, cfg.steps + 1):
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is reported, not warned about
            batch = task.batch(rng, cfg.batch_size, cfg.seq_len)
            result = step_gradients(cfg, weights, batch, ws, profile=False)
            applied = _applied(cfg, result)
            record.add(step, result.loss, diverged=applied is None)
            last = record.diverged_at is not None or step == cfg.steps or (cfg.stop_when_solved and record.solved_at)
            # the event (clipping report, gradient-flow profile, memory horizon) only for a step that is reported
            event = _progress(cfg, step, result, ws) if step == 1 or step % cfg.report_every == 0 or last else None
        if event is not None:
            event["elapsed_ms"] = (time.perf_counter() - start) * 1e3
        if applied is not None:
            optimizer.step(weights, applied)
        yield event
        if last:
            break
    summary = record.summary(cfg, (time.perf_counter() - start) * 1e3)
    if cfg.return_weights:
        summary["weights"] = trained_weights(weights)
    yield summary


def trained_weights(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The network as it ended: the cell's arrays under torch.nn.RNN/LSTM/GRU's state_dict names (weight_ih_l0,
    ...; /api/simulate takes them as `params`) and the readout's (readout_weight, readout_bias)."""
    return {name if name.startswith("readout") else f"{name}_l0": value.copy() for name, value in weights.items()}


def _applied(cfg: TrainConfig, result: StepResult) -> dict[str, np.ndarray] | None:
    """The gradients the optimiser applies, clipped as configured (clip_and_report's `after`, bit for bit), or
    None: the step diverged (its loss is not finite, or a gradient to apply is beyond float64)."""
    if result.grads is None:
        return None
    after = clip_parameters(cfg.clip_mode, cfg.clip_threshold, result.grads)
    return after if all(np.isfinite(g).all() for g in after.values()) else None


def _progress(cfg: TrainConfig, step: int, result: StepResult, ws: Workspace | None = None) -> dict:
    """The step's progress event (its profile computed now if the step left it for later)."""
    if result.grads is not None and result.grad_h_log10_norm is None:
        result.grad_h_log10_norm = grad_h_profile(result.deltas, ws)
    event = {"type": "progress", "step": step, "loss": result.loss, "metric": result.metric}
    if cfg.cell in MEMORY_GATE:
        event[MEMORY_GATE[cfg.cell][1]] = result.gate_mean
    if result.grads is None:
        nulls = ("loss", "grad_norm", "grad_norm_log10", "clipped_grad_norm", "grad_h_log10_norm", "memory_horizon")
        event.update(
            dict.fromkeys(nulls[1:]),
            clipped=False,
            loss=None,
            warnings=[
                f"step {step} diverged: its loss is not finite, so no gradient was computed and "
                f"{', '.join(nulls)} are null"
            ],
        )
        return event
    clip = clip_and_report(
        cfg.clip_mode, "parameters", cfg.clip_threshold, result.grads, result.grads, np.zeros(cfg.seq_len, dtype=bool)
    )
    report = clip.report
    event.update(
        grad_norm=report["total_norm"],
        grad_norm_log10=report["total_norm_log10"],
        clipped_grad_norm=report["clipped_total_norm"],
        clipped=_clipped(cfg, report, clip.before),
        grad_h_log10_norm=result.grad_h_log10_norm,
        memory_horizon=memory_horizon(result.grad_h_log10_norm),
    )
    event["warnings"] = null_warnings(event)
    if not all(np.isfinite(g).all() for g in clip.after.values()):
        event["warnings"].append(
            f"step {step} diverged: the gradient to apply is beyond float64's range "
            f"(global norm 10^{report['total_norm_log10']:.1f}); nothing was updated"
        )
    return event


def _clipped(cfg: TrainConfig, report: dict, before: dict[str, np.ndarray]) -> bool:
    """Whether clipping changed anything: the norm's scale was below 1, or an element was over the value."""
    if cfg.clip_mode == "norm":
        return report["scale"] < 1.0
    if cfg.clip_mode == "value":
        return any(bool(np.any(~(np.abs(g) <= cfg.clip_threshold))) for g in before.values())
    return False


class _Record:
    """Best loss, when the run was first solved and when it diverged."""

    def __init__(self, baseline: float) -> None:
        self.baseline = baseline
        self.best = np.inf
        self.final = np.nan
        self.steps_done = 0
        self.solved_at: int | None = None
        self.diverged_at: int | None = None

    def add(self, step: int, loss: float, diverged: bool) -> None:
        self.steps_done, self.final = step, loss
        if diverged:
            self.diverged_at = step
            return
        self.best = min(self.best, loss)
        if self.solved_at is None and loss < SOLVED_FRACTION * self.baseline:
            self.solved_at = step

    def summary(self, cfg: TrainConfig, elapsed_ms: float) -> dict:
        out = {
            "type": "summary",
            "final_loss": self.final,
            "best_loss": self.best if np.isfinite(self.best) else np.nan,
            "baseline_loss": self.baseline,
            "solved": self.solved_at is not None,
            "solved_at": self.solved_at,
            "diverged": self.diverged_at is not None,
            "diverged_at": self.diverged_at,
            "steps_done": self.steps_done,
            "elapsed_ms": elapsed_ms,
            "config": cfg.to_dict(),
        }
        out["warnings"] = null_warnings(out)
        return out
