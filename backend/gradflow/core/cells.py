"""The three recurrent cells: forward over a whole sequence, and one backward step, side by side.

Equations and parameter layout are PyTorch's (torch.nn.RNN / LSTM / GRU, one layer; h_0 = c_0 = 0 unless an
initial state is given, as torch's `module(x, h_0)` takes one):

  rnn:  h_t = act(W_ih x_t + b_ih + W_hh h_prev + b_hh),  act in tanh | relu | linear
  lstm: i, f, g, o = sigma, sigma, tanh, sigma of (W_ih x_t + b_ih + W_hh h_prev + b_hh), split in order
        c_t = f * c_prev + i * g
        h_t = o * tanh(c_t)
  gru:  r = sigma(W_ir x_t + b_ir + W_hr h_prev + b_hr)
        z = sigma(W_iz x_t + b_iz + W_hz h_prev + b_hz)
        n = tanh(W_in x_t + b_in + r * (W_hn h_prev + b_hn))
        h_t = (1 - z) * n + z * h_prev

Arrays are time-major: x (T, N, I), h (T, N, H). The forward also stores, for every step at once, the
local derivatives the backward step needs (`local`, named for what they turn into what), so each backward step is a few multiplies and one
matrix product. A backward step takes the total dL/dh_t (and dL/dc_t carried from t + 1 for the lstm) and
returns dL/d(hidden-side pre-activation W_hh h_prev + b_hh) plus what flows into step t - 1.

linear and relu rnns are positively homogeneous (act(2**k a) = 2**k act(a)), so their forward carries a
power-of-two exponent per sequence (see logscale.py) and never overflows; the other cells are bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import activations as act
from .logscale import rescale_rows
from .params import Params


@dataclass
class Trace:
    """What a forward pass leaves for the backward pass and for the report.

    h: (T, N, H) hidden mantissas, true h_t = h[t] * 2**h_exp[t] (h_exp all zero except for an
    overflowing linear/relu rnn); c: (T, N, H) lstm cell states; gates: name -> (T, N, H);
    local: per-cell derivative arrays indexed by step; h0: (N, H) the initial state (None = zeros).
    """

    cell: str
    x: np.ndarray
    h: np.ndarray
    h_exp: np.ndarray
    c: np.ndarray | None = None
    gates: dict[str, np.ndarray] = field(default_factory=dict)
    local: dict[str, np.ndarray] = field(default_factory=dict)
    pre_rnn: np.ndarray | None = None
    h0: np.ndarray | None = None

    def h_prev(self) -> tuple[np.ndarray, np.ndarray]:
        """(h_{t-1} mantissas, exponents) for t = 1..T, with h_0 the initial state (zeros by default)."""
        hp = np.zeros_like(self.h)
        hp[1:] = self.h[:-1]
        if self.h0 is not None:
            hp[0] = self.h0
        ep = np.zeros_like(self.h_exp)
        ep[1:] = self.h_exp[:-1]
        return hp, ep

    def sequence(self, n: int) -> Trace:
        """The trace of one sequence, kept as a batch of one so it broadcasts against many seeds."""
        pick = slice(n, n + 1)
        return Trace(
            self.cell,
            self.x[:, pick],
            self.h[:, pick],
            self.h_exp[:, pick],
            None if self.c is None else self.c[:, pick],
            {k: v[:, pick] for k, v in self.gates.items()},
            {k: v[:, pick] for k, v in self.local.items()},
            None if self.pre_rnn is None else self.pre_rnn[:, pick],
            None if self.h0 is None else self.h0[pick],
        )


# ---------------------------------------------------------------- rnn


def rnn_forward(p: Params, x: np.ndarray, activation: str, h0: np.ndarray | None = None) -> Trace:
    T, N, _ = x.shape
    H = p.weight_hh.shape[1]
    xp = x @ p.weight_ih.T + (p.bias_ih + p.bias_hh)  # input side of every step at once
    w_hh_t = np.ascontiguousarray(p.weight_hh.T)
    pre = np.empty((T, N, H))
    start = np.zeros((N, H)) if h0 is None else np.array(h0, dtype=np.float64)
    if activation == "tanh":
        h_all, h_exp = _rnn_tanh_loop(xp, w_hh_t, pre, start), np.zeros((T, N), dtype=np.int64)
    else:
        h_all, h_exp = _rnn_homogeneous_loop(xp, w_hh_t, pre, activation, start)
    tr = Trace("rnn", x, h_all, h_exp, pre_rnn=pre, h0=h0)
    if activation == "tanh":
        tr.local["act_grad"] = act.tanh_grad(h_all)  # tanh'(a_t) = 1 - h_t^2
    elif activation == "relu":
        tr.local["act_grad"] = act.relu_grad(pre)  # relu'(a_t): 1 where a_t > 0
    return tr


def _rnn_tanh_loop(xp: np.ndarray, w_hh_t: np.ndarray, pre: np.ndarray, h: np.ndarray) -> np.ndarray:
    h_all = np.empty_like(pre)
    for t in range(len(pre)):
        a = pre[t]
        np.dot(h, w_hh_t, out=a)
        a += xp[t]
        h = h_all[t]
        act.tanh(a, out=h)  # h_t = tanh(W_ih x_t + b_ih + W_hh h_prev + b_hh)
    return h_all


def _rnn_homogeneous_loop(xp: np.ndarray, w_hh_t: np.ndarray, pre: np.ndarray, activation: str, h: np.ndarray):
    """relu / linear: h is carried as m * 2**exp per sequence, so it never overflows."""
    T, N, _ = pre.shape
    h_all = pre if activation == "linear" else np.empty_like(pre)
    h_exp = np.zeros((T, N), dtype=np.int64)
    exp = np.zeros(N, dtype=np.int64)
    scaled = False
    for t in range(T):
        a = pre[t]
        np.dot(h, w_hh_t, out=a)
        a += np.ldexp(xp[t], -exp[:, None]) if scaled else xp[t]  # the input side at h's scale
        h = h_all[t]
        if activation == "relu":
            act.relu(a, out=h)
        # (for linear, h_all is pre itself: the stored pre-activation is rescaled with h, signs unchanged)
        scaled |= rescale_rows([h], exp, floor=False)
        h_exp[t] = exp
    return h_all, h_exp


def rnn_backward_step(tr: Trace, w_hh: np.ndarray, t: int, dh: np.ndarray, dc, out: np.ndarray):
    # backprop through the activation: dL/da_t = dL/dh_t * act'(a_t)
    if "act_grad" in tr.local:  # (linear: act' = 1)
        np.multiply(dh, tr.local["act_grad"][t], out=out)
    else:
        out[...] = dh
    # backprop into h_{t-1} through W_hh
    return out @ w_hh, None


# ---------------------------------------------------------------- lstm


def lstm_forward(p: Params, x: np.ndarray, h0: np.ndarray | None = None, c0: np.ndarray | None = None) -> Trace:
    T, N, _ = x.shape
    H = p.weight_hh.shape[1]
    xp = x @ p.weight_ih.T + (p.bias_ih + p.bias_hh)
    w_hh_t = np.ascontiguousarray(p.weight_hh.T)
    # sigma(a) = (1 + tanh(a/2)) / 2 on blocks i, f, o and tanh on g: one tanh over all four blocks
    inner = np.repeat([0.5, 0.5, 1.0, 0.5], H)
    shift = np.repeat([0.5, 0.5, 0.0, 0.5], H)
    acts = np.empty((T, N, 4 * H))
    c_all = np.empty((T, N, H))
    tanh_c = np.empty((T, N, H))
    h_all = np.empty((T, N, H))
    h = np.zeros((N, H)) if h0 is None else np.array(h0, dtype=np.float64)
    c_start = np.zeros((N, H)) if c0 is None else np.array(c0, dtype=np.float64)
    for t in range(T):
        y = acts[t]
        np.dot(h, w_hh_t, out=y)
        y += xp[t]
        y *= inner
        np.tanh(y, out=y)
        y *= inner
        y += shift
        i, f, g, o = y[:, :H], y[:, H : 2 * H], y[:, 2 * H : 3 * H], y[:, 3 * H :]
        c = c_all[t]
        np.multiply(f, c_all[t - 1] if t else c_start, out=c)
        c += i * g  # c_t = f * c_prev + i * g
        np.tanh(c, out=tanh_c[t])
        h = h_all[t]
        np.multiply(o, tanh_c[t], out=h)  # h_t = o * tanh(c_t)
    i, f, g, o = (acts[..., k * H : (k + 1) * H] for k in range(4))
    c_prev = np.empty_like(c_all)
    c_prev[0] = c_start
    c_prev[1:] = c_all[:-1]
    local = {
        # d(pre-activation)/d(c_t) for blocks i, f, g: g sigma'(i), c_prev sigma'(f), i tanh'(g); and
        # d(pre-activation)/d(h_t) for block o: tanh(c_t) sigma'(o)
        "gate_factors": np.concatenate(
            [g * act.sigmoid_grad(i), c_prev * act.sigmoid_grad(f), i * act.tanh_grad(g), tanh_c * act.sigmoid_grad(o)],
            axis=-1,
        ),
        "dh_to_dc": o * act.tanh_grad(tanh_c),  # dc_t/dh_t through h_t = o * tanh(c_t)
        "forget": np.ascontiguousarray(f),  # dc_{t-1} = dc_t * f along the cell path
    }
    gates = {"i": i, "f": f, "g": g, "o": o}
    return Trace("lstm", x, h_all, np.zeros((T, N), dtype=np.int64), c_all, gates, local, h0=h0)


def lstm_backward_step(tr: Trace, w_hh: np.ndarray, t: int, dh: np.ndarray, dc: np.ndarray, out: np.ndarray):
    """dc holds dL/dc_t from later steps on entry and the total dL/dc_t on return (recorded by caller)."""
    H = dh.shape[-1]
    factors = tr.local["gate_factors"][t]
    # backprop through h_t = o * tanh(c_t) into c_t
    dc += dh * tr.local["dh_to_dc"][t]
    # backprop through c_t = f * c_prev + i * g and h_t = o * tanh(c_t) into the gate pre-activations
    np.multiply(
        factors[:, : 3 * H].reshape(factors.shape[0], 3, H),
        dc[:, None, :],
        out=out[:, : 3 * H].reshape(out.shape[0], 3, H),
    )
    np.multiply(dh, factors[:, 3 * H :], out=out[:, 3 * H :])
    # backprop into h_{t-1} through W_hh, and into c_{t-1} along the cell path
    return out @ w_hh, dc * tr.local["forget"][t]


# ---------------------------------------------------------------- gru


def gru_forward(p: Params, x: np.ndarray, h0: np.ndarray | None = None) -> Trace:
    T, N, _ = x.shape
    H = p.weight_hh.shape[1]
    xp = x @ p.weight_ih.T + p.bias_ih
    w_hh_t = np.ascontiguousarray(p.weight_hh.T)
    rz = np.empty((T, N, 2 * H))
    hn = np.empty((T, N, H))
    n_all = np.empty((T, N, H))
    h_all = np.empty((T, N, H))
    h = np.zeros((N, H)) if h0 is None else np.array(h0, dtype=np.float64)
    for t in range(T):
        hp = h @ w_hh_t + p.bias_hh
        y = rz[t]
        np.add(xp[t, :, : 2 * H], hp[:, : 2 * H], out=y)
        y[...] = act.sigmoid(y)
        r, z = y[:, :H], y[:, H:]
        hn[t] = hp[:, 2 * H :]
        n = n_all[t]
        np.multiply(r, hn[t], out=n)
        n += xp[t, :, 2 * H :]
        np.tanh(n, out=n)  # n = tanh(W_in x + b_in + r * (W_hn h_prev + b_hn))
        h_new = h_all[t]
        np.subtract(h, n, out=h_new)
        h_new *= z
        h_new += n  # h_t = (1 - z) * n + z * h_prev
        h = h_new
    r, z = rz[..., :H], rz[..., H:]
    h_prev = np.zeros_like(h_all)
    h_prev[1:] = h_all[:-1]
    if h0 is not None:
        h_prev[0] = h0
    dn = (1.0 - z) * act.tanh_grad(n_all)  # dh_t -> d(n pre-activation)
    local = {
        # dh_t -> d(hidden-side pre-activations r, z, n); the n block carries the factor r
        "gate_factors": np.concatenate(
            [dn * hn * act.sigmoid_grad(r), (h_prev - n_all) * act.sigmoid_grad(z), dn * r], axis=-1
        ),
        "dh_to_n": dn,  # d(n pre-activation)/dh_t = (1 - z) tanh'(n)
        "update": np.ascontiguousarray(z),  # dh_{t-1} = dh_t * z along the direct path
    }
    gates = {"r": r, "z": z, "n": n_all}
    return Trace("gru", x, h_all, np.zeros((T, N), dtype=np.int64), None, gates, local, h0=h0)


def gru_backward_step(tr: Trace, w_hh: np.ndarray, t: int, dh: np.ndarray, dc, out: np.ndarray):
    H = dh.shape[-1]
    factors = tr.local["gate_factors"][t]
    # backprop through r, z and n into the hidden-side pre-activations
    np.multiply(factors.reshape(factors.shape[0], 3, H), dh[:, None, :], out=out.reshape(out.shape[0], 3, H))
    # backprop into h_{t-1}: through W_hh, plus the direct path z * h_prev
    return out @ w_hh + dh * tr.local["update"][t], None


def forward(
    cell: str, activation: str, p: Params, x: np.ndarray, h0: np.ndarray | None = None, c0: np.ndarray | None = None
) -> Trace:
    """The cell's forward over x (T, N, I) from the initial state h0 (and c0 for the lstm), (N, H) each, or
    zeros."""
    if cell == "rnn":
        return rnn_forward(p, x, activation, h0)
    if cell == "lstm":
        return lstm_forward(p, x, h0, c0)
    return gru_forward(p, x, h0)


BACKWARD_STEP = {"rnn": rnn_backward_step, "lstm": lstm_backward_step, "gru": gru_backward_step}


def input_side_delta(tr: Trace, dpre_hh: np.ndarray, dh: np.ndarray) -> np.ndarray:
    """dL/d(input-side pre-activation W_ih x_t + b_ih) from the hidden-side one, for all steps.

    Equal for rnn and lstm; for the gru the n block lacks the factor r (r multiplies only W_hn h + b_hn).
    """
    if tr.cell != "gru":
        return dpre_hh
    H = dh.shape[-1]
    out = dpre_hh.copy()
    out[..., 2 * H :] = dh * tr.local["dh_to_n"]
    return out
