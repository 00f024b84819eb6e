"""Activations with their value and derivative side by side.

`grad` takes the activation's *output* y (not its input), which is what the backward pass has cached:
tanh'(a) = 1 - y^2, sigmoid'(a) = y (1 - y). relu and linear take the pre-activation sign instead, since
their output alone does not say whether the unit was on (relu(0) = 0 either way). The linear activation
is the identity with derivative 1, so the cells simply skip it rather than call a no-op.
"""

from __future__ import annotations

import numpy as np


def tanh(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    return np.tanh(a, out=out)


def tanh_grad(y: np.ndarray) -> np.ndarray:
    return 1.0 - y * y


def sigmoid(a: np.ndarray) -> np.ndarray:
    # Written with tanh so it never overflows in exp for large |a|: sigma(a) = (1 + tanh(a/2)) / 2.
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def sigmoid_grad(y: np.ndarray) -> np.ndarray:
    return y * (1.0 - y)


def relu(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    return np.maximum(a, 0.0, out=out)


def relu_grad(a: np.ndarray) -> np.ndarray:
    """Derivative from the pre-activation: 1 where a > 0, else 0 (PyTorch's choice at a = 0)."""
    return (a > 0.0).astype(np.float64)
