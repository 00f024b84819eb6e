"""Backpropagation through time, exact at any magnitude.

One sweep walks the forward in reverse. Every row (a sequence, or a loss position of the flow matrix) is
carried as mantissas plus one power-of-two exponent (logscale.py), so deltas that vanish below 1e-308 or
explode past 1e308 keep their exact value on the log scale. Seeds are the readout v entering dL/dh_t at the
loss steps; bptt-scope clipping acts on the total dL/dh_t before it propagates further.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .cells import STEP_INTO, Trace, input_side_delta
from .logscale import rescale_rows, rows_in_range, to_float
from .params import Params
from .workspace import Workspace, scratch

# A step clipper gets (dh, exp) of the rows at step t, may change dh in place, and returns which rows it
# clipped (bool (N,)) and the exponents to use from now on.
StepClipper = Callable[[np.ndarray, np.ndarray, bool], tuple[np.ndarray, np.ndarray]]


@dataclass
class Deltas:
    """Recorded deltas of a full sweep: true dL/dh_t = dh[t] * 2**exp[t] (rows share an exponent).

    dh, dc: (T, N, H) (dc lstm only); dpre: (T, N, G*H) dL/d(hidden-side pre-activation);
    clipped: (T, N) bool, steps whose dL/dh_t was clipped.
    """

    dh: np.ndarray
    dc: np.ndarray | None
    dpre: np.ndarray
    exp: np.ndarray
    clipped: np.ndarray


def add_seed(dh: np.ndarray, exp: np.ndarray, rows: np.ndarray, v: np.ndarray, others: list) -> None:
    """dL/dh_t += v on the given rows, at a common exponent so neither term over- or underflows.

    v: (H,), the same seed for every row, or (N, H), one seed per row (a trained readout's dL/dh_T).
    """
    per_row = v.ndim == 2
    if not exp[rows].any():
        dh[rows] += v[rows] if per_row else v
        return
    for r in np.flatnonzero(rows):
        top = max(int(exp[r]), 0)
        for a in [dh] + others:
            a[r] = np.ldexp(a[r], int(exp[r]) - top)
        dh[r] += np.ldexp(v[r] if per_row else v, -top)
        exp[r] = top


def add_scaled(dh: np.ndarray, exp: np.ndarray, m: np.ndarray, e: np.ndarray, others: list) -> None:
    """dh * 2**exp += m * 2**e row by row (exp, e: (N,)), at the larger exponent of the two, in place;
    `others` (the lstm's dc) share dh's exponent and are rescaled with it."""
    if not exp.any() and not e.any():
        dh += m
        return
    top = np.where(np.any(dh != 0, axis=1), np.maximum(exp, e), e)
    for a in [dh] + others:
        a[...] = np.ldexp(a, (exp - top)[:, None])
    dh += np.ldexp(m, (e - top)[:, None])
    exp[...] = top


CHUNK = 32
"""Steps a sweep runs before it checks, all at once, the range checks those steps would each have made."""


def sweep(
    tr: Trace,
    w_hh: np.ndarray,
    v: np.ndarray,
    seeds: np.ndarray,
    clipper: StepClipper | None = None,
    inject: tuple[np.ndarray, np.ndarray] | None = None,
    dc_last: np.ndarray | None = None,
    ws: Workspace | None = None,
) -> Deltas:
    """Full backward sweep over all steps, recording every delta.

    seeds: (T, N) bool, row n receives v (or its own row v[n] when v is (N, H)) into dL/dh_t at step t
    (0-based). The trace's rows broadcast against N (a single-sequence trace serves many seed rows).
    inject: (m (T, N, H), e (T, N)), a gradient m * 2**e added to dL/dh_t at every step: what flows down
    from the layer above in a stack (that layer's dL/dx_t), or the loss's own gradient at a layer's outputs.
    dc_last: (N, H), lstm only: a gradient the loss sends into the final cell state c_T (torch's c_n).
    ws: a workspace for the recorded arrays (the result is then valid until the workspace's next use).

    After each step the rows that flow into the step before are brought back near 1 where they left
    [2**-256, 2**256] (`rescale_rows`). Between two steps that add to or clip dL/dh_t, runs of up to CHUNK
    steps first go without those checks and then make them all at once on what each step passed on
    (`rows_in_range`, the same decision row by row); only if one of them would have rescaled a row, or a
    float64 overflow or invalid operation occurred, is the run done again step by step with the checks. So
    every recorded number is the one the step-by-step sweep gives, bit for bit, and a sweep that stays in
    range (most) skips all but one check per run of steps.
    """
    T, N = seeds.shape
    H = w_hh.shape[1]
    G = w_hh.shape[0] // H
    step = STEP_INTO[tr.cell]
    lstm = tr.cell == "lstm"
    rec_dh = scratch(ws, "sweep.dh", (T, N, H))  # holds what flows into each step, then its total dL/dh_t
    rec_dc = scratch(ws, "sweep.dc", (T, N, H)) if lstm else None
    carried_dc = scratch(ws, "sweep.carried_dc", (T, N, H)) if lstm else None  # dL/dc_t from t + 1 on
    dpre = scratch(ws, "sweep.dpre", (T, N, G * H))
    rec_exp = np.empty((T, N), dtype=np.int64)
    clipped = np.zeros((T, N), dtype=bool)
    exp = np.zeros(N, dtype=np.int64)
    tmp, wide = np.empty((N, H)), np.empty((N, G * H))
    rec_dh[-1] = 0.0
    if lstm:
        carried_dc[-1] = 0.0 if dc_last is None else dc_last
    seeded = seeds.any(axis=1)
    adds = seeded | (inject is not None or clipper is not None)  # steps whose dL/dh_t is added to or clipped

    def propagate(s: int) -> None:
        """Step s: its dpre (and total dL/dc_s) and what flows into step s - 1, recorded."""
        before = s - 1 if s else None
        step(
            tr,
            w_hh,
            s,
            rec_dh[s],
            carried_dc[s] if lstm else None,
            dpre[s],
            rec_dc[s] if lstm else None,
            None if before is None else rec_dh[before],
            None if before is None or not lstm else carried_dc[before],
            tmp,
            wide,
        )

    def passed_on(lo: int, hi: int) -> list[np.ndarray]:
        """What flowed into steps lo..hi-1, as each step's rescale_rows saw it."""
        return [rec_dh[lo:hi], carried_dc[lo:hi]] if lstm else [rec_dh[lo:hi]]

    t = T - 1
    while t >= 0:
        dh = rec_dh[t]
        others = [carried_dc[t]] if lstm else []
        if inject is not None:
            add_scaled(dh, exp, inject[0][t], inject[1][t], others)
        if seeded[t]:
            add_seed(dh, exp, seeds[t], v, others)
        if clipper is not None:
            clipped[t], exp = clipper(dh, exp, lstm)
        # steps t, t - 1, ..., u, of which none but t adds to or clips dL/dh
        u = t
        while u > 0 and t - u + 1 < CHUNK and not adds[u - 1]:
            u -= 1
        rec_exp[u : t + 1] = exp
        if u == t or not _unchecked(propagate, t, u, passed_on):
            for s in range(t, u - 1, -1):
                rec_exp[s] = exp
                propagate(s)
                if s:
                    rescale_rows([rec_dh[s - 1], carried_dc[s - 1]] if lstm else [rec_dh[s - 1]], exp)
        t = u - 1
    return Deltas(rec_dh, rec_dc, dpre, rec_exp, clipped)


def _unchecked(propagate: Callable[[int], None], t: int, u: int, passed_on) -> bool:
    """Steps t down to u without range checks; whether each check would have left its rows as they were (and
    nothing overflowed), so that what they recorded is what the step-by-step sweep records."""
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            for s in range(t, u - 1, -1):
                propagate(s)
    except FloatingPointError:
        return False
    return rows_in_range(passed_on(max(u - 1, 0), t))


def seeds_for_loss(loss: str, T: int, N: int) -> np.ndarray:
    """Where v enters: L = v . h_T ("last") or L = sum_t v . h_t ("all"), for each of N sequences."""
    seeds = np.zeros((T, N), dtype=bool)
    if loss == "last":
        seeds[-1] = True
    else:
        seeds[:] = True
    return seeds


@dataclass
class ScaledGrads:
    """Parameter gradients as mantissas and one exponent each: true grad = m * 2**exp."""

    m: dict[str, np.ndarray]
    exp: dict[str, int]

    def values(self) -> dict[str, np.ndarray]:
        """Plain float64 values, NaN where beyond float64."""
        return {k: to_float(a, np.int64(self.exp[k])) for k, a in self.m.items()}


def _weighted_sum(rows: np.ndarray, exp: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Bring (T, N, ...) rows with exponents (T, N) to one common exponent: (rows', weights, top)."""
    top = int(exp.max())
    if top == 0 and not exp.any():
        return rows, None, 0
    w = np.ldexp(1.0, (exp - top))
    return rows * w[..., None], w, top


def param_grads(
    tr: Trace, p: Params, d: Deltas, ws: Workspace | None = None, grad_x: bool = True
) -> tuple[ScaledGrads, np.ndarray | None]:
    """Gradients of the batch-mean loss w.r.t. weight_ih, weight_hh, bias_ih, bias_hh, and dL/dx of
    sequence 0 ((T, I), NaN beyond float64; None when grad_x is False). One matrix product each over all
    steps and sequences."""
    T, N, GH = d.dpre.shape
    H = tr.h.shape[-1]
    d_ih = input_side_delta(tr, d.dpre, d.dh, ws)
    h_prev, h_exp_prev = tr.h_prev(ws)
    dhh, _, e_hh = _weighted_sum(d.dpre, d.exp + h_exp_prev)
    dih, _, e_ih = _weighted_sum(d_ih, d.exp)
    m = {
        "weight_ih": dih.reshape(-1, GH).T @ tr.x.reshape(-1, tr.x.shape[-1]) / N,
        "weight_hh": dhh.reshape(-1, GH).T @ h_prev.reshape(-1, H) / N,
        "bias_ih": dih.reshape(-1, GH).sum(axis=0) / N,
    }
    if d_ih is d.dpre:  # rnn, lstm: input and hidden side share their delta, so both biases the same sum
        m["bias_hh"], e_b = m["bias_ih"].copy(), e_ih
    else:
        dpre_b, _, e_b = _weighted_sum(d.dpre, d.exp)
        m["bias_hh"] = dpre_b.reshape(-1, GH).sum(axis=0) / N
    exp = {"weight_ih": e_ih, "weight_hh": e_hh, "bias_ih": e_ih, "bias_hh": e_b}
    x_grad = to_float(d_ih[:, 0] @ p.weight_ih, d.exp[:, 0]) if grad_x else None
    return ScaledGrads(m, exp), x_grad


def input_grad(tr: Trace, p: Params, d: Deltas) -> tuple[np.ndarray, np.ndarray]:
    """dL/dx_t of every step and sequence as (mantissas (T, N, I), exponents (T, N)): backprop into the
    layer's input through W_ih. In a stack this is what flows into the layer below."""
    return input_side_delta(tr, d.dpre, d.dh) @ p.weight_ih, d.exp
