"""Stacked layers: the depth x time grid, as torch.nn.RNN / LSTM / GRU(num_layers=L) stack them.

Layer l's input at step t is the hidden state of layer l - 1 at step t (layer 0 reads x_t); every layer has
its own weights (PyTorch's names with the suffix _l{l}: weight_ih_l0, ..., weight_hh_l1, ...); the loss reads
the top layer. h_0 = c_0 = 0 in every layer.

Forward: layer by layer over the whole sequence. Backward: the top layer's sweep is seeded by the readout as
for one layer; each layer's dL/dx_t (through its W_ih) then enters the layer below at every step, so dL/dh_t^(l)
is the total derivative through every later step and every layer above, exactly (per-row exponents as in
bptt.py). With one layer this is exactly the single-layer sweep.

A lower layer's hidden state feeds the next one as float64: only a linear or relu rnn can leave float64's
range in the forward, and then the layers above see null inputs (with warnings), not exact ones.
"""

from __future__ import annotations

import numpy as np

from .bptt import Deltas, ScaledGrads, StepClipper, add_scaled, input_grad, param_grads, sweep
from .cells import Trace, forward
from .logscale import to_float
from .params import Params


def state_dict_name(name: str, layer: int, num_layers: int) -> str:
    """PyTorch's parameter name: `weight_ih` for one layer (as the contract's single-layer form), else
    `weight_ih_l{layer}`."""
    return name if num_layers == 1 else f"{name}_l{layer}"


def stack_forward(
    cell: str,
    activation: str,
    layers: list[Params],
    x: np.ndarray,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
) -> list[Trace]:
    """One trace per layer, bottom first; x: (T, N, I); h0, c0: (L, N, H) initial states (None = zeros)."""
    traces = []
    inputs = x
    for layer, p in enumerate(layers):
        tr = forward(cell, activation, p, inputs, None if h0 is None else h0[layer], None if c0 is None else c0[layer])
        traces.append(tr)
        with np.errstate(over="ignore", invalid="ignore"):
            inputs = to_float(tr.h, tr.h_exp)
    return traces


def stack_sweep(
    traces: list[Trace], layers: list[Params], v: np.ndarray, seeds: np.ndarray, clipper: StepClipper | None = None
) -> list[Deltas]:
    """Every layer's deltas, bottom first: the top layer seeded by v, each lower one by the gradient that
    flows down from the layer above at every step. A bptt-scope clipper acts in every layer."""
    deltas: list[Deltas] = [None] * len(layers)  # type: ignore[list-item]
    inject = None
    unseeded = np.zeros_like(seeds)
    for layer in range(len(layers) - 1, -1, -1):
        top = layer == len(layers) - 1
        d = sweep(traces[layer], layers[layer].weight_hh, v, seeds if top else unseeded, clipper, inject)
        deltas[layer] = d
        if layer:
            inject = input_grad(traces[layer], layers[layer], d)
    return deltas


def stack_sweep_from_outputs(
    traces: list[Trace], layers: list[Params], d_out: np.ndarray, d_h_last: np.ndarray, d_c_last: np.ndarray | None
) -> list[Deltas]:
    """Every layer's deltas, bottom first, when the loss's gradient is given where torch's module hands its
    results out: d_out (T, N, H) at the top layer's output h_t of every step, d_h_last (L, N, H) at each layer's
    final state h_T (torch's h_n), d_c_last (L, N, H) at each lstm layer's final cell state c_T (c_n), or None.

    Each is added where it enters: d_out at every step of the top layer, d_h_last[l] at step T of layer l, and
    d_c_last[l] into the cell path of layer l at T; what flows down from the layer above joins at every step.
    The recorded dL/dh_t (and dL/dc_t) of every layer and step are then the totals that the module's autograd
    computes, and `stack_param_grads` gives its weight gradients (times the number of sequences)."""
    T, N, H = d_out.shape
    none = np.zeros((T, N), dtype=bool)
    v = np.zeros(H)
    m, e = np.array(d_out, dtype=np.float64), np.zeros((T, N), dtype=np.int64)
    deltas: list[Deltas] = [None] * len(layers)  # type: ignore[list-item]
    for layer in range(len(layers) - 1, -1, -1):
        last_m, last_e = m[-1].copy(), e[-1].copy()
        add_scaled(last_m, last_e, np.asarray(d_h_last[layer], dtype=np.float64), np.zeros(N, dtype=np.int64), [])
        m[-1], e[-1] = last_m, last_e
        dc_last = None if d_c_last is None else d_c_last[layer]
        deltas[layer] = d = sweep(traces[layer], layers[layer].weight_hh, v, none, None, (m, e), dc_last)
        if layer:
            m, e = input_grad(traces[layer], layers[layer], d)
            m = np.array(m)
    return deltas


def stack_param_grads(
    traces: list[Trace], layers: list[Params], deltas: list[Deltas]
) -> tuple[ScaledGrads, np.ndarray]:
    """Every layer's parameter gradients under PyTorch's names, and dL/dx of sequence 0 ((T, I), bottom)."""
    m: dict[str, np.ndarray] = {}
    exp: dict[str, int] = {}
    grad_x = None
    for layer, (tr, p, d) in enumerate(zip(traces, layers, deltas)):
        g, gx = param_grads(tr, p, d)
        grad_x = gx if layer == 0 else grad_x
        for name in Params.NAMES:
            key = state_dict_name(name, layer, len(layers))
            m[key], exp[key] = g.m[name], g.exp[name]
    return ScaledGrads(m, exp), grad_x
