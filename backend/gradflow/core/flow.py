"""The gradient-flow matrix: log10 |d(v . h_t')/dh_t| for K loss positions t' and every earlier t.

All K loss positions go through ONE backward sweep as the K rows of a matrix of deltas. Rows are sorted
by t', so at step t the rows still active (t' >= t) are a suffix and the matrix product shrinks as the
sweep goes back in time. Nothing but the norms at the reported steps is kept.
"""

from __future__ import annotations

import numpy as np

from .bptt import add_seed
from .cells import BACKWARD_STEP, Trace
from .logscale import log10_norm, rescale_rows


def loss_positions(T: int, count: int) -> list[int]:
    """`count` loss steps t' = round(j T / count), j = 1..count: evenly strided, the last one T."""
    count = min(count, T)
    return [int(j * T // count) for j in range(1, count + 1)]


def strided_steps(T: int, count: int) -> list[int]:
    """`count` 1-based steps spread evenly over 1..T, always including T (and 1 when count > 1)."""
    count = min(count, T)
    return sorted({int(round(s)) for s in np.linspace(1, T, count)}) if count > 1 else [T]


def flow_log10(tr: Trace, w_hh: np.ndarray, v: np.ndarray, loss_steps: list[int], steps: list[int]) -> np.ndarray:
    """(K, S) log10 norms, row j = loss step loss_steps[j], column k = step steps[k] (1-based, sorted).

    tr is a single-sequence trace (Trace.sequence); NaN where steps[k] > loss_steps[j] or for an exact
    zero.
    """
    T = tr.h.shape[0]
    K, H = len(loss_steps), w_hh.shape[1]
    G = w_hh.shape[0] // H
    step = BACKWARD_STEP[tr.cell]
    lstm = tr.cell == "lstm"
    starts = np.asarray(loss_steps) - 1
    column = {s - 1: k for k, s in enumerate(steps)}
    out = np.full((K, len(steps)), np.nan)
    dh = np.zeros((K, H))
    dc = np.zeros((K, H)) if lstm else None
    exp = np.zeros(K, dtype=np.int64)
    buf = np.empty((K, G * H))
    for t in range(T - 1, -1, -1):
        first = int(np.searchsorted(starts, t))  # rows with t' - 1 >= t
        if first == K:
            continue
        a = slice(first, K)
        seeded = starts[a] == t
        if seeded.any():
            sub_dc = [dc[a]] if lstm else []
            sub_exp = exp[a]
            add_seed(dh[a], sub_exp, seeded, v, sub_dc)
            exp[a] = sub_exp
        if t in column:
            out[a, column[t]] = log10_norm(dh[a], exp[a])
        new_dh, new_dc = step(tr, w_hh, t, dh[a], dc[a] if lstm else None, buf[a])
        dh[a] = new_dh
        if lstm:
            dc[a] = new_dc
        sub_exp = exp[a]
        rescale_rows([dh[a], dc[a]] if lstm else [dh[a]], sub_exp)
        exp[a] = sub_exp
    return out
