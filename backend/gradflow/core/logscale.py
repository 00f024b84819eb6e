"""Exact magnitudes beyond float64's range.

Backpropagation is linear in the seed gradient, so a row of deltas can be carried as a mantissa m (kept
near 1) and an integer power-of-two exponent e: the true value is m * 2**e. Rescaling by a power of two
is exact in binary floating point, so nothing is lost; log10|m * 2**e| = log10|m| + e * log10(2) is then
finite and exact however far outside [1e-308, 1e308] the true value lies.
"""

from __future__ import annotations

import numpy as np

LOG10_2 = float(np.log10(2.0))
HIGH = 2.0**256
LOW = 2.0**-256
SQ_HIGH = 2.0**400
SQ_LOW = 2.0**-400


def rescale_rows(arrays: list[np.ndarray], exp: np.ndarray, floor: bool = True) -> bool:
    """Bring each row's largest magnitude (over all arrays) back near 1, in place, updating exp.

    arrays: same-shaped (N, ...) mantissas sharing one exponent per row, exp: (N,) int64. Rows that are
    exactly zero stay as they are. With floor=False only large rows are rescaled (used by forwards that
    never shrink). A no-op (one dot product) when every row is inside [2**-256, 2**256]. Returns whether
    any row was rescaled.
    """
    n = len(exp)
    if floor and _all_rows_in_range(arrays, n):
        return False
    peak, out_of_range = _peaks(arrays, n, floor)
    if not out_of_range.any():
        return False
    rows = np.flatnonzero(out_of_range)
    shift = np.frexp(peak[rows])[1].astype(np.int64)
    for a in arrays:
        a[rows] = np.ldexp(a[rows], -shift.reshape((-1,) + (1,) * (a.ndim - 1)))
    exp[rows] += shift
    return True


def rows_in_range(arrays: list[np.ndarray]) -> bool:
    """Whether `rescale_rows` (floor=True) would leave every row as it is, for same-shaped (..., H) arrays
    whose rows (every leading index) each have their own exponent: the checks of many steps of a sweep at
    once. The same decision, row by row, as rescale_rows makes."""
    flats = [a.reshape(-1, a.shape[-1]) for a in arrays]
    n = len(flats[0])
    return _all_rows_in_range(flats, n) or not _peaks(flats, n, True)[1].any()


def _peaks(arrays: list[np.ndarray], n: int, floor: bool) -> tuple[np.ndarray, np.ndarray]:
    """Each row's largest magnitude over all arrays, and which rows rescale_rows brings back (NaN: none)."""
    peak = np.abs(arrays[0]).reshape(n, -1).max(axis=1)
    for a in arrays[1:]:
        np.maximum(peak, np.abs(a).reshape(n, -1).max(axis=1), out=peak)
    out_of_range = peak > HIGH
    if floor:
        out_of_range |= (peak < LOW) & (peak > 0.0)
    return peak, out_of_range


def _all_rows_in_range(arrays: list[np.ndarray], n: int) -> bool:
    """Fast check by sums of squares: one in (2**-400, 2**400) puts every element of the row below
    2**200 and its largest above 2**-200 / sqrt(size), inside [LOW, HIGH] for any real size. An
    overflowing square only sends the row to the exact check."""
    if n == 1:  # the common case: BLAS dot products, compared as Python floats
        sq = 0.0
        for a in arrays:
            flat = a.reshape(-1)
            sq += float(flat @ flat)
        return SQ_LOW < sq < SQ_HIGH
    flats = [a.reshape(n, -1) for a in arrays]
    with np.errstate(over="ignore"):
        sq = np.einsum("ij,ij->i", flats[0], flats[0])
        for f in flats[1:]:
            sq += np.einsum("ij,ij->i", f, f)
    return bool(sq.min() > SQ_LOW and sq.max() < SQ_HIGH)


def norm2(a: np.ndarray) -> float:
    """2-norm whose squares neither overflow nor underflow: plain np.linalg.norm while the largest element
    is comfortably inside float64, else max|a| * |a / max|a||. inf or NaN only when the norm itself is
    beyond float64 or a is not finite."""
    with np.errstate(over="ignore", invalid="ignore"):
        peak = float(np.abs(a).max()) if a.size else 0.0
    if not np.isfinite(peak) or 1e-150 < peak < 1e150 or peak == 0.0:
        with np.errstate(over="ignore", invalid="ignore"):
            return float(np.linalg.norm(a))
    with np.errstate(over="ignore"):
        return peak * float(np.linalg.norm(a / peak))


def to_float(m: np.ndarray, exp: np.ndarray) -> np.ndarray:
    """m * 2**exp as float64, NaN where the true value is beyond float64 (JSON null downstream).

    exp broadcasts against m's leading axes (one exponent per row).
    """
    exp = np.asarray(exp)
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.ldexp(m, exp.reshape(exp.shape + (1,) * (m.ndim - exp.ndim)))
    out[~np.isfinite(out)] = np.nan
    return out


def log10_abs(m: np.ndarray, exp: np.ndarray) -> np.ndarray:
    """log10|m * 2**exp| elementwise, exact at any magnitude; NaN for an exact zero."""
    exp = np.asarray(exp)
    with np.errstate(divide="ignore"):
        out = np.log10(np.abs(m)) + LOG10_2 * exp.reshape(exp.shape + (1,) * (m.ndim - exp.ndim))
    out[np.isneginf(out)] = np.nan
    return out


def log10_norm(m: np.ndarray, exp: np.ndarray, scratch: np.ndarray | None = None) -> np.ndarray:
    """log10 of the 2-norm over the last axis of m * 2**exp; NaN for an exact zero row. scratch: an array of
    m's shape to hold the squares (else one is allocated)."""
    if m.dtype == np.float64:  # np.linalg.norm's own sum of squares, without its copy for the complex conjugate
        norm = np.sqrt(np.add.reduce(np.multiply(m, m, out=scratch), axis=-1))
    else:
        norm = np.linalg.norm(m, axis=-1)
    with np.errstate(divide="ignore"):
        out = np.log10(norm) + LOG10_2 * np.asarray(exp)
    out[np.isneginf(out)] = np.nan
    return out


def log10_hypot(log10_values: np.ndarray, axis: int) -> np.ndarray:
    """log10 sqrt(sum 10**(2 x)) along `axis`: the 2-norm of values given by their log10, at any magnitude.
    NaN entries (exact zeros) count as zero; NaN where every entry is."""
    top = np.nanmax(np.where(np.isnan(log10_values), -np.inf, log10_values), axis=axis, keepdims=True)
    safe = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        out = 0.5 * np.log10(np.nansum(10.0 ** (2.0 * (log10_values - safe)), axis=axis)) + np.squeeze(safe, axis)
    return np.where(np.isfinite(np.squeeze(top, axis)), out, np.nan)


def pow10(log10_value: np.ndarray | float) -> np.ndarray:
    """10**x, NaN where that is beyond float64 (so it becomes null, never Infinity)."""
    with np.errstate(over="ignore"):
        out = np.power(10.0, np.asarray(log10_value, dtype=np.float64))
    return np.where(np.isfinite(out), out, np.nan)
