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
SAFE_NORM = 1e-145
"""A plain 2-norm above this (and finite) is accurate: its sum of squares is a normal float64 above 1e-290,
so squares that underflowed lost less than its rounding."""


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


def norm_exp(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2-norms over the last axis of `a` as (s, e), norm = s * 2**e, without overflow or underflow at any
    magnitude of the entries (LAPACK's dnrm2 and hypot scale likewise).

    A row whose plain np.linalg.norm(axis=-1) is finite and above 1e-145 keeps it, bit for bit, with e = 0:
    no square overflowed, and what underflowed is below its rounding. Any other row is scaled by the power
    of two of its largest magnitude first, which is exact, so its squares are at most 1 and s lies in
    [1/2, sqrt(n)]. An exact zero row gets s = 0; a row holding inf or NaN gets s = inf or NaN.
    """
    a = np.asarray(a, dtype=np.float64)
    rows = a.reshape(-1, a.shape[-1])
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        s = np.linalg.norm(rows, axis=1)
    e = np.zeros(len(rows), dtype=np.int64)
    if s.size and s.min() > SAFE_NORM and s.max() < np.inf:  # the common case: every row is plain
        return s.reshape(a.shape[:-1]), e.reshape(a.shape[:-1])
    risky = np.flatnonzero(~((s > SAFE_NORM) & (s < np.inf)))
    if risky.size:
        peak = np.abs(rows[risky]).max(axis=1) if rows.shape[1] else np.zeros(risky.size)
        risky, peak = risky[(peak > 0.0) & np.isfinite(peak)], peak[(peak > 0.0) & np.isfinite(peak)]
        e[risky] = np.frexp(peak)[1]
        with np.errstate(under="ignore"):
            s[risky] = np.linalg.norm(np.ldexp(rows[risky], -e[risky][:, None]), axis=1)
    return s.reshape(a.shape[:-1]), e.reshape(a.shape[:-1])


def norm2_exp(a: np.ndarray) -> tuple[float, int]:
    """The 2-norm of all of `a` (Frobenius for a matrix) as (s, e), norm = s * 2**e, safe as norm_exp: plain
    np.linalg.norm(a), bit for bit, where that is finite and above 1e-145, else the same on `a` scaled by the
    power of two of its largest magnitude."""
    a = np.asarray(a, dtype=np.float64)
    if not a.size:
        return 0.0, 0
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        s = float(np.linalg.norm(a))
    if SAFE_NORM < s < np.inf:
        return s, 0
    with np.errstate(invalid="ignore"):
        peak = float(np.abs(a).max())
    if peak == 0.0 or not np.isfinite(peak):
        return s, 0
    e = int(np.frexp(peak)[1])
    with np.errstate(under="ignore"):
        return float(np.linalg.norm(np.ldexp(a, -e))), e


def norm2(a: np.ndarray) -> float:
    """2-norm of all of `a` whose squares neither overflow nor underflow (norm2_exp). inf only when the norm
    itself is beyond float64, NaN when a holds a NaN."""
    s, e = norm2_exp(a)
    with np.errstate(over="ignore"):
        return float(np.ldexp(s, e))


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
    """log10|m * 2**exp| elementwise, exact at any magnitude; NaN for an exact zero, +inf where m is not
    finite (float64 arithmetic overflowed before the value could be rescaled: no log10 is known)."""
    exp = np.asarray(exp)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log10(np.abs(m)) + LOG10_2 * exp.reshape(exp.shape + (1,) * (m.ndim - exp.ndim))
    out[np.isneginf(out)] = np.nan
    out[~np.isfinite(m)] = np.inf
    return out


def log10_norm(m: np.ndarray, exp: np.ndarray, scratch: np.ndarray | None = None) -> np.ndarray:
    """log10 of the 2-norm over the last axis of m * 2**exp, exact at any magnitude of m and exp (norm_exp:
    no square overflows); NaN for an exact zero row, +inf for a row that is not finite (log10_abs).

    scratch: an array of m's shape for the squares of the common case (else norm_exp allocates its own); the
    sum of squares is np.linalg.norm's own, bit for bit, without its copy for the complex conjugate."""
    s = None
    if scratch is not None and m.dtype == np.float64 and m.size:
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            s = np.sqrt(np.add.reduce(np.multiply(m, m, out=scratch), axis=-1))
        e = 0
        if not (s.min() > SAFE_NORM and s.max() < np.inf):
            s = None
    if s is None:
        s, e = norm_exp(m)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log10(s) + LOG10_2 * (np.asarray(exp) + e)
    out[np.isneginf(out)] = np.nan
    out[np.isnan(s)] = np.inf  # s = inf already gives +inf
    return out


def log10_hypot(log10_values: np.ndarray, axis: int) -> np.ndarray:
    """log10 sqrt(sum 10**(2 x)) along `axis`: the 2-norm of values given by their log10, at any magnitude.
    NaN entries (exact zeros) count as zero; NaN where every entry is; +inf where any entry is +inf (a value
    that is not finite, log10_norm)."""
    top = np.nanmax(np.where(np.isnan(log10_values), -np.inf, log10_values), axis=axis, keepdims=True)
    safe = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 0.5 * np.log10(np.nansum(10.0 ** (2.0 * (log10_values - safe)), axis=axis)) + np.squeeze(safe, axis)
    top = np.squeeze(top, axis)
    return np.where(np.isfinite(top), out, np.where(top == np.inf, np.inf, np.nan))


def pow10(log10_value: np.ndarray | float) -> np.ndarray:
    """10**x, NaN where that is beyond float64 (so it becomes null, never Infinity)."""
    with np.errstate(over="ignore"):
        out = np.power(10.0, np.asarray(log10_value, dtype=np.float64))
    return np.where(np.isfinite(out), out, np.nan)
