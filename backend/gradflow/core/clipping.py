"""Gradient clipping with PyTorch's semantics, reporting what it did: the one clipping policy (mode x scope).

Modes:
- "norm" (torch.nn.utils.clip_grad_norm_): total = 2-norm of the per-tensor 2-norms;
  coef = max_norm / (total + 1e-6), clamped at 1; every gradient is multiplied by coef.
- "value" (torch.nn.utils.clip_grad_value_): every element clamped to [-clip_value, clip_value].

Scopes:
- "parameters": the parameter gradients, as torch clips them before an optimiser step (the training loop
  calls the same functions before each update);
- "bptt": dL/dh_t of every row at every step of backpropagation, before it propagates further
  (`step_clipper`); the report then also needs the unclipped sweep for its "before" figures.

Where torch's total norm is finite the arithmetic is torch's, operation for operation. Beyond float64
(total = inf, where torch would produce NaN) we compute what the same formula gives with unlimited range,
which is finite: coef * g = g / total * max_norm up to the 1e-6.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .bptt import ScaledGrads, StepClipper
from .diagnostics import step_ranges
from .logscale import LOG10_2, norm2, norm2_exp, norm_exp

EPS = 1e-6


# ---------------------------------------------------------------- mode x scope


def clips_bptt(mode: str, scope: str) -> bool:
    """Whether dL/dh_t itself is clipped during backpropagation (what propagates changes)."""
    return mode != "none" and scope == "bptt"


def sweeps_needed(mode: str, scope: str) -> int:
    """Backward sweeps a simulation makes: bptt clipping adds the unclipped one for the "before" figures."""
    return 2 if clips_bptt(mode, scope) else 1


def step_clipper(mode: str, scope: str, threshold: float) -> StepClipper | None:
    """The per-step clipper for the bptt scope, or None when nothing is clipped during backpropagation."""
    if not clips_bptt(mode, scope):
        return None
    return (clip_step_norm if mode == "norm" else clip_step_value)(threshold)


# ---------------------------------------------------------------- torch's functions on plain arrays


def total_norm(tensors: Iterable[np.ndarray]) -> float:
    """torch's total norm: the 2-norm of the per-tensor 2-norms (inf only when it is beyond float64)."""
    return norm2(np.array([norm2(g) for g in tensors]))


def clip_grad_norm(grads: list[np.ndarray], max_norm: float) -> tuple[list[np.ndarray], float, float]:
    """Plain float64 clip_grad_norm_: returns (clipped grads, total norm before, coef applied)."""
    total = total_norm(grads)
    coef = min(max_norm / (total + EPS), 1.0)
    return [g * coef for g in grads], total, coef


def clip_grad_value(grads: list[np.ndarray], clip_value: float) -> list[np.ndarray]:
    """Plain clip_grad_value_: each element clamped to [-clip_value, clip_value]."""
    return [np.clip(g, -clip_value, clip_value) for g in grads]


# ---------------------------------------------------------------- parameter scope, exact at any magnitude


@dataclass
class ClipReport:
    """What parameter-scope clipping by norm did (None where a figure is beyond float64)."""

    total_norm_log10: float | None
    total_norm: float | None
    scale: float | None
    clipped: dict[str, np.ndarray]


def _norms(g: ScaledGrads) -> dict[str, tuple[float, int]]:
    """Each gradient's 2-norm as (s, power-of-two exponent), its squares safe however big the mantissas
    (a plain-float gradient, such as the readout's, has exponent 0 and may hold values past 1e154)."""
    out = {}
    for k, a in g.m.items():
        s, e = norm2_exp(a)
        out[k] = (s, e + int(g.exp[k]))
    return out


def _log10(s: float, e: int) -> float | None:
    """log10(s * 2**e); None for an exact zero, +inf when s is not finite (a gradient holding inf or NaN,
    say from a lower layer's input that left float64: its norm is unknown, not zero)."""
    if s == 0.0:
        return None
    return float(np.log10(s)) + LOG10_2 * e if np.isfinite(s) else np.inf


