"""Gradient clipping with PyTorch's semantics, reporting what it did.

- By norm (torch.nn.utils.clip_grad_norm_): total = 2-norm of the per-tensor 2-norms;
  coef = max_norm / (total + 1e-6), clamped at 1; every gradient is multiplied by coef.
- By value (torch.nn.utils.clip_grad_value_): every element clamped to [-clip_value, clip_value].

Where torch's total norm is finite the arithmetic is torch's, operation for operation. Beyond float64
(total = inf, where torch would produce NaN) we compute what the same formula gives with unlimited range,
which is finite: coef * g = g / total * max_norm up to the 1e-6.

`clip_step_*` do the same to dL/dh_t of every row at one step of backpropagation (scope "bptt").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .bptt import ScaledGrads
from .logscale import LOG10_2, norm2

EPS = 1e-6


def clip_grad_norm(grads: list[np.ndarray], max_norm: float) -> tuple[list[np.ndarray], float, float]:
    """Plain float64 clip_grad_norm_: returns (clipped grads, total norm before, coef applied)."""
    total = norm2(np.array([norm2(g) for g in grads]))
    coef = min(max_norm / (total + EPS), 1.0)
    return [g * coef for g in grads], total, coef


def clip_grad_value(grads: list[np.ndarray], clip_value: float) -> list[np.ndarray]:
    """Plain clip_grad_value_: each element clamped to [-clip_value, clip_value]."""
    return [np.clip(g, -clip_value, clip_value) for g in grads]


@dataclass
class ClipReport:
    """What parameter-scope clipping did (None where a figure is beyond float64)."""

    total_norm_log10: float | None
    total_norm: float | None
    scale: float | None
    clipped: dict[str, np.ndarray]


def log10_norms(g: ScaledGrads) -> dict[str, float | None]:
    """log10 of each gradient's 2-norm, exact at any magnitude (None for an exact zero)."""
    norms = {k: float(np.linalg.norm(a)) for k, a in g.m.items()}
    return {k: (float(np.log10(n)) + LOG10_2 * g.exp[k] if n > 0 else None) for k, n in norms.items()}


def clip_params_by_norm(g: ScaledGrads, max_norm: float) -> ClipReport:
    top = max(g.exp.values())
    # per-tensor norms at the common exponent `top` (each <= the true norm, so no overflow)
    norms = np.array([np.linalg.norm(a) * 2.0 ** (g.exp[k] - top) for k, a in g.m.items()])
    total_m = float(np.linalg.norm(norms))
    total_log10 = float(np.log10(total_m)) + LOG10_2 * top if total_m > 0 else None
    with np.errstate(over="ignore"):
        total = float(np.ldexp(total_m, top))
    if np.isfinite(total):
        # torch's arithmetic exactly
        values = g.values()
        names = list(values)
        clipped, total, coef = clip_grad_norm([values[k] for k in names], max_norm)
        return ClipReport(total_log10, total, coef, dict(zip(names, clipped)))
    # total beyond float64: coef * g = m * 2**(e - top) * max_norm / total_m (the 1e-6 is below rounding)
    clipped = {k: a * (2.0 ** (g.exp[k] - top) * max_norm / total_m) for k, a in g.m.items()}
    return ClipReport(total_log10, None, 10.0 ** (np.log10(max_norm) - total_log10), clipped)


def clip_params_by_value(g: ScaledGrads, clip_value: float) -> dict[str, np.ndarray]:
    with np.errstate(over="ignore"):
        values = {k: np.ldexp(a, g.exp[k]) for k, a in g.m.items()}  # +-inf clamps to +-clip_value
    return dict(zip(values, clip_grad_value(list(values.values()), clip_value)))


def clip_step_norm(threshold: float):
    """Clip each row's dL/dh_t to 2-norm <= threshold (torch's formula per row)."""

    def clip(dh: np.ndarray, exp: np.ndarray, shared: bool):
        norm_m = np.linalg.norm(dh, axis=1)
        with np.errstate(over="ignore"):
            true_norm = np.ldexp(norm_m, exp)
        rows = true_norm > threshold
        if rows.any():
            # clipped true value = m * threshold / (|m| + 1e-6 * 2**-exp): finite at any exponent
            coef = threshold / (norm_m[rows] + np.ldexp(EPS, -exp[rows]))
            _store(dh, exp, rows, dh[rows] * coef[:, None], shared)
        return rows, exp

    return clip


def clip_step_value(threshold: float):
    """Clamp each element of dL/dh_t to [-threshold, threshold]."""

    def clip(dh: np.ndarray, exp: np.ndarray, shared: bool):
        with np.errstate(over="ignore", under="ignore"):
            true = np.ldexp(dh, exp[:, None])
        rows = (np.abs(true) > threshold).any(axis=1)
        if rows.any():
            _store(dh, exp, rows, np.clip(true[rows], -threshold, threshold), shared)
        return rows, exp

    return clip


def _store(dh: np.ndarray, exp: np.ndarray, rows: np.ndarray, true_values: np.ndarray, shared: bool):
    """Write clipped true values back. When the exponent is shared with the lstm cell path it stays;
    otherwise the row restarts at exponent 0 (the clipped values are ordinary floats)."""
    if shared:
        dh[rows] = np.ldexp(true_values, -exp[rows][:, None])
    else:
        dh[rows] = true_values
        exp[rows] = 0
