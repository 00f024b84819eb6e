"""One request's whole analysis: a SimConfig in, a plain dict of arrays out (docs/core-output.md).

Arrays are float64 with NaN standing for "beyond float64" (or, in log10 fields, for an exact zero); the
API encodes NaN as JSON null. Per-sequence arrays are those of sequence 0; parameter gradients are those
of the batch-mean loss.
"""

from __future__ import annotations

import time

import numpy as np

from . import clipping
from .bptt import Deltas, ScaledGrads, param_grads, seeds_for_loss, sweep
from .cells import Trace, forward
from .config import SimConfig
from .diagnostics import memory_horizon, overflow_warning, saturation_warnings, step_ranges
from .flow import flow_log10, loss_positions, strided_steps
from .init import Params, make_run
from .logscale import LOG10_2, log10_abs, log10_norm, norm2, pow10, to_float
from .spectrum import spectrum_of

FLOW_MAX_COLUMNS = 256

RESPONSE_FIELDS = (
    "loss", "loss_batch_mean", "hidden", "cell_state", "gates", "grad_h", "grad_c", "grad_h_norm",
    "grad_c_norm", "grad_h_log10_norm", "grad_c_log10_norm", "grad_h_log10_abs", "grad_c_log10_abs",
    "grad_x", "flow", "memory_horizon", "grad_h_log10_norm_batch", "spectrum", "clipping",
    "param_grad_norms", "clipped_param_grad_norms", "param_grad_log10_norms", "params", "inputs",
    "param_grads", "clipped_param_grads",
)
"""Every field `fields` may name; config, warnings and elapsed_ms always come."""


def simulate(cfg: SimConfig) -> dict:
    start = time.perf_counter()
    want = (lambda name: True) if cfg.fields is None else set(cfg.fields).__contains__
    params, v, x = make_run(cfg)
    tr = forward(cfg.cell, cfg.activation, params, x)
    warnings: list[str] = []
    out: dict = {"config": cfg.to_dict()}
    out.update(_forward_report(cfg, tr, v, warnings))
    clipper = _step_clipper(cfg)
    seeds = seeds_for_loss(cfg.loss, cfg.seq_len, cfg.batch_size)
    d = sweep(tr, params.weight_hh, v, seeds, clipper)
    grads, grad_x = param_grads(tr, params, d)
    out.update(_delta_report(cfg, d, warnings))
    out["grad_x"] = grad_x
    warnings += overflow_warning("grad_x", grad_x)
    # bptt clipping changes what propagates: the unclipped sweep gives the "before" figures
    before = param_grads(tr, params, sweep(tr, params.weight_hh, v, seeds))[0] if clipper else grads
    report, plain, clipped = _clipping_report(cfg, before, grads, d, warnings)
    out.update(report)
    if want("flow") or want("memory_horizon"):
        out.update(_flow_report(cfg, tr, params, v, out["grad_h_log10_norm"], want))
    if want("spectrum"):
        out["spectrum"] = spectrum_of(cfg)
    if cfg.return_params:
        out.update(_params_report(params, v, x))
        out["param_grads"], out["clipped_param_grads"] = plain, clipped
    result = {k: val for k, val in out.items() if k == "config" or want(k)}
    result["warnings"] = warnings
    result["elapsed_ms"] = (time.perf_counter() - start) * 1e3
    return result


def _step_clipper(cfg: SimConfig):
    if cfg.clip_mode == "none" or cfg.clip_scope != "bptt":
        return None
    make = clipping.clip_step_norm if cfg.clip_mode == "norm" else clipping.clip_step_value
    return make(cfg.clip_threshold)


