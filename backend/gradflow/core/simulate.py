"""One request's whole analysis: a SimConfig in, a plain dict of arrays out (docs/core-output.md).

Arrays are float64 with NaN standing for "beyond float64" (or, in log10 fields, for an exact zero); the
API encodes NaN as JSON null. Per-sequence arrays are those of sequence 0; parameter gradients are those
of the batch-mean loss.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .bptt import Deltas, seeds_for_loss
from .cells import Trace
from .clipping import clip_and_report, clips_bptt, log10_norms, step_clipper
from .config import SimConfig
from .diagnostics import memory_horizon, saturation_warnings
from .flow import flow_log10, loss_positions, strided_steps
from .init import make_run
from .logscale import LOG10_2, log10_abs, log10_norm, norm2, pow10, to_float
from .nulls import null_warnings
from .params import Params, Weights
from .spectrum import spectrum, spectrum_of
from .stack import stack_forward, stack_param_grads, stack_sweep, state_dict_name
from .theory import theory_report
from .weights import from_arrays

FLOW_MAX_COLUMNS = 256

RESPONSE_FIELDS = (
    "theory",
    "loss",
    "loss_batch_mean",
    "hidden",
    "cell_state",
    "gates",
    "grad_h",
    "grad_c",
    "grad_h_norm",
    "grad_c_norm",
    "grad_h_log10_norm",
    "grad_c_log10_norm",
    "grad_h_log10_abs",
    "grad_c_log10_abs",
    "grad_x",
    "flow",
    "memory_horizon",
    "grad_h_log10_norm_batch",
    "spectrum",
    "clipping",
    "param_grad_norms",
    "clipped_param_grad_norms",
    "param_grad_log10_norms",
    "params",
    "inputs",
    "param_grads",
    "clipped_param_grads",
    "layers",
    "depth_flow",
    "weights",
    "gate_means",
)
"""Every field `fields` may name; config, warnings and elapsed_ms always come."""


@dataclass
class _Run:
    """What every answer of one run shares, whatever its `fields`: the passes, the gradients, clipping, and the
    fields they give (`out`, without `config`) with their warnings. Read only once made."""

    explicit: Weights | None
    layers: list[Params]
    v: np.ndarray
    x: np.ndarray
    traces: list[Trace]
    deltas: list[Deltas]
    clipped: Any
    out: dict
    warnings: list[str]


class RunMemo:
    """The last few runs' shared part (_Run), kept so that answers asking for different `fields` of the same
    settings (the page asks for the views in sight, then for the rest) compute the passes once. Only for seeded
    runs (no uploaded weights) of at most `max_values` gate values (batch x T x G*H); thread-safe. The API keeps
    one per process; the library does not use one."""

    def __init__(self, size: int = 2, max_values: int = 2_000_000) -> None:
        self.size = size
        self.max_values = max_values
        self.hits = 0
        self._runs: OrderedDict[SimConfig, _Run] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(cfg: SimConfig) -> SimConfig:
        """The settings a run's shared part depends on: all but fields, flow_steps and return_params."""
        return replace(cfg, fields=None, flow_steps=0, return_params=False)

    def keeps(self, cfg: SimConfig) -> bool:
        values = cfg.batch_size * cfg.seq_len * cfg.num_gates * cfg.hidden_size * cfg.num_layers
        return cfg.params is None and values <= self.max_values

    def run(self, cfg: SimConfig) -> _Run:
        if not self.keeps(cfg):
            return _shared_run(cfg)
        key = self.key(cfg)
        with self._lock:
            run = self._runs.get(key)
            if run is not None:
                self._runs.move_to_end(key)
                self.hits += 1
                return run
        run = _shared_run(cfg)  # outside the lock: two different runs compute at once
        with self._lock:
            self._runs[key] = run
            self._runs.move_to_end(key)
            while len(self._runs) > self.size:
                self._runs.popitem(last=False)
        return run


