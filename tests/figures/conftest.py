"""Answers and training runs the figure tests draw: real runs of the core and the training engine, small
enough to be quick, computed once per session."""

from __future__ import annotations

import numpy as np
import pytest
from gradflow.core.config import SimConfig
from gradflow.core.simulate import simulate
from gradflow.training import TrainConfig, train

EXPLODING = SimConfig(cell="rnn", activation="linear", init="orthogonal", recurrent_scale=2.5, seq_len=800)
"""The page's Exploding preset: the norm grows by 2.5 per step back and passes float64 near t = 24."""


@pytest.fixture(scope="session")
def rnn() -> dict:
    return simulate(SimConfig(cell="rnn", seq_len=40, hidden_size=8))


@pytest.fixture(scope="session")
def lstm() -> dict:
    return simulate(SimConfig(cell="lstm", seq_len=40, hidden_size=8, forget_bias=3.0))


@pytest.fixture(scope="session")
def gru() -> dict:
    return simulate(SimConfig(cell="gru", seq_len=40, hidden_size=8))


@pytest.fixture(scope="session")
def stacked_lstm() -> dict:
    return simulate(SimConfig(cell="lstm", seq_len=30, hidden_size=8, num_layers=3))


@pytest.fixture(scope="session")
def exploding() -> dict:
    return simulate(EXPLODING)


@pytest.fixture(scope="session")
def lstm_run() -> list[dict]:
    """A short real training run: 20 steps, a progress event every 5 (and at step 1), then the summary."""
    cfg = TrainConfig(
        cell="lstm",
        task="adding",
        seq_len=12,
        hidden_size=8,
        batch_size=8,
        steps=20,
        report_every=5,
        clip_mode="norm",
        clip_threshold=1.0,
    )
    return list(train(cfg))


@pytest.fixture(scope="session")
def rnn_run() -> list[dict]:
    return list(
        train(TrainConfig(cell="rnn", task="recall", seq_len=12, hidden_size=8, batch_size=8, steps=20, report_every=5))
    )


@pytest.fixture
def diverging_run() -> list[dict]:
    """A run whose global gradient norm passes float64 at step 2 (3.16e+412, log10 412.5) and that diverges
    at step 3, as the engine reports it (T = 4, NaN or None for null)."""
    T = 4
    ok = {"type": "progress", "metric": 0.2, "clipped": False, "memory_horizon": 2}
    return [
        {
            **ok,
            "step": 1,
            "loss": 0.2,
            "grad_norm": 10.0,
            "grad_norm_log10": 1.0,
            "clipped_grad_norm": 10.0,
            "grad_h_log10_norm": np.arange(T, dtype=float),
        },
        {
            **ok,
            "step": 2,
            "loss": 1e30,
            "grad_norm": np.nan,
            "grad_norm_log10": 412.5,
            "clipped_grad_norm": np.nan,
            "grad_h_log10_norm": np.full(T, 400.0),
            "memory_horizon": None,
        },
        {
            **ok,
            "step": 3,
            "loss": None,
            "grad_norm": None,
            "grad_norm_log10": None,
            "clipped_grad_norm": None,
            "grad_h_log10_norm": None,
            "memory_horizon": None,
        },
        {
            "type": "summary",
            "baseline_loss": 1 / 6,
            "solved": False,
            "solved_at": None,
            "diverged": True,
            "diverged_at": 3,
            "config": {"cell": "rnn", "task": "adding", "seq_len": T, "steps": 10, "clip_mode": "none"},
        },
    ]
