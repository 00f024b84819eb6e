"""Single numbers and plain-language warnings read off a run."""

from __future__ import annotations

import numpy as np

HORIZON_DROP = 3.0  # memory horizon: how far back the gain stays within 10**-3 of its value at the loss


def memory_horizon(log10_norm: np.ndarray) -> int | None:
    """Steps back from the last step over which log10|dL/dh_t| stays above its value at t = T minus 3.

    log10_norm: (T,) for t = 1..T (NaN = exact zero). None when it never drops that far within the
    sequence (the memory reaches past its start).
    """
    g = log10_norm[::-1]  # g[n] = n steps back from the loss
    below = ~(g >= g[0] - HORIZON_DROP)  # NaN (exact zero) counts as below
    if np.isnan(g[0]):
        return 0
    hits = np.flatnonzero(below)
    return int(hits[0] - 1) if hits.size else None


def step_ranges(mask: np.ndarray) -> str:
    """'3-7, 12' for a (T,) bool mask over 1-based steps."""
    idx = np.flatnonzero(mask) + 1
    if idx.size == 0:
        return ""
    parts, start, prev = [], idx[0], idx[0]
    for i in idx[1:]:
        if i != prev + 1:
            parts.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = i
        prev = i
    parts.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ", ".join(parts)


def saturation_warnings(
    cell: str, activation: str, hidden: np.ndarray, gates: dict, pre_rnn: np.ndarray | None
) -> list[str]:
    """Saturated tanh/sigmoid units and dead relu units (sequence 0), which silence gradients."""
    out = []
    if cell == "rnn" and activation == "tanh":
        frac = float(np.mean(np.abs(hidden) > 0.99))
        if frac > 0.25:
            out.append(
                f"{frac:.0%} of tanh activations are saturated (|h| > 0.99): their derivative is "
                "below 0.02, so gradients through them almost vanish"
            )
    if cell == "rnn" and activation == "relu" and pre_rnn is not None:
        dead = int(np.sum((pre_rnn <= 0).all(axis=0)))
        if dead:
            out.append(
                f"{dead} of {hidden.shape[1]} relu units are dead (never positive) over the whole "
                "sequence: no gradient passes through them"
            )
    for name, g in gates.items():
        if name in ("g", "n"):
            frac = float(np.mean(np.abs(g) > 0.99))
        else:
            frac = float(np.mean((g < 0.01) | (g > 0.99)))
        if frac > 0.5:
            out.append(
                f"gate {name}: {frac:.0%} of its activations are saturated, so its derivative is nearly zero there"
            )
    return out