def _forward_report(cfg: SimConfig, tr: Trace, v: np.ndarray, warnings: list[str]) -> dict:
    """loss, hidden states, cell states and gates (sequence 0)."""
    per_step = tr.h @ v  # (T, N) mantissas of v . h_t
    if cfg.loss == "last":
        per_step, exps = per_step[-1:], tr.h_exp[-1:]
    else:
        exps = tr.h_exp
    top = exps.max(axis=0)
    losses = to_float((per_step * np.ldexp(1.0, exps - top)).sum(axis=0), top)
    hidden = to_float(tr.h[:, 0], tr.h_exp[:, 0])
    warnings += overflow_warning("hidden", hidden)
    out = {
        "loss": _scalar(losses[0]),
        "loss_batch_mean": _scalar(np.mean(losses)) if np.isfinite(losses).all() else None,
        "hidden": hidden,
        "gates": {k: g[:, 0] for k, g in tr.gates.items()} or None,
    }
    if out["loss"] is None:
        warnings.append("the loss is beyond float64's range: it is null")
    if tr.c is not None:
        out["cell_state"] = tr.c[:, 0]
    warnings += saturation_warnings(cfg.cell, cfg.activation, hidden, out["gates"] or {},
                                    None if tr.pre_rnn is None else tr.pre_rnn[:, 0])
    return out


def _delta_report(cfg: SimConfig, d: Deltas, warnings: list[str]) -> dict:
    """dL/dh_t (and dL/dc_t) of sequence 0 as values, norms and exact log10 figures; batch spread."""
    out = {}
    for name, rows in (("grad_h", d.dh), ("grad_c", d.dc)):
        if rows is None:
            continue
        m, e = rows[:, 0], d.exp[:, 0]
        out[name] = to_float(m, e)
        out[f"{name}_log10_abs"] = log10_abs(m, e)
        out[f"{name}_log10_norm"] = log10_norm(m, e)
        out[f"{name}_norm"] = pow10(out[f"{name}_log10_norm"])
        warnings += overflow_warning(name, out[name], out[f"{name}_log10_norm"])
    out["grad_h_log10_norm_batch"] = _batch_spread(log10_norm(d.dh, d.exp)) if cfg.batch_size > 1 else None
    return out


def _batch_spread(log10_norms: np.ndarray) -> dict:
    """mean, min, max over sequences of (T, B) log10 norms, ignoring exact zeros (NaN)."""
    ok = ~np.isnan(log10_norms)
    count = ok.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, log10_norms, 0.0).sum(axis=1) / count
    low = np.where(ok, log10_norms, np.inf).min(axis=1)
    high = np.where(ok, log10_norms, -np.inf).max(axis=1)
    return {"mean": mean, "min": np.where(count > 0, low, np.nan), "max": np.where(count > 0, high, np.nan)}


def _norms(values: dict[str, np.ndarray]) -> dict[str, float | None]:
    return {k: _scalar(norm2(a)) for k, a in values.items()}


def _clipping_report(cfg: SimConfig, before: ScaledGrads, after: ScaledGrads, d: Deltas,
                     warnings: list[str]) -> tuple[dict, dict, dict]:
    """Parameter-gradient norms before/after clipping and what the clipping did, plus the gradients
    themselves before and after (NaN beyond float64)."""
    plain = before.values()
    log10s = clipping.log10_norms(before)
    report = {"mode": cfg.clip_mode, "scope": cfg.clip_scope, "threshold": cfg.clip_threshold,
              "scale": 1.0, "clipped_steps": 0, "clipped_at": []}
    if cfg.clip_mode == "norm" and cfg.clip_scope == "parameters":
        r = clipping.clip_params_by_norm(before, cfg.clip_threshold)
        clipped, report["scale"] = r.clipped, _scalar(r.scale)
        # the scale itself can underflow to 0 when the total norm is beyond float64; its log10 cannot
        report["scale_log10"] = (float(np.log10(r.scale)) if r.scale > 0 else
                                 float(np.log10(cfg.clip_threshold)) - r.total_norm_log10)
    elif cfg.clip_mode == "value" and cfg.clip_scope == "parameters":
        clipped, report["scale"] = clipping.clip_params_by_value(before, cfg.clip_threshold), None
    else:
        clipped = after.values()
        if cfg.clip_mode != "none":
            report["scale"] = None
            steps = d.clipped[:, 0]
            report["clipped_steps"] = int(steps.sum())
            report["clipped_at"] = (np.flatnonzero(steps) + 1).tolist()
    total_log10 = _total_log10(log10s)
    report["total_norm_log10"] = total_log10
    report["total_norm"] = _global_norm(plain)
    report["clipped_total_norm"] = _global_norm(clipped)
    warnings += _clipping_warnings(cfg, report) + [
        f"parameter gradient {k} is beyond float64's range: its values are null (log10 norm {x:.1f})"
        for k, x in log10s.items() if x is not None and not np.isfinite(plain[k]).all()]
    return ({"clipping": report, "param_grad_norms": _norms(plain), "param_grad_log10_norms": log10s,
             "clipped_param_grad_norms": _norms(clipped)}, plain, clipped)


