"""Arrays kept from one call to the next, so a loop that repeats the same forward and backward (training: one
per step, same shapes every time) does not allocate its large arrays anew each time.

A fresh (T, N, 4H) float64 array is about 1.6 MB at T = 50, N = 32, H = 32: above the C allocator's threshold,
so it is mapped and faulted in page by page on first touch and handed back on free. Measured here, one such
temporary cost more than the arithmetic on it (docs/benchmarks.md, "Training").

Whatever a forward, sweep or gradient computed in a workspace returns (a Trace, Deltas) lives in its arrays:
it is valid until the next call that uses the same workspace. Without a workspace (`ws=None`, the default
everywhere) every call allocates, as before.
"""

from __future__ import annotations

import numpy as np


class Workspace:
    """Named scratch arrays, made on first use and remade only when the shape or dtype asked for changes."""

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def array(self, name: str, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
        """The array kept under `name`, uninitialised (what the previous call left in it)."""
        a = self._arrays.get(name)
        if a is None or a.shape != shape or a.dtype != dtype:
            a = self._arrays[name] = np.empty(shape, dtype)
        return a


def scratch(ws: Workspace | None, name: str, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
    """An uninitialised array: the workspace's under `name`, or a new one without a workspace."""
    return np.empty(shape, dtype) if ws is None else ws.array(name, shape, dtype)


LOCAL_BLOCK = 40_000
"""About this many gate values (steps x N x G*H) between two computations of the lstm's and gru's local
derivatives (cells.py): whole arrays of those steps, while their gates are still in cache (10 steps of the
training benchmark's lstm), and few enough calls when a step is small (N = 1)."""


def block_steps(N: int, width: int) -> int:
    """Steps per block of local derivatives, for steps of N rows of `width` gate values."""
    return max(1, LOCAL_BLOCK // (N * width))