def _shared_run(cfg: SimConfig) -> _Run:
    explicit = _explicit_weights(cfg)
    layers, v, x = make_run(cfg, explicit)
    traces = stack_forward(cfg.cell, cfg.activation, layers, x)
    warnings: list[str] = []
    out: dict = {"weights": _weights_report(explicit)}
    if explicit is not None:
        warnings.append(
            "explicit weights: init, recurrent_scale and forget_bias do not apply"
            + ("" if explicit.readout is not None else "; the readout v is seeded")
        )
    out.update(_forward_report(cfg, traces[-1], v, warnings))
    clipper = step_clipper(cfg.clip_mode, cfg.clip_scope, cfg.clip_threshold)
    seeds = seeds_for_loss(cfg.loss, cfg.seq_len, cfg.batch_size)
    deltas = stack_sweep(traces, layers, v, seeds, clipper)
    grads, out["grad_x"] = stack_param_grads(traces, layers, deltas)
    out.update(_delta_report(cfg, deltas[-1]))
    # bptt clipping changes what propagates: the unclipped sweep gives the "before" figures
    before = stack_param_grads(traces, layers, stack_sweep(traces, layers, v, seeds))[0] if clipper else grads
    clipped = clip_and_report(
        cfg.clip_mode, cfg.clip_scope, cfg.clip_threshold, before, grads, deltas[-1].clipped[:, 0]
    )
    warnings += clipped.warnings
    out.update(
        clipping=clipped.report,
        param_grad_norms=_norms(clipped.before),
        param_grad_log10_norms=_nan_for_none(log10_norms(before)),
        clipped_param_grad_norms=_norms(clipped.after),
    )
    return _Run(explicit, layers, v, x, traces, deltas, clipped, out, warnings)


def simulate(cfg: SimConfig, memo: RunMemo | None = None) -> dict:
    """One request's whole analysis. `memo` (the API's) reuses the passes of a run whose shared part it holds:
    the answer is the same, bit for bit."""
    start = time.perf_counter()
    want = (lambda name: True) if cfg.fields is None else set(cfg.fields).__contains__
    run = memo.run(cfg) if memo is not None else _shared_run(cfg)
    layers, v, traces, deltas, explicit = run.layers, run.v, run.traces, run.deltas, run.explicit
    out: dict = {"config": cfg.to_dict(), **run.out}
    warnings = list(run.warnings)
    if want("flow") or want("memory_horizon"):
        out.update(_flow_report(cfg, traces[-1], layers[-1], v, out["grad_h_log10_norm"], want))
    if want("spectrum"):
        seeded_one_layer = cfg.num_layers == 1 and explicit is None
        out["spectrum"] = spectrum_of(cfg) if seeded_one_layer else spectrum(cfg.cell, layers[-1].weight_hh)
    if want("theory") or want("layers"):
        out["theory"], per_layer, theory_warnings = theory_report(cfg, layers, traces, deltas, v, explicit is None)
        warnings += theory_warnings if want("theory") else []
    if cfg.num_layers > 1 and (want("layers") or want("depth_flow")):
        out["layers"] = [_layer_report(cfg, tr, p, d) for tr, p, d in zip(traces, layers, deltas)]
        for layer, item in zip(out.get("layers", []), per_layer if want("layers") else []):
            layer["theory"] = item
        out["depth_flow"] = np.stack([layer["grad_h_log10_norm"] for layer in out["layers"]])
    if cfg.return_params:
        out.update(_params_report(cfg, layers, v, run.x))
        out["param_grads"], out["clipped_param_grads"] = run.clipped.before, run.clipped.after
    result = {k: val for k, val in out.items() if k == "config" or want(k)}
    result["warnings"] = warnings + null_warnings(result)
    result["elapsed_ms"] = (time.perf_counter() - start) * 1e3
    return result


def _explicit_weights(cfg: SimConfig) -> Weights | None:
    if cfg.params is None or isinstance(cfg.params, Weights):
        return cfg.params  # None, or checked once already (the request model does it)
    return from_arrays(cfg.params, cfg.cell, cfg.hidden_size, cfg.input_size, cfg.num_layers)


