"""The plain types the core passes around: one layer's weights (`Params`) and a checked set of explicit weights
(`Weights`). Imports nothing of the core, so the cells, the stack and the initialiser can share them without
importing each other.

Layout (PyTorch's): weight_ih (G*H, I), weight_hh (G*H, H), bias_ih (G*H,), bias_hh (G*H,), gate blocks stacked
in row order (lstm i, f, g, o; gru r, z, n).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Params:
    """Trainable weights of one layer, PyTorch's names and shapes."""

    weight_ih: np.ndarray
    weight_hh: np.ndarray
    bias_ih: np.ndarray
    bias_hh: np.ndarray

    NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")

    def as_dict(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in self.NAMES}


@dataclass
class Weights:
    """Checked weights in PyTorch's layout, bottom layer first, and what was made of the given arrays
    (core/weights.py's `from_arrays` builds them)."""

    layers: list[Params]
    readout: np.ndarray | None
    recognised: dict[str, str] = field(default_factory=dict)  # given name -> PyTorch name it became
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    inferred: dict[str, object] = field(default_factory=dict)  # shape fields read from the arrays, not the request
