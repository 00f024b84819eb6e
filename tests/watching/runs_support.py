"""A watched run made without torch: captures built from NumPy, replayed and written as gradflow.watch would, so
the tests of the run directory, the library, the API and the CLI do not need PyTorch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from gradflow.core.params import Params
from gradflow.watching.replay import Capture, replay
from gradflow.watching.runs import RunWriter

META = {
    "module": "LSTM",
    "cell": "lstm",
    "activation": "tanh",
    "input_size": 3,
    "hidden_size": 4,
    "num_layers": 2,
    "batch_first": False,
    "bias": True,
    "dtype": "float64",
    "every": 10,
    "max_sequences": 2,
    "started": 0.0,
}


def capture(step: int, seed: int = 0, T: int = 6, N: int = 3) -> Capture:
    rng = np.random.default_rng(seed + step)
    H, I, L = META["hidden_size"], META["input_size"], META["num_layers"]
    layers = [
        Params(
            rng.standard_normal((4 * H, I if k == 0 else H)) * 0.5,
            rng.standard_normal((4 * H, H)) * 0.5,
            rng.standard_normal(4 * H) * 0.1,
            rng.standard_normal(4 * H) * 0.1,
        )
        for k in range(L)
    ]
    return Capture(
        step=step,
        cell="lstm",
        activation="tanh",
        layers=layers,
        x=rng.standard_normal((T, N, I)),
        h0=None,
        c0=None,
        d_out=rng.standard_normal((T, N, H)),
        d_h_last=np.zeros((L, N, H)),
        d_c_last=np.zeros((L, N, H)),
        dtype="float64",
        watched=META["max_sequences"],
    )


def write_run(logdir: Path, name: str = "exp1", steps: tuple[int, ...] = (0, 10, 20)) -> Path:
    """A finished run `logdir/name` with a snapshot at each of `steps` and a loss logged at every step."""
    writer = RunWriter(logdir / name, META)
    for step in range(max(steps) + 1):
        writer.scalars({"step": step, "time": 0.0, "loss": 1.0 / (step + 1), "lr": 0.01})
        if step in steps:
            writer.snapshot(replay(capture(step)) | {"scalars": None, "dropped": 0})
    writer.close()
    return logdir / name
