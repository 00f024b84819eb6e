"""Rounding an answer's arrays for the wire (the request's `digits`), vectorised, at encode time.

The core computes in float64 and stays exact; a client that asked for `digits` gets every float array
rounded so that orjson writes the short decimal (`0.1234` instead of `0.12340519843010317`):

- values (hidden states, gates, gradients, norms, eigenvalues, ...): `digits` significant digits;
- arrays of logarithms (every key path containing `log10`, e.g. `grad_h_log10_abs`, `flow.log10_norm`):
  `digits` decimal places. A log10's error is an error in the exponent, so this keeps the quantity it
  stands for to a relative 10**-digits * ln(10) / 2 wherever it lies, even far beyond float64's range.

Scalars (loss, spectral radius, clipping figures) stay exact. Non-finite elements stay as they are (orjson
writes `null`), zeros stay zero. An element is left exact where rounding would leave float64 (a log10
beyond 2**53 / 10**digits; the largest doubles rounding up past the maximum). `digits` = 17 leaves the
answer exact: 17 significant digits tell every float64 apart. Subnormal and huge magnitudes are scaled in
long double, so nothing overflows and nothing warns.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradflow.models.bounds import EXACT_DIGITS  # rounding to these 17 digits leaves every float64 as it is

_POW10 = tuple(float(10**k) for k in range(23))
"""10**0 .. 10**22, every one exact in float64: scaling by them is exact-then-once-rounded."""
_POW10_ARRAY = np.array(_POW10)
_POW10_ARRAY.setflags(write=False)
_EXACT_INTEGER = 2.0**53
_WIDE_K = 400
_WIDE_POW10 = np.power(np.longdouble(10), np.arange(-_WIDE_K, _WIDE_K + 1).astype(np.longdouble))
"""10**-400 .. 10**400 in long double (read-only): |k| stays below 17 + 324 for every float64."""
_WIDE_POW10.setflags(write=False)


def round_answer(content: dict[str, Any], digits: int) -> dict[str, Any]:
    """A copy of the core's answer with every float array rounded for `digits` (see the module doc);
    `content` itself when `digits` asks for every float64 exact."""
    return content if digits >= EXACT_DIGITS else _walk(content, digits, log=False)


LOG10_FIELDS = ("depth_flow",)
"""Fields of log10 figures whose names do not say so."""


def _walk(value: Any, digits: int, log: bool) -> Any:
    if isinstance(value, dict):
        return {key: _walk(item, digits, log or "log10" in key or key in LOG10_FIELDS) for key, item in value.items()}
    if isinstance(value, list):  # a stack's `layers`
        return [_walk(item, digits, log) for item in value]
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return round_decimals(value, digits) if log else round_significant(value, digits)
    return value


def round_significant(x: np.ndarray, digits: int) -> np.ndarray:
    """`x` with each finite non-zero element rounded to `digits` significant digits."""
    out = np.array(x, dtype=np.float64, order="C")
    mask = np.isfinite(out) & (out != 0)
    v = out[mask]
    # k = decimal places that leave `digits` significant ones
    k = digits - 1 - np.floor(np.log10(np.abs(v))).astype(np.int64)
    with np.errstate(over="ignore"):  # the largest doubles may round up past float64: kept exact below
        m, rounded = _round_at(v, k)
        # log10 can be off by one next to a power of ten: those few are redone one place over
        off = np.flatnonzero((np.abs(m) < _POW10[digits - 1]) | (np.abs(m) > _POW10[digits]))
        if off.size:
            k[off] += np.where(np.abs(m[off]) < _POW10[digits - 1], 1, -1)
            rounded[off] = _round_at(v[off], k[off])[1]
    out[mask] = np.where(np.isfinite(rounded), rounded, v)
    return out


def round_decimals(x: np.ndarray, digits: int) -> np.ndarray:
    """`x` with each finite element rounded to `digits` decimal places (exact where float64 cannot)."""
    out = np.array(x, dtype=np.float64, order="C")
    if digits > len(_POW10) - 1:
        return out
    scale = _POW10[digits]
    mask = np.isfinite(out) & (np.abs(out) < _EXACT_INTEGER / scale)
    out[mask] = np.rint(out[mask] * scale) / scale
    return out


def _round_at(v: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(m, m / 10**k) with m = v * 10**k rounded to an integer, per element.

    For |k| <= 22 by one multiplication or division by an exact power of ten each way, so m / 10**k is
    correctly rounded: the float64 nearest the short decimal, which orjson then prints as such. Beyond (k
    reaches about +-340 for subnormal and huge values) in numpy's long double, whose range holds every such
    product; where that is 80-bit the result is almost always the nearest double too, and where it is plain
    float64 it is within an ulp or two (right, only longer to print).
    """
    near = np.abs(k) <= 22
    if near.all():
        return _round_near(v, k)
    m, rounded = np.empty_like(v), np.empty_like(v)
    m[near], rounded[near] = _round_near(v[near], k[near])
    far = ~near
    wide_m = np.rint(v[far].astype(np.longdouble) * _WIDE_POW10[k[far] + _WIDE_K])
    m[far] = wide_m.astype(np.float64)
    rounded[far] = (wide_m * _WIDE_POW10[_WIDE_K - k[far]]).astype(np.float64)
    return m, rounded


def _round_near(v: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = _POW10_ARRAY[np.abs(k)]
    up = k >= 0
    m = np.empty_like(v)
    np.multiply(v, scale, out=m, where=up)
    np.divide(v, scale, out=m, where=~up)
    np.rint(m, out=m)
    rounded = np.empty_like(v)
    np.divide(m, scale, out=rounded, where=up)
    np.multiply(m, scale, out=rounded, where=~up)
    return m, rounded
