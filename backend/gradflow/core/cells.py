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
from .workspace import Workspace, block_steps, scratch


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

    def h_prev(self, ws: Workspace | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(h_{t-1} mantissas, exponents) for t = 1..T, with h_0 the initial state (zeros by default)."""
        hp = scratch(ws, "trace.h_prev", self.h.shape)
        hp[0] = 0.0 if self.h0 is None else self.h0
        hp[1:] = self.h[:-1]
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


def rnn_forward(
    p: Params, x: np.ndarray, activation: str, h0: np.ndarray | None = None, ws: Workspace | None = None
) -> Trace:
    T, N, _ = x.shape
    H = p.weight_hh.shape[1]
    xp = scratch(ws, "rnn.xp", (T, N, H))
    np.matmul(x, p.weight_ih.T, out=xp)
    xp += p.bias_ih + p.bias_hh  # input side of every step at once
    w_hh_t = np.ascontiguousarray(p.weight_hh.T)
    pre = scratch(ws, "rnn.pre", (T, N, H))
    start = np.zeros((N, H)) if h0 is None else np.array(h0, dtype=np.float64)
    if activation == "tanh":
        h_all = _rnn_tanh_loop(xp, w_hh_t, pre, start, scratch(ws, "rnn.h", (T, N, H)))
        h_exp = np.zeros((T, N), dtype=np.int64)
    else:
        h_all = pre if activation == "linear" else scratch(ws, "rnn.h", (T, N, H))
        h_exp = _rnn_homogeneous_loop(xp, w_hh_t, pre, h_all, activation, start)
    tr = Trace("rnn", x, h_all, h_exp, pre_rnn=pre, h0=h0)
    if activation == "tanh":
        grad = tr.local["act_grad"] = scratch(ws, "rnn.act_grad", (T, N, H))
        np.multiply(h_all, h_all, out=grad)
        np.subtract(1.0, grad, out=grad)  # tanh'(a_t) = 1 - h_t^2, on every step at once
    elif activation == "relu":
        tr.local["act_grad"] = act.relu_grad(pre)  # relu'(a_t): 1 where a_t > 0
    return tr


def _rnn_tanh_loop(xp: np.ndarray, w_hh_t: np.ndarray, pre: np.ndarray, h: np.ndarray, h_all: np.ndarray):
    for t in range(len(pre)):
        a = pre[t]
        np.dot(h, w_hh_t, out=a)
        a += xp[t]
        h = h_all[t]
        act.tanh(a, out=h)  # h_t = tanh(W_ih x_t + b_ih + W_hh h_prev + b_hh)
    return h_all


def _rnn_homogeneous_loop(
    xp: np.ndarray, w_hh_t: np.ndarray, pre: np.ndarray, h_all: np.ndarray, activation: str, h: np.ndarray
) -> np.ndarray:
    """relu / linear: h is carried as m * 2**exp per sequence, so it never overflows; returns the exponents.
    h_all is pre itself for linear (the stored pre-activation is rescaled with h, signs unchanged)."""
    T, N, _ = pre.shape
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
        scaled |= rescale_rows([h], exp, floor=False)
        h_exp[t] = exp
    return h_exp


def rnn_step_into(tr: Trace, w_hh: np.ndarray, t: int, dh: np.ndarray, dc, dpre, dc_total, dh_prev, dc_prev, tmp, wide):
    """One backward step into given arrays (see `step_into`)."""
    # backprop through the activation: dL/da_t = dL/dh_t * act'(a_t)
    if "act_grad" in tr.local:  # (linear: act' = 1)
        np.multiply(dh, tr.local["act_grad"][t], out=dpre)
    else:
        dpre[...] = dh
    # backprop into h_{t-1} through W_hh
    if dh_prev is not None:
        np.matmul(dpre, w_hh, out=dh_prev)


# ---------------------------------------------------------------- lstm


def lstm_forward(
    p: Params,
    x: np.ndarray,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
    ws: Workspace | None = None,
) -> Trace:
    T, N, _ = x.shape
    H = p.weight_hh.shape[1]
    # the input side of every step at once; each step adds its hidden side W_hh h_prev to its row
    acts = scratch(ws, "lstm.acts", (T, N, 4 * H))
    np.matmul(x, p.weight_ih.T, out=acts)
    acts += p.bias_ih + p.bias_hh
    w_hh_t = np.ascontiguousarray(p.weight_hh.T)
    # sigma(a) = (1 + tanh(a/2)) / 2 on blocks i, f, o and tanh on g: one tanh over all four blocks (the
    # factors as whole (N, 4H) arrays: a same-shaped operand takes numpy's fast path, a broadcast row does not)
    inner = np.tile(np.repeat([0.5, 0.5, 1.0, 0.5], H), (N, 1))
    shift = np.tile(np.repeat([0.5, 0.5, 0.0, 0.5], H), (N, 1))
    c_all = scratch(ws, "lstm.c", (T, N, H))
    tanh_c = scratch(ws, "lstm.tanh_c", (T, N, H))
    h_all = scratch(ws, "lstm.h", (T, N, H))
    factors = scratch(ws, "lstm.gate_factors", (T, N, 4 * H))
    dh_to_dc = scratch(ws, "lstm.dh_to_dc", (T, N, H))  # dc_t/dh_t through h_t = o * tanh(c_t)
    hidden_side = np.empty((N, 4 * H))
    ig = np.empty((N, H))
    h = np.zeros((N, H)) if h0 is None else np.array(h0, dtype=np.float64)
    c_start = np.zeros((N, H)) if c0 is None else np.array(c0, dtype=np.float64)
    c_prev = c_start
    block, done = block_steps(N, 4 * H), 0  # steps whose local derivatives are computed
    for t in range(T):
        y = acts[t]
        np.dot(h, w_hh_t, out=hidden_side)
        y += hidden_side
        y *= inner
        np.tanh(y, out=y)
        y *= inner
        y += shift
        c = c_all[t]
        np.multiply(y[:, H : 2 * H], c_prev, out=c)
        np.multiply(y[:, :H], y[:, 2 * H : 3 * H], out=ig)
        c += ig  # c_t = f * c_prev + i * g
        np.tanh(c, out=tanh_c[t])
        h = h_all[t]
        np.multiply(y[:, 3 * H :], tanh_c[t], out=h)  # h_t = o * tanh(c_t)
        c_prev = c
        if t + 1 - done == block or t == T - 1:  # while these steps are still in cache
            _lstm_local(acts, c_all, c_start, tanh_c, factors, dh_to_dc, done, t + 1)
            done = t + 1
    i, f, g, o = (acts[..., k * H : (k + 1) * H] for k in range(4))
    local = {"gate_factors": factors, "dh_to_dc": dh_to_dc, "forget": f}  # dc_{t-1} = dc_t * f along the cell path
    gates = {"i": i, "f": f, "g": g, "o": o}
    return Trace("lstm", x, h_all, np.zeros((T, N), dtype=np.int64), c_all, gates, local, h0=h0)


def _lstm_local(acts, c_all, c_start, tanh_c, factors, dh_to_dc, a: int, b: int) -> None:
    """The lstm's local derivatives of steps a..b-1: d(pre-activation)/d(c_t) for blocks i, f, g: g sigma'(i),
    c_prev sigma'(f), i tanh'(g); d(pre-activation)/d(h_t) for block o: tanh(c_t) sigma'(o); and dc_t/dh_t."""
    H = c_all.shape[-1]
    y, fa, dd, tc = acts[a:b], factors[a:b], dh_to_dc[a:b], tanh_c[a:b]
    i, g, o = y[..., :H], y[..., 2 * H : 3 * H], y[..., 3 * H :]
    fi, ff, fg, fo = (fa[..., k * H : (k + 1) * H] for k in range(4))
    np.subtract(1.0, y, out=fa)
    fa *= y  # sigma'(y) = y (1 - y) on blocks i, f, o (block g is written below)
    fi *= g
    first = 0
    if a == 0:  # c_prev of step 1 is the initial state
        ff[0] *= c_start
        first = 1
    ff[first:] *= c_all[a + first - 1 : b - 1]
    fo *= tc
    np.multiply(g, g, out=dd)  # (first, in dh_to_dc's place: tanh'(g) = 1 - g^2, times i)
    np.subtract(1.0, dd, out=dd)
    np.multiply(dd, i, out=fg)
    np.multiply(tc, tc, out=dd)
    np.subtract(1.0, dd, out=dd)
    dd *= o


def lstm_step_into(
    tr: Trace, w_hh: np.ndarray, t: int, dh: np.ndarray, dc, dpre, dc_total, dh_prev, dc_prev, tmp, wide
):
    """One backward step into given arrays (see `step_into`); dc_total may be dc itself."""
    # backprop through h_t = o * tanh(c_t) into c_t
    np.multiply(dh, tr.local["dh_to_dc"][t], out=tmp)
    np.add(dc, tmp, out=dc_total)
    # backprop through c_t = f * c_prev + i * g and h_t = o * tanh(c_t) into the gate pre-activations: blocks
    # i, f, g times dc_t, block o times dh_t, as one product of whole (N, 4H) arrays
    np.concatenate((dc_total, dc_total, dc_total, dh), axis=1, out=wide)
    np.multiply(tr.local["gate_factors"][t], wide, out=dpre)
    # backprop into h_{t-1} through W_hh, and into c_{t-1} along the cell path
    if dh_prev is not None:
        np.matmul(dpre, w_hh, out=dh_prev)
        np.multiply(dc_total, tr.local["forget"][t], out=dc_prev)


# ---------------------------------------------------------------- gru


def gru_forward(p: Params, x: np.ndarray, h0: np.ndarray | None = None, ws: Workspace | None = None) -> Trace:
    T, N, _ = x.shape
    H = p.weight_hh.shape[1]
    xp = scratch(ws, "gru.xp", (T, N, 3 * H))
    np.matmul(x, p.weight_ih.T, out=xp)
    xp += p.bias_ih
    w_hh_t = np.ascontiguousarray(p.weight_hh.T)
    hidden_side = scratch(ws, "gru.hidden_side", (T, N, 3 * H))  # W_hh h_prev + b_hh of every step
    rz = scratch(ws, "gru.rz", (T, N, 2 * H))
    n_all = scratch(ws, "gru.n", (T, N, H))
    h_all = scratch(ws, "gru.h", (T, N, H))
    bias_hh = np.tile(p.bias_hh, (N, 1))  # a whole (N, 3H) operand: numpy's fast path
    factors = scratch(ws, "gru.gate_factors", (T, N, 3 * H))
    dn = scratch(ws, "gru.dh_to_n", (T, N, H))  # d(n pre-activation)/dh_t = (1 - z) tanh'(n)
    block, done = block_steps(N, 3 * H), 0  # steps whose local derivatives are computed
    tmp = np.empty((min(block, T), N, H))
    h = np.zeros((N, H)) if h0 is None else np.array(h0, dtype=np.float64)
    for t in range(T):
        hp = hidden_side[t]
        np.matmul(h, w_hh_t, out=hp)
        hp += bias_hh
        y = rz[t]
        np.add(xp[t, :, : 2 * H], hp[:, : 2 * H], out=y)
        # sigma(y) = (1 + tanh(y/2)) / 2, in place
        y *= 0.5
        np.tanh(y, out=y)
        y += 1.0
        y *= 0.5
        r, z = y[:, :H], y[:, H:]
        n = n_all[t]
        np.multiply(r, hp[:, 2 * H :], out=n)
        n += xp[t, :, 2 * H :]
        np.tanh(n, out=n)  # n = tanh(W_in x + b_in + r * (W_hn h_prev + b_hn))
        h_new = h_all[t]
        np.subtract(h, n, out=h_new)
        h_new *= z
        h_new += n  # h_t = (1 - z) * n + z * h_prev
        h = h_new
        if t + 1 - done == block or t == T - 1:  # while these steps are still in cache
            _gru_local(rz, hidden_side, n_all, h_all, h0, factors, dn, tmp, done, t + 1)
            done = t + 1
    r, z = rz[..., :H], rz[..., H:]
    local = {"gate_factors": factors, "dh_to_n": dn, "update": z}  # dh_{t-1} = dh_t * z along the direct path
    gates = {"r": r, "z": z, "n": n_all}
    return Trace("gru", x, h_all, np.zeros((T, N), dtype=np.int64), None, gates, local, h0=h0)


def _gru_local(rz, hidden_side, n_all, h_all, h0, factors, dn, tmp, a: int, b: int) -> None:
    """The gru's local derivatives of steps a..b-1: dh_t -> d(hidden-side pre-activations r, z, n), the n block
    carrying the factor r: dn hn sigma'(r), (h_prev - n) sigma'(z), dn r; and dn = (1 - z) tanh'(n)."""
    H = n_all.shape[-1]
    y, fa, d, n, tmp = rz[a:b], factors[a:b], dn[a:b], n_all[a:b], tmp[: b - a]
    r, z, hn = y[..., :H], y[..., H:], hidden_side[a:b, :, 2 * H :]
    fr, fz, fn = (fa[..., k * H : (k + 1) * H] for k in range(3))
    np.subtract(1.0, y, out=fa[..., : 2 * H])
    fa[..., : 2 * H] *= y  # sigma'(y) = y (1 - y) on blocks r, z
    first = 0
    if a == 0:  # h_prev of step 1 is the initial state
        np.subtract(0.0 if h0 is None else h0, n[0], out=tmp[0])
        first = 1
    np.subtract(h_all[a + first - 1 : b - 1], n[first:], out=tmp[first:])
    fz *= tmp  # (h_prev - n) sigma'(z)
    np.subtract(1.0, z, out=d)
    np.multiply(n, n, out=tmp)
    np.subtract(1.0, tmp, out=tmp)
    d *= tmp  # (1 - z) tanh'(n)
    np.multiply(d, hn, out=tmp)
    fr *= tmp  # dn hn sigma'(r)
    np.multiply(d, r, out=fn)


def gru_step_into(tr: Trace, w_hh: np.ndarray, t: int, dh: np.ndarray, dc, dpre, dc_total, dh_prev, dc_prev, tmp, wide):
    """One backward step into given arrays (see `step_into`)."""
    # backprop through r, z and n into the hidden-side pre-activations: each block times dh_t, as one product of
    # whole (N, 3H) arrays
    np.concatenate((dh, dh, dh), axis=1, out=wide)
    np.multiply(tr.local["gate_factors"][t], wide, out=dpre)
    # backprop into h_{t-1}: through W_hh, plus the direct path z * h_prev
    if dh_prev is not None:
        np.matmul(dpre, w_hh, out=dh_prev)
        np.multiply(dh, tr.local["update"][t], out=tmp)
        dh_prev += tmp


def forward(
    cell: str,
    activation: str,
    p: Params,
    x: np.ndarray,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
    ws: Workspace | None = None,
) -> Trace:
    """The cell's forward over x (T, N, I) from the initial state h0 (and c0 for the lstm), (N, H) each, or
    zeros. With a workspace the trace lives in its arrays (valid until its next use)."""
    if cell == "rnn":
        return rnn_forward(p, x, activation, h0, ws)
    if cell == "lstm":
        return lstm_forward(p, x, h0, c0, ws)
    return gru_forward(p, x, h0, ws)


STEP_INTO = {"rnn": rnn_step_into, "lstm": lstm_step_into, "gru": gru_step_into}
"""One backward step at step t, writing into the caller's arrays, all (N, ...) rows:
(tr, w_hh, t, dh, dc, dpre, dc_total, dh_prev, dc_prev, tmp, wide) with dh the total dL/dh_t and, for the lstm, dc the
dL/dc_t carried from t + 1. Writes dpre = dL/d(hidden-side pre-activation W_hh h_prev + b_hh) and, for the lstm,
dc_total = the total dL/dc_t; then, unless dh_prev is None (step 1: nothing before it), what flows into step
t - 1: dh_prev and, for the lstm, dc_prev. tmp (N, H) and wide (N, G*H): scratch. dh and dc are only read."""


def _backward_step(cell: str):
    into = STEP_INTO[cell]

    def step(tr: Trace, w_hh: np.ndarray, t: int, dh: np.ndarray, dc, out: np.ndarray):
        dh_prev = np.empty((out.shape[0], w_hh.shape[1]))
        dc_prev = np.empty_like(dh_prev) if dc is not None else None
        into(tr, w_hh, t, dh, dc, out, dc, dh_prev, dc_prev, np.empty_like(dh_prev), np.empty_like(out))
        return dh_prev, dc_prev

    step.__doc__ = f"""One {cell} backward step: writes dL/d(hidden-side pre-activation) into out and returns what
    flows into step t - 1 (dh_prev, dc_prev or None). The lstm's dc holds dL/dc_t from later steps on entry and
    the total dL/dc_t on return (recorded by the caller)."""
    return step


BACKWARD_STEP = {cell: _backward_step(cell) for cell in STEP_INTO}


def input_side_delta(tr: Trace, dpre_hh: np.ndarray, dh: np.ndarray, ws: Workspace | None = None) -> np.ndarray:
    """dL/d(input-side pre-activation W_ih x_t + b_ih) from the hidden-side one, for all steps.

    Equal for rnn and lstm; for the gru the n block lacks the factor r (r multiplies only W_hn h + b_hn).
    """
    if tr.cell != "gru":
        return dpre_hh
    H = dh.shape[-1]
    out = scratch(ws, "gru.input_side_delta", dpre_hh.shape)
    out[..., : 2 * H] = dpre_hh[..., : 2 * H]
    np.multiply(dh, tr.local["dh_to_n"], out=out[..., 2 * H :])
    return out
