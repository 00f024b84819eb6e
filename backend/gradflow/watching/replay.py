"""The exact replay of one captured training step: a PyTorch module's forward and backward, redone in the core.

A `Capture` holds what `capture.py` copied at a watched forward (float64 copies on the CPU): the weights as they
were at that forward, the inputs and initial states, and the loss's gradient where the module handed its results
out (every output step of the top layer, each layer's final h_T and c_T). The core then runs the stack forward
from the initial states and backpropagates those gradients (`core.stack.stack_sweep_from_outputs`): every layer's
total dL/dh_t and dL/dc_t, exactly the module's own autograd, plus every weight's gradient, which is checked
against what autograd put in `.grad` (`agreement`). Pure NumPy: no torch here, so it can run anywhere.

The per-step figures are over the first `watched` sequences of the batch (the 2-norm over those sequences and the
units); the weight gradients need every sequence, so the whole batch is replayed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gradflow.core.config import MEMORY_GATE
from gradflow.core.diagnostics import memory_horizon
from gradflow.core.logscale import log10_hypot, log10_norm, to_float
from gradflow.core.nulls import null_warnings
from gradflow.core.params import Params
from gradflow.core.spectrum import spectrum
from gradflow.core.stack import stack_forward, stack_param_grads, stack_sweep_from_outputs

AGREEMENT_TOLERANCE = {"float64": 1e-8, "float32": 1e-4, "bfloat16": 5e-2, "float16": 5e-2}
"""The largest relative difference between the replay's weight gradients and the module's `.grad` that counts as
agreement, by the module's dtype: float64 agrees to rounding; a float32 run to its own precision."""


@dataclass
class Capture:
    """One watched step, everything float64 and time-major: x (T, N, I), h0 and c0 (L, N, H) or None, d_out
    (T, N, H), d_h_last and d_c_last (L, N, H) (d_c_last None but for the lstm); autograd_grads: this step's
    gradient of each parameter by torch's names (None when it could not be read)."""

    step: int
    cell: str
    activation: str
    layers: list[Params]
    x: np.ndarray
    h0: np.ndarray | None
    c0: np.ndarray | None
    d_out: np.ndarray
    d_h_last: np.ndarray
    d_c_last: np.ndarray | None
    dtype: str
    watched: int
    autograd_grads: dict[str, np.ndarray] | None = None
    notes: list[str] = field(default_factory=list)


def replay(c: Capture) -> dict:
    """The snapshot of one captured step (the run directory's line; names as in docs/api.md, "Runs")."""
    N = c.x.shape[1]
    traces, deltas = _run(c)
    watched = slice(0, min(c.watched, N))
    depth = np.stack([_log10_norm_over_sequences(d.dh[:, watched], d.exp[:, watched]) for d in deltas])
    snapshot: dict = {
        "type": "snapshot",
        "step": c.step,
        "sequences": int(min(c.watched, N)),
        "batch_size": int(N),
        "grad_h_log10_norm": depth[-1],
        "depth_flow": depth,
        "memory_horizon": memory_horizon(depth[-1]),
    }
    if c.cell == "lstm":
        top = deltas[-1]
        snapshot["grad_c_log10_norm"] = _log10_norm_over_sequences(top.dc[:, watched], top.exp[:, watched])
    grads, _ = stack_param_grads(traces, c.layers, deltas)
    values = {_torch_name(name, len(c.layers)): v * N for name, v in grads.values().items()}  # sums, not means
    snapshot["param_grad_log10_norms"] = {  # exact past float64, like every log10 figure
        _torch_name(name, len(c.layers)): float(log10_norm(m.reshape(1, -1), np.array([grads.exp[name]]))[0])
        + float(np.log10(N))
        for name, m in grads.m.items()
    }
    snapshot["spectral_radius"] = [spectrum(c.cell, p.weight_hh)["spectral_radius"] for p in c.layers]
    if c.cell in MEMORY_GATE:
        gate, name = MEMORY_GATE[c.cell]
        snapshot[name] = [float(tr.gates[gate][:, watched].mean()) for tr in traces]
    snapshot["agreement"] = agreement(values, c.autograd_grads, c.dtype)
    snapshot["warnings"] = [*c.notes, *_agreement_warning(snapshot["agreement"])]
    snapshot["warnings"] += null_warnings(snapshot)
    return snapshot


def agreement(replayed: dict[str, np.ndarray], autograd: dict[str, np.ndarray] | None, dtype: str) -> dict:
    """How far the replay's weight gradients are from autograd's: the largest relative 2-norm difference over the
    parameters, each one's, and whether that is within the dtype's tolerance."""
    tolerance = AGREEMENT_TOLERANCE.get(dtype, 1e-4)
    if autograd is None:
        return {"checked": False, "reason": "the module's .grad was not available at this step", "dtype": dtype}
    per_param = {}
    for name, ours in replayed.items():
        theirs = autograd.get(name)
        if theirs is None:
            continue
        scale = max(float(np.linalg.norm(theirs)), float(np.linalg.norm(ours)), np.finfo(float).tiny)
        per_param[name] = float(np.linalg.norm(ours - theirs)) / scale if np.isfinite(ours).all() else None
    finite = [v for v in per_param.values() if v is not None]
    worst = max(finite) if finite else None
    ok = worst is not None and worst <= tolerance and len(finite) == len(per_param)
    return {
        "checked": True,
        "max_rel_diff": worst,
        "per_param": per_param,
        "dtype": dtype,
        "tolerance": tolerance,
        "ok": bool(ok),
        "statement": _statement(worst, dtype, ok),
    }


def _statement(worst: float | None, dtype: str, ok: bool) -> str:
    if worst is None:
        return "the replay's weight gradients left float64's range, so they could not be compared"
    verb = "agrees with" if ok else "DIFFERS from"
    return f"replay {verb} your autograd to {worst:.1g} ({dtype} run)"


def _agreement_warning(a: dict) -> list[str]:
    if not a.get("checked") or a.get("ok"):
        return []
    return [
        f"agreement: {a['statement']}, over the {a['tolerance']:g} expected of a {a['dtype']} run. The loss may "
        "reach the module's weights another way than through its outputs and final states (a penalty on the "
        "weights, the module called twice before one backward, gradients accumulated or changed before the "
        "backward ended), which the replay does not see."
    ]


def _run(c: Capture):
    traces = stack_forward(c.cell, c.activation, c.layers, c.x, c.h0, c.c0)
    return traces, stack_sweep_from_outputs(traces, c.layers, c.d_out, c.d_h_last, c.d_c_last)


def _log10_norm_over_sequences(m: np.ndarray, exp: np.ndarray) -> np.ndarray:
    """(T,) log10 of the 2-norm over sequences and units of m * 2**exp, m (T, N, H), exp (T, N); exact at any
    magnitude, NaN where every entry is an exact zero."""
    return log10_hypot(log10_norm(m, exp), axis=1)


def _torch_name(name: str, num_layers: int) -> str:
    return name if num_layers > 1 else f"{name}_l0"


def dL_dh(c: Capture) -> tuple[list[np.ndarray], list[np.ndarray] | None]:
    """Every layer's total dL/dh_t (and dL/dc_t) as float64 (T, N, H), bottom layer first (NaN beyond float64);
    what the snapshot's figures summarise, for tests and notebooks."""
    _, deltas = _run(c)
    grad_h = [to_float(d.dh, d.exp) for d in deltas]
    grad_c = [to_float(d.dc, d.exp) for d in deltas] if c.cell == "lstm" else None
    return grad_h, grad_c
