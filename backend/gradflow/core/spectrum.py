"""Eigenvalues and singular values of the recurrent weights, one H x H gate block at a time.

For a linear rnn dL/dh_{t-1} = W_hh^T dL/dh_t, so the spectral radius sets the long-run growth rate of
the gradient and the largest singular value bounds the growth of any single step.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .config import GATES, SimConfig
from .init import make_params, stream


def block_spectrum(w: np.ndarray) -> dict:
    """eigenvalues (H, 2) as [re, im] sorted by modulus (largest first), spectral radius, max singular value.

    Computed for w scaled by a power of two to largest entry in [0.5, 1), then scaled back, exactly: LAPACK's
    dgeev rescales a matrix whose norm is past about 1.5e138 (or below 6.7e-139) itself, and in the numpy and
    OpenBLAS here that path returns wrong eigenvalues (off by 100 % at 1e139, by 1e61 at 1e-200; tests check).
    A value that does not fit float64 once scaled back is NaN (a null, which the answer's warnings name)."""
    largest = float(np.max(np.abs(w))) if w.size else 0.0
    exponent = int(np.frexp(largest)[1]) if np.isfinite(largest) and largest > 0 else 0
    unit = np.ldexp(w, -exponent)
    ev = np.linalg.eigvals(unit)
    ev = ev[np.argsort(-np.abs(ev), kind="stable")]
    with np.errstate(over="ignore"):
        pairs = np.ldexp(np.stack([ev.real, ev.imag], axis=1), exponent)
        radius = np.ldexp(np.abs(ev).max(), exponent) if ev.size else 0.0
        singular = np.ldexp(np.linalg.norm(unit, 2), exponent)
    return {
        "eigenvalues": _nan_past_float64(pairs),
        "spectral_radius": float(_nan_past_float64(radius)),
        "max_singular_value": float(_nan_past_float64(singular)),
    }


def _nan_past_float64(x):
    """x with its infinities (overflowed when scaled back) as NaN, the core's null."""
    return np.where(np.isfinite(x), x, np.nan)


def spectrum(cell: str, weight_hh: np.ndarray) -> dict:
    H = weight_hh.shape[1]
    blocks = {name: block_spectrum(weight_hh[k * H : (k + 1) * H]) for k, name in enumerate(GATES[cell])}
    return {
        "blocks": blocks,
        "spectral_radius": max(b["spectral_radius"] for b in blocks.values()),
        "max_singular_value": max(b["max_singular_value"] for b in blocks.values()),
    }


@lru_cache(maxsize=64)
def _unit_spectrum(cell: str, init: str, hidden_size: int, seed: int) -> dict:
    cfg = SimConfig(cell=cell, init=init, hidden_size=hidden_size, seed=seed, recurrent_scale=1.0)
    return spectrum(cell, make_params(cfg, stream(seed, "weights")).weight_hh)


def spectrum_of(cfg: SimConfig) -> dict:
    """spectrum() of cfg's W_hh, which is s * (a matrix fixed by cell, init, H and seed): the eigen-
    decomposition of that matrix is computed once and scaled by s, so moving the recurrent scale (the
    page's main slider) costs nothing. Equal to spectrum(cell, W_hh) to rounding (tests check)."""
    unit = _unit_spectrum(cfg.cell, cfg.init, cfg.hidden_size, cfg.seed)
    s = cfg.recurrent_scale

    def scaled(d: dict) -> dict:
        return {
            "eigenvalues": d["eigenvalues"] * s,
            "spectral_radius": d["spectral_radius"] * s,
            "max_singular_value": d["max_singular_value"] * s,
        }

    return {
        "blocks": {k: scaled(b) for k, b in unit["blocks"].items()},
        "spectral_radius": unit["spectral_radius"] * s,
        "max_singular_value": unit["max_singular_value"] * s,
    }
