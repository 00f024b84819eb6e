"""Gradient Flow Lab: exact gradient flow through recurrent networks.

    import gradflow
    result = gradflow.simulate(cell="lstm", seq_len=200, forget_bias=1.0)
    result.grad_h_log10_norm          # NumPy, log10 |dL/dh_t| for t = 1..T, exact past float64
    result.figures()["norms"]         # a plotly Figure
    for event in gradflow.train(cell="gru", task="adding", steps=300):
        ...

`import gradflow` stays light: the library, NumPy core, plotly and the web service load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "simulate": "gradflow.library.run",
    "train": "gradflow.library.run",
    "sweep": "gradflow.library.run",
    "training_figures": "gradflow.library.run",
    "InvalidRequest": "gradflow.library.run",
    "SimulationResult": "gradflow.library.result",
    "watch": "gradflow.watching.capture",
    "load_run": "gradflow.library.run_result",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'gradflow' has no attribute {name!r}")