def _global_norm(values: dict[str, np.ndarray]) -> float | None:
    """torch's total norm (2-norm of the per-tensor 2-norms); None beyond float64."""
    return _scalar(norm2(np.array([norm2(a) for a in values.values()])))


def _total_log10(log10s: dict[str, float | None]) -> float | None:
    xs = np.array([x for x in log10s.values() if x is not None])
    if xs.size == 0:
        return None
    top = xs.max()
    return float(top + 0.5 * np.log10(np.sum(10.0 ** (2 * (xs - top)))))


def _clipping_warnings(cfg: SimConfig, report: dict) -> list[str]:
    if cfg.clip_mode == "none":
        return []
    if cfg.clip_scope == "bptt":
        n = report["clipped_steps"]
        return [f"bptt clipping ({cfg.clip_mode}, threshold {cfg.clip_threshold:g}) clipped dL/dh_t at {n} of "
                f"{cfg.seq_len} steps: {step_ranges(np.isin(np.arange(1, cfg.seq_len + 1), report['clipped_at']))}"
                ] if n else []
    if cfg.clip_mode == "norm" and report["scale"] is not None and report["scale"] < 1.0:
        return [f"clipping engaged: total gradient norm 10^{report['total_norm_log10']:.2f} exceeds "
                f"{cfg.clip_threshold:g}; every parameter gradient was scaled by "
                f"10^{report['scale_log10']:.2f}"]
    if cfg.clip_mode == "value" and report["clipped_total_norm"] != report["total_norm"]:
        return [f"clipping engaged: gradient elements were clamped to [-{cfg.clip_threshold:g}, "
                f"{cfg.clip_threshold:g}]"]
    return []


def _flow_report(cfg: SimConfig, tr: Trace, params: Params, v: np.ndarray, grad_h_log10_norm: np.ndarray,
                 want) -> dict:
    T = cfg.seq_len
    seq0 = tr.sequence(0)
    out = {}
    if want("memory_horizon"):
        if cfg.loss == "last" and not (cfg.clip_mode != "none" and cfg.clip_scope == "bptt"):
            gain = grad_h_log10_norm
        else:  # the unclipped gain of v . h_T alone: one more (single-row) sweep
            gain = flow_log10(seq0, params.weight_hh, v, [T], list(range(1, T + 1)))[0]
        out["memory_horizon"] = memory_horizon(gain)
    if want("flow"):
        if cfg.flow_steps == 0:
            out["flow"] = None
        else:
            loss_steps = loss_positions(T, cfg.flow_steps)
            steps = strided_steps(T, FLOW_MAX_COLUMNS)
            out["flow"] = {"loss_steps": loss_steps, "steps": steps,
                           "log10_norm": flow_log10(seq0, params.weight_hh, v, loss_steps, steps)}
    return out


def _params_report(params: Params, v: np.ndarray, x: np.ndarray) -> dict:
    return {"params": {**params.as_dict(), "readout": v}, "inputs": x[:, 0]}


def _scalar(x) -> float | None:
    x = float(x)
    return x if np.isfinite(x) else None


__all__ = ["simulate", "RESPONSE_FIELDS", "LOG10_2"]
