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

EXACT_DIGITS = 17
"""17 significant digits tell every float64 apart: rounding to them is the identity."""

_POW10 = tuple(float(10**k) for k in range(23))
"""10**0 .. 10**22, every one exact in float64: scaling by them is exact-then-once-rounded."""
_EXACT_INTEGER = 2.0**53
_WIDE_K = 400
_WIDE_POW10 = np.power(np.longdouble(10), np.arange(-_WIDE_K, _WIDE_K + 1).astype(np.longdouble))
"""10**-400 .. 10**400 in long double (read-only): |k| stays below 17 + 324 for every float64."""
_WIDE_POW10.setflags(write=False)


def round_answer(content: dict[str, Any], digits: int) -> dict[str, Any]:
    """A copy of the core's answer with every float array rounded for `digits` (see the module doc);
    `content` itself when `digits` asks for every float64 exact."""
    return content if digits >= EXACT_DIGITS else _walk(content, digits, log=False)


def _walk(value: Any, digits: int, log: bool) -> Any:
    if isinstance(value, dict):
        return {key: _walk(item, digits, log or "log10" in key) for key, item in value.items()}
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return round_decimals(value, digits) if log else round_significant(value, digits)
    return value


def round_significant(x: np.ndarray, digits: int) -> np.ndarray:
    """`x` with each finite non-zero element rounded to `digits` significant digits."""
    out = np.array(x, dtype=np.float64, order="C")
    mask = np.isfinite(out) & (out != 0)
    v = out[mask]
    # k = decimal places that leave `digits` significant ones; log10 may be off by one next to a power of ten
    k = digits - 1 - np.floor(np.log10(np.abs(v))).astype(np.int64)
    scaled = np.abs(_times_pow10(v, k))
    k += (scaled < _POW10[digits - 1]).astype(np.int64) - (scaled >= _POW10[digits]).astype(np.int64)
    with np.errstate(over="ignore"):  # the largest doubles may round up past float64: kept exact below
        rounded = _times_pow10(np.rint(_times_pow10(v, k)), -k)
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


def _times_pow10(v: np.ndarray, k: np.ndarray) -> np.ndarray:
    """v * 10**k per element. For |k| <= 22 one multiplication or division by an exact power of ten, so the
    result is correctly rounded (m * 10**-k is then the float64 nearest the short decimal, which orjson
    prints as such). Beyond (k reaches about +-340 for subnormal and huge values) in numpy's long double,
    whose range holds every such product; where that is 80-bit, the result is almost always the nearest
    double too, and where it is plain float64 it is within an ulp or two (right, only longer to print)."""
    near = np.abs(k) <= 22
    exact = np.array(_POW10)[np.abs(np.where(near, k, 0))]
    out = np.where(k >= 0, v * exact, v / exact)
    far = ~near
    if far.any():
        wide = v[far].astype(np.longdouble) * _WIDE_POW10[k[far] + _WIDE_K]
        out[far] = wide.astype(np.float64)
    return out