def log10_norms(g: ScaledGrads) -> dict[str, float | None]:
    """log10 of each gradient's 2-norm, exact at any magnitude (None for an exact zero, +inf when the
    gradient is not finite)."""
    return {k: _log10(s, e) for k, (s, e) in _norms(g).items()}


def scaled_total_norm(g: ScaledGrads) -> tuple[float, int]:
    """torch's total norm of the true gradients as (mantissa, power-of-two exponent), exact at any magnitude."""
    norms = _norms(g)
    top = max(e for _, e in norms.values())
    # per-tensor norms at the common exponent `top` (each <= the true norm, so no overflow)
    with np.errstate(under="ignore"):
        return norm2(np.array([np.ldexp(s, e - top) for s, e in norms.values()])), top


def total_norm_log10(g: ScaledGrads) -> float | None:
    """log10 of torch's total norm, exact at any magnitude (None when every gradient is exactly zero, +inf
    when one is not finite)."""
    return _log10(*scaled_total_norm(g))


def clip_params_by_norm(g: ScaledGrads, max_norm: float) -> ClipReport:
    total_m, top = scaled_total_norm(g)
    total_log10 = total_norm_log10(g)
    with np.errstate(over="ignore"):
        total = float(np.ldexp(total_m, top))
    if np.isfinite(total):
        # torch's arithmetic exactly
        values = g.values()
        names = list(values)
        clipped, total, coef = clip_grad_norm([values[k] for k in names], max_norm)
        return ClipReport(total_log10, total, coef, dict(zip(names, clipped)))
    # total beyond float64: coef * g = m * 2**(e - top) * max_norm / total_m (the 1e-6 is below rounding);
    # |m * 2**(e - top)| <= total_m, so neither factor overflows
    with np.errstate(under="ignore"):
        clipped = {k: np.ldexp(a, g.exp[k] - top) * (max_norm / total_m) for k, a in g.m.items()}
    # a gradient that is not finite (total_log10 = +inf) leaves the scale unknown: NaN, not 0
    scale = 10.0 ** (np.log10(max_norm) - total_log10) if np.isfinite(total_log10) else np.nan
    return ClipReport(total_log10, None, scale, clipped)


def clip_params_by_value(g: ScaledGrads, clip_value: float) -> dict[str, np.ndarray]:
    with np.errstate(over="ignore"):
        values = {k: np.ldexp(a, g.exp[k]) for k, a in g.m.items()}  # +-inf clamps to +-clip_value
    return dict(zip(values, clip_grad_value(list(values.values()), clip_value)))


def clip_parameters(mode: str, threshold: float, g: ScaledGrads) -> dict[str, np.ndarray]:
    """The parameter gradients after parameter-scope clipping, plain float64 (NaN beyond float64): what an
    optimiser step applies, and clip_and_report's `after` for that scope bit for bit, without its report."""
    if mode == "norm":
        return clip_params_by_norm(g, threshold).clipped
    if mode == "value":
        return clip_params_by_value(g, threshold)
    return g.values()


# ---------------------------------------------------------------- bptt scope: one step of backpropagation


def clip_step_norm(threshold: float) -> StepClipper:
    """Clip each row's dL/dh_t to 2-norm <= threshold (torch's formula per row)."""

    def clip(dh: np.ndarray, exp: np.ndarray, shared: bool):
        s, e = norm_exp(dh)  # |m| = s * 2**e: a seed row may be past 1e154, where squares overflow
        with np.errstate(over="ignore"):
            true_norm = np.ldexp(s, e + exp)
        rows = true_norm > threshold
        if rows.any():
            # clipped true value = m * threshold / (|m| + 1e-6 * 2**-exp), finite at any exponent; m and |m|
            # both taken at 2**-e (e = 0 unless m's largest magnitude is outside 1e-150..1e150)
            r, er = exp[rows], e[rows]
            with np.errstate(under="ignore"):
                coef = threshold / (s[rows] + np.ldexp(EPS, -r - er))
                _store(dh, exp, rows, np.ldexp(dh[rows], -er[:, None]) * coef[:, None], shared)
        return rows, exp

    return clip


