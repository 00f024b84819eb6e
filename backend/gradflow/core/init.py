"""Seeded weights, readout and inputs: everything random in a run follows from one seed.

Three independent streams are spawned from the seed (weights, readout, inputs), so changing how the
inputs are drawn never changes the weights, and rnn, lstm and gru runs with the same seed see the same
inputs. Inputs are drawn as one (B, T, I) block in C order, so sequence 0 is the same for every batch size.

Layout (PyTorch's): weight_ih (G*H, I), weight_hh (G*H, H), bias_ih (G*H,), bias_hh (G*H,), gate blocks
stacked in row order (lstm i, f, g, o; gru r, z, n).
- weight_hh: each H x H gate block is s * Q (Q a random orthogonal matrix, Haar-distributed) for
  init = "orthogonal", or s * N(0, 1) / sqrt(H) for init = "gaussian"; s = recurrent_scale.
- weight_ih, bias_ih, bias_hh: U(-1/sqrt(H), 1/sqrt(H)), PyTorch's default for recurrent layers.
- forget_bias is added to the lstm forget block of bias_ih.
- readout v: a Gaussian vector scaled to unit length.
- inputs: gaussian N(0, 1); zeros; sine x_t[i] = sin(2 pi t / P_i + phi_i) with P_i ~ U(8, 32) steps and
  phi_i ~ U(0, 2 pi) drawn per input unit and sequence.
"""

from __future__ import annotations

import numpy as np

from .config import GATES, SimConfig
from .params import Params, Weights


def orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    """A Haar-random n x n orthogonal matrix (QR of a Gaussian matrix with R's signs folded into Q)."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def make_params(cfg: SimConfig, rng: np.random.Generator, input_size: int | None = None) -> Params:
    """One layer's weights; input_size defaults to cfg.input_size (a stacked layer above reads H inputs)."""
    H, I, G = cfg.hidden_size, cfg.input_size if input_size is None else input_size, cfg.num_gates
    k = 1.0 / np.sqrt(H)
    blocks = []  # drawn first, so W_hh / s depends only on cell, init, H and seed
    for _ in range(G):
        if cfg.init == "orthogonal":
            blocks.append(cfg.recurrent_scale * orthogonal(rng, H))
        else:
            blocks.append(cfg.recurrent_scale * rng.standard_normal((H, H)) / np.sqrt(H))
    weight_hh = np.concatenate(blocks, axis=0)
    weight_ih = rng.uniform(-k, k, size=(G * H, I))
    bias_ih = rng.uniform(-k, k, size=G * H)
    bias_hh = rng.uniform(-k, k, size=G * H)
    if cfg.cell == "lstm":
        f = GATES["lstm"].index("f")
        bias_ih[f * H : (f + 1) * H] += cfg.forget_bias
    return Params(weight_ih, weight_hh, bias_ih, bias_hh)


def make_readout(rng: np.random.Generator, hidden_size: int) -> np.ndarray:
    v = rng.standard_normal(hidden_size)
    return v / np.linalg.norm(v)


def make_inputs(cfg: SimConfig, rng: np.random.Generator) -> np.ndarray:
    """Inputs as (T, B, I), time-major like the rest of the core."""
    B, T, I = cfg.batch_size, cfg.seq_len, cfg.input_size
    if cfg.inputs is not None:
        x = np.asarray(cfg.inputs, dtype=np.float64)
        if x.shape != (T, I) or B != 1:
            raise ValueError(
                f"inputs must be seq_len x input_size = {T} x {I} with batch_size 1, got "
                f"{' x '.join(map(str, x.shape))} with batch_size {B}"
            )
        return x[:, None, :].copy()
    if cfg.input_kind == "zeros":
        x = np.zeros((B, T, I))
    elif cfg.input_kind == "gaussian":
        x = rng.standard_normal((B, T, I))
    else:
        period = rng.uniform(8.0, 32.0, size=(B, 1, I))
        phase = rng.uniform(0.0, 2.0 * np.pi, size=(B, 1, I))
        t = np.arange(1, T + 1, dtype=np.float64)[None, :, None]
        x = np.sin(2.0 * np.pi * t / period + phase)
    return np.ascontiguousarray(x.transpose(1, 0, 2))


STREAMS = ("weights", "readout", "inputs", "task")
"""The child streams spawned from a seed, in spawn order: changing this order changes every run (a stream
added at the end changes none: SeedSequence's children are numbered). "task" feeds training batches."""


def stream(seed: int, name: str) -> np.random.Generator:
    """The generator of one named child stream of `seed` (independent of how the others are used)."""
    return np.random.default_rng(np.random.SeedSequence(seed).spawn(len(STREAMS))[STREAMS.index(name)])


def make_layers(cfg: SimConfig) -> list[Params]:
    """Every layer's weights, bottom first, drawn in turn from the weights stream: layer 0's draws come first,
    so a one-layer run has exactly the weights it always had."""
    rng = stream(cfg.seed, "weights")
    return [make_params(cfg, rng, None if layer == 0 else cfg.hidden_size) for layer in range(cfg.num_layers)]


def make_run(cfg: SimConfig, explicit: Weights | None = None) -> tuple[list[Params], np.ndarray, np.ndarray]:
    """Weights of every layer, readout v (H,) and inputs (T, B, I) for one request, all from cfg.seed, except
    what `explicit` weights (checked by core/weights.py) give."""
    layers = explicit.layers if explicit else make_layers(cfg)
    readout = make_readout(stream(cfg.seed, "readout"), cfg.hidden_size)
    if explicit is not None and explicit.readout is not None:
        readout = explicit.readout
    inputs = make_inputs(cfg, stream(cfg.seed, "inputs"))
    return layers, readout, inputs
