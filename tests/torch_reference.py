"""PyTorch as the reference: a stacked rnn, lstm or gru unrolled cell by cell in float64, so autograd gives the
total dL/dh_t (and dL/dc_t) of every layer and step (`retain_grad`), which the fused torch.nn.LSTM never shows.

Used by the tests of the core's `stack_sweep_from_outputs` and of `gradflow.watch`'s replay.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Unrolled:
    """What autograd found: per layer (T, N, H) totals, and the parameters' gradients by torch's names."""

    grad_h: list[np.ndarray]
    grad_c: list[np.ndarray] | None
    param_grads: dict[str, np.ndarray]
    outputs: np.ndarray


def unrolled(module, x, h0=None, c0=None, d_out=None, d_h_last=None, d_c_last=None) -> Unrolled:
    """Runs `module`'s weights (a torch.nn.RNN, LSTM or GRU, batch_first False) cell by cell in float64 on x
    (T, N, I), from h0 / c0 (L, N, H), and backpropagates the linear loss
    L = sum(d_out * outputs) + sum(d_h_last * h_n) + sum(d_c_last * c_n)."""
    import torch

    kind = type(module).__name__.lower()
    L, H = module.num_layers, module.hidden_size
    T, N, _ = x.shape
    cells = []
    for layer in range(L):
        size = module.input_size if layer == 0 else H
        if kind == "lstm":
            cell = torch.nn.LSTMCell(size, H, bias=module.bias, dtype=torch.float64)
        elif kind == "gru":
            cell = torch.nn.GRUCell(size, H, bias=module.bias, dtype=torch.float64)
        else:
            cell = torch.nn.RNNCell(size, H, bias=module.bias, nonlinearity=module.nonlinearity, dtype=torch.float64)
        with torch.no_grad():
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                if hasattr(cell, name) and getattr(cell, name) is not None:
                    getattr(cell, name).copy_(getattr(module, f"{name}_l{layer}").double())
        cells.append(cell)
    zeros = np.zeros((L, N, H))
    h = [torch.tensor(a, requires_grad=False) for a in (zeros if h0 is None else h0)]
    c = [torch.tensor(a) for a in (zeros if c0 is None else c0)] if kind == "lstm" else None
    xs = torch.tensor(x)
    hs = [[None] * T for _ in range(L)]
    cs = [[None] * T for _ in range(L)] if kind == "lstm" else None
    for t in range(T):
        inp = xs[t]
        for layer in range(L):
            if kind == "lstm":
                h[layer], c[layer] = cells[layer](inp, (h[layer], c[layer]))
                c[layer].retain_grad()
                cs[layer][t] = c[layer]
            else:
                h[layer] = cells[layer](inp, h[layer])
            h[layer].retain_grad()
            hs[layer][t] = h[layer]
            inp = h[layer]
    outputs = torch.stack(hs[-1])
    loss = (torch.tensor(d_out) * outputs).sum()
    if d_h_last is not None:
        loss = loss + sum((torch.tensor(d_h_last[k]) * h[k]).sum() for k in range(L))
    if d_c_last is not None and kind == "lstm":
        loss = loss + sum((torch.tensor(d_c_last[k]) * c[k]).sum() for k in range(L))
    loss.backward()

    def grad_of(t):
        return np.zeros((N, H)) if t.grad is None else t.grad.numpy()

    grad_h = [np.stack([grad_of(hs[k][t]) for t in range(T)]) for k in range(L)]
    grad_c = [np.stack([grad_of(cs[k][t]) for t in range(T)]) for k in range(L)] if kind == "lstm" else None
    params = {}
    for layer, cell in enumerate(cells):
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            p = getattr(cell, name, None)
            if p is not None:
                params[f"{name}_l{layer}"] = p.grad.numpy().copy()
    return Unrolled(grad_h, grad_c, params, outputs.detach().numpy())
