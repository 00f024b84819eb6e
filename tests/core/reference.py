"""A deliberately naive, step-by-step forward pass used as the tests' reference.

Written straight from PyTorch's equations (docs/api.md), one sequence at a time, with hooks
that add a perturbation to h_t or c_t right after it is computed, so central finite differences give the
total derivatives dL/dh_t and dL/dc_t that BPTT must reproduce.
"""

from __future__ import annotations

import numpy as np
from gradflow.core.config import SimConfig
from gradflow.core.init import make_run

CASES = [
    ("rnn", "tanh"),
    ("rnn", "relu"),
    ("rnn", "linear"),
    ("lstm", "tanh"),
    ("gru", "tanh"),
]
SHAPES = [  # (T, H, I, B, seed)
    (1, 3, 2, 1, 0),
    (5, 3, 2, 2, 1),
    (7, 4, 3, 3, 2),
]
"""The cells, activations and shapes the forward (test_cells.py) and the backward (test_bptt.py) are checked on."""


def seeded_run(cell, activation, loss, T, H, I, B, seed):
    """(cfg, params, v, x) of a seeded one-layer run: gaussian W_hh at scale 1.3, forget bias 0.5."""
    cfg = SimConfig(
        cell=cell,
        activation=activation,
        seq_len=T,
        hidden_size=H,
        input_size=I,
        batch_size=B,
        seed=seed,
        loss=loss,
        init="gaussian",
        recurrent_scale=1.3,
        forget_bias=0.5,
    )
    (params,), v, x = make_run(cfg)
    return cfg, params, v, x


def sigma(a):
    return 1.0 / (1.0 + np.exp(-a))


def run(cell, activation, p, x, v, loss, dh=None, dc=None):
    """Loss of one sequence x (T, I); dh/dc: optional {t: (H,) perturbation} (0-based t)."""
    dh, dc = dh or {}, dc or {}
    H = p["weight_hh"].shape[1]
    h, c = np.zeros(H), np.zeros(H)
    total = 0.0
    hs = []
    for t in range(x.shape[0]):
        gi = p["weight_ih"] @ x[t] + p["bias_ih"]
        gh = p["weight_hh"] @ h + p["bias_hh"]
        if cell == "rnn":
            a = gi + gh
            h = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0), "linear": lambda z: z}[activation](a)
        elif cell == "lstm":
            a = gi + gh
            i, f, g, o = sigma(a[:H]), sigma(a[H : 2 * H]), np.tanh(a[2 * H : 3 * H]), sigma(a[3 * H :])
            c = f * c + i * g + dc.get(t, 0.0)
            h = o * np.tanh(c)
        else:
            r, z = sigma(gi[:H] + gh[:H]), sigma(gi[H : 2 * H] + gh[H : 2 * H])
            n = np.tanh(gi[2 * H :] + r * gh[2 * H :])
            h = (1 - z) * n + z * h
        h = h + dh.get(t, 0.0)
        hs.append(h)
        if loss == "all" or t == x.shape[0] - 1:
            total += v @ h
    return total, np.array(hs)


def central_difference(f, x, eps=1e-6):
    """d f / d x for a scalar f of an array x (perturbed in place and restored), elementwise."""
    g = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        k = it.multi_index
        old = x[k]
        x[k] = old + eps
        up = f()
        x[k] = old - eps
        down = f()
        x[k] = old
        g[k] = (up - down) / (2 * eps)
    return g


def assert_same_bits(a, b, what: str = "") -> None:
    """a and b hold the same float64 bits (NaN payloads and the sign of zero included): what a fast path must
    give where it stands in for a general one."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype, (what, a.shape, b.shape, a.dtype, b.dtype)
    assert np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes(), what
