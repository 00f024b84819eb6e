"""Eigenvalues and singular values of the recurrent weights, one H x H gate block at a time.

For a linear rnn dL/dh_{t-1} = W_hh^T dL/dh_t, so the spectral radius sets the long-run growth rate of
the gradient and the largest singular value bounds the growth of any single step.
"""

from __future__ import annotations

import numpy as np

from .config import GATES


def block_spectrum(w: np.ndarray) -> dict:
    """eigenvalues (H, 2) as [re, im] sorted by modulus (largest first), spectral radius, max singular value."""
    ev = np.linalg.eigvals(w)
    ev = ev[np.argsort(-np.abs(ev), kind="stable")]
    return {
        "eigenvalues": np.stack([ev.real, ev.imag], axis=1),
        "spectral_radius": float(np.abs(ev).max()),
        "max_singular_value": float(np.linalg.norm(w, 2)),
    }


def spectrum(cell: str, weight_hh: np.ndarray) -> dict:
    H = weight_hh.shape[1]
    blocks = {name: block_spectrum(weight_hh[k * H:(k + 1) * H]) for k, name in enumerate(GATES[cell])}
    return {
        "blocks": blocks,
        "spectral_radius": max(b["spectral_radius"] for b in blocks.values()),
        "max_singular_value": max(b["max_singular_value"] for b in blocks.values()),
    }