def _weights_report(explicit: Weights | None) -> dict:
    """Where the weights came from and, for explicit ones, which given array became which PyTorch one."""
    if explicit is None:
        return {"source": "seeded", "recognised": {}, "ignored": [], "notes": [], "inferred": {}}
    return {
        "source": "explicit",
        "recognised": explicit.recognised,
        "ignored": explicit.ignored,
        "notes": explicit.notes,
        "inferred": explicit.inferred,
    }


def _layer_report(cfg: SimConfig, tr: Trace, p: Params, d: Deltas) -> dict:
    """One layer of a stack (sequence 0): states, gates, gradients with their exact log10 figures, the
    spectrum of its W_hh and the memory horizon of its own dL/dh_t."""
    out = {"hidden": to_float(tr.h[:, 0], tr.h_exp[:, 0]), "gates": {k: g[:, 0] for k, g in tr.gates.items()} or None}
    if tr.c is not None:
        out["cell_state"] = tr.c[:, 0]
    out.update({k: val for k, val in _delta_report(cfg, d).items() if k != "grad_h_log10_norm_batch"})
    out["spectrum"] = spectrum(cfg.cell, p.weight_hh)
    out["memory_horizon"] = memory_horizon(out["grad_h_log10_norm"])
    return out


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
    out = {
        "loss": _scalar(losses[0]),
        "loss_batch_mean": _scalar(np.mean(losses)),
        "hidden": hidden,
        "gates": {k: g[:, 0] for k, g in tr.gates.items()} or None,
        # over units, steps and every sequence, as training reports its memory gate
        "gate_means": {k: float(np.mean(g)) for k, g in tr.gates.items()} or None,
    }
    if tr.c is not None:
        out["cell_state"] = tr.c[:, 0]
    warnings += saturation_warnings(
        cfg.cell, cfg.activation, hidden, out["gates"] or {}, None if tr.pre_rnn is None else tr.pre_rnn[:, 0]
    )
    return out


def _delta_report(cfg: SimConfig, d: Deltas) -> dict:
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


def _norms(values: dict[str, np.ndarray]) -> dict[str, float]:
    return {k: _scalar(norm2(a)) for k, a in values.items()}


def _nan_for_none(values: dict[str, float | None]) -> dict[str, float]:
    """log10 figures: None (an exact zero) is NaN in the answer, a null that null_warnings explains."""
    return {k: np.nan if x is None else x for k, x in values.items()}


def _flow_report(cfg: SimConfig, tr: Trace, params: Params, v: np.ndarray, grad_h_log10_norm: np.ndarray, want) -> dict:
    T = cfg.seq_len
    seq0 = tr.sequence(0)
    out = {}
    if want("memory_horizon"):
        if cfg.loss == "last" and not clips_bptt(cfg.clip_mode, cfg.clip_scope):
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
            out["flow"] = {
                "loss_steps": loss_steps,
                "steps": steps,
                "log10_norm": flow_log10(seq0, params.weight_hh, v, loss_steps, steps),
            }
    return out


def _params_report(cfg: SimConfig, layers: list[Params], v: np.ndarray, x: np.ndarray) -> dict:
    """The weights under PyTorch's names (state_dict's, with _l{layer}, when stacked), the readout v and
    the inputs of sequence 0."""
    weights = {
        state_dict_name(name, layer, cfg.num_layers): value
        for layer, p in enumerate(layers)
        for name, value in p.as_dict().items()
    }
    return {"params": {**weights, "readout": v}, "inputs": x[:, 0]}


def _scalar(x) -> float:
    """A float64 figure; NaN (JSON null, explained by null_warnings) where it is beyond float64's range."""
    x = float(x)
    return x if np.isfinite(x) else np.nan


__all__ = ["simulate", "RESPONSE_FIELDS", "LOG10_2"]