def clip_step_value(threshold: float) -> StepClipper:
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


# ---------------------------------------------------------------- the report


@dataclass
class Clipped:
    """A run's clipping: the report (API field `clipping`; NaN where a figure is beyond float64's range),
    the parameter gradients before and after (plain float64, NaN likewise) and the warnings it raises."""

    report: dict
    before: dict[str, np.ndarray]
    after: dict[str, np.ndarray]
    warnings: list[str]


def clip_and_report(
    mode: str, scope: str, threshold: float, before: ScaledGrads, after: ScaledGrads, clipped_steps: np.ndarray
) -> Clipped:
    """Clip the parameter gradients `before` (parameters scope), or take `after` as the bptt sweep's
    result (bptt scope), and report what happened. clipped_steps: (T,) bool, steps of sequence 0 whose
    dL/dh_t was clipped (bptt scope)."""
    plain = before.values()
    same = False  # whether the clipped gradients are `before` itself (nothing clipped them)
    report = {"mode": mode, "scope": scope, "threshold": threshold, "scale": 1.0, "clipped_steps": 0, "clipped_at": []}
    if mode == "norm" and scope == "parameters":
        r = clip_params_by_norm(before, threshold)
        clipped, report["scale"] = r.clipped, r.scale
        # the scale itself can underflow to 0 when the total norm is beyond float64; its log10 cannot
        report["scale_log10"] = (
            float(np.log10(r.scale)) if r.scale > 0 else float(np.log10(threshold)) - r.total_norm_log10
        )
    elif mode == "value" and scope == "parameters":
        clipped, report["scale"] = clip_params_by_value(before, threshold), None
    else:
        same = after is before  # no bptt clipping: the same values, converted once
        clipped = {k: a.copy() for k, a in plain.items()} if same else after.values()
        if mode != "none":
            report["scale"] = None
            report["clipped_steps"] = int(clipped_steps.sum())
            report["clipped_at"] = (np.flatnonzero(clipped_steps) + 1).tolist()
    log10 = total_norm_log10(before)
    report["total_norm_log10"] = np.nan if log10 is None else log10
    report["total_norm"] = _finite(total_norm(plain.values()))
    report["clipped_total_norm"] = report["total_norm"] if same else _finite(total_norm(clipped.values()))
    return Clipped(report, plain, clipped, _warnings(report, len(clipped_steps)))


def _warnings(report: dict, seq_len: int) -> list[str]:
    mode, threshold = report["mode"], report["threshold"]
    if mode == "none":
        return []
    if report["scope"] == "bptt":
        n = report["clipped_steps"]
        steps = np.isin(np.arange(1, seq_len + 1), report["clipped_at"])
        return (
            [
                f"bptt clipping ({mode}, threshold {threshold:g}) clipped dL/dh_t at {n} of {seq_len} steps: "
                f"{step_ranges(steps)}"
            ]
            if n
            else []
        )
    if mode == "norm" and report["scale"] is not None and report["scale"] < 1.0:
        return [
            f"clipping engaged: total gradient norm 10^{report['total_norm_log10']:.2f} exceeds "
            f"{threshold:g}; every parameter gradient was scaled by 10^{report['scale_log10']:.2f}"
        ]
    if mode == "value" and report["clipped_total_norm"] != report["total_norm"]:
        return [f"clipping engaged: gradient elements were clamped to [-{threshold:g}, {threshold:g}]"]
    return []


def _finite(x: float) -> float:
    """NaN (JSON null, explained by the answer's null warnings) where a figure is beyond float64's range."""
    return float(x) if np.isfinite(x) else np.nan
