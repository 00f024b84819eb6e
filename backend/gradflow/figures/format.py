"""Numbers as the page writes them (frontend/js/lib/format.js): log10 with 3 decimals, magnitudes as
'3.16e+412' even past float64, gates with 4 decimals. Pure: numbers in, strings out."""

from __future__ import annotations

import math

import numpy as np


def format_sig(x: float, digits: int) -> str:
    """x to `digits` significant digits, as JavaScript's toPrecision writes it: 0.123456, 3 -> '0.123'."""
    if not math.isfinite(x):
        return str(x)
    mant, e = f"{x:.{digits - 1}e}".split("e")  # the exponent after rounding: 9.999 -> 1.00e+1
    exp = int(e)
    if exp < -6 or exp >= digits:
        return f"{mant}e{exp:+d}"
    return f"{x:.{max(0, digits - 1 - exp)}f}"


def fmt(x: float | None) -> str:
    """Four significant digits, or 'beyond float64' for a null (NaN) value."""
    if x is None or not math.isfinite(x):
        return "beyond float64"
    return format_sig(x, 4)


def format_log10(log10: float | None) -> str:
    """A magnitude given as its log10, written so it reads right past float64: 412.5 -> '3.16e+412'.
    NaN (an exact zero in a log10 field) is '0 (exact)'."""
    if log10 is None or not math.isfinite(log10):
        return "0 (exact)"
    exp = math.floor(log10)
    mant = 10.0 ** (log10 - exp)
    if mant >= 9.995:  # rounding the mantissa would reach 10.00
        return f"1.00e{exp + 1:+d}"
    return f"{mant:.2f}e{exp:+d}"


def horizon_text(horizon: int | None, seq_len: int) -> str:
    """The memory horizon in words: '12 steps', or beyond the sequence for None."""
    if horizon is None:
        return f"beyond the sequence (all {seq_len} steps)"
    return f"{horizon} step{'' if horizon == 1 else 's'}"


def norm_hover(log10s: np.ndarray, beyond: np.ndarray, label: str, first_step: int = 1) -> list[str]:
    """Hover text per point of a norm series (length T): the step, the exact magnitude (marked when past
    float64) and its log10 with 3 decimals, as the page's normHover."""
    past = set(int(k) for k in beyond)
    out = []
    for k, lg in enumerate(log10s):
        value = format_log10(lg) + (" (beyond float64)" if k in past else "")
        shown = "none (zero)" if not math.isfinite(lg) else f"{lg:.3f}"
        out.append(f"t = {k + first_step}<br>{label} = {value}<br>log10 = {shown}")
    return out
