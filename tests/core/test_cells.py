"""The three cells (core/cells.py): the forward against PyTorch's equations written out here and against the
naive reference, one backward step against central finite differences of those equations, and the trace's
helpers. Float64 throughout."""

from __future__ import annotations

import numpy as np
import pytest
from gradflow.core.cells import BACKWARD_STEP, Trace, forward, input_side_delta
from gradflow.core.logscale import to_float
from gradflow.core.params import Params

from .reference import CASES, SHAPES, assert_same_bits, central_difference, run, seeded_run

BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}
"""Gate blocks stacked in weight_ih / weight_hh: rnn one, lstm i f g o, gru r z n."""
TOL = dict(rtol=1e-7, atol=1e-9)


def sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def step(cell, activation, p: Params, x, h, c, d_ih=0.0, d_hh=0.0, d_c=0.0):
    """One step of PyTorch's equations for a batch: (h_t, c_t, gates) from x_t (N, I), h_{t-1} and c_{t-1} (N, H).

    d_ih / d_hh are added to the input-side (W_ih x + b_ih) and hidden-side (W_hh h + b_hh) pre-activations and
    d_c to c_t right after it is computed, so finite differences in them give dL/d(that quantity)."""
    H = h.shape[-1]
    gi = x @ p.weight_ih.T + p.bias_ih + d_ih
    gh = h @ p.weight_hh.T + p.bias_hh + d_hh
    if cell == "rnn":
        a = gi + gh
        return {"tanh": np.tanh(a), "relu": np.maximum(a, 0.0), "linear": a}[activation], None, {}
    if cell == "lstm":
        a = gi + gh
        i, f, g, o = sig(a[:, :H]), sig(a[:, H : 2 * H]), np.tanh(a[:, 2 * H : 3 * H]), sig(a[:, 3 * H :])
        c_t = f * c + i * g + d_c
        return o * np.tanh(c_t), c_t, {"i": i, "f": f, "g": g, "o": o}
    r = sig(gi[:, :H] + gh[:, :H])
    z = sig(gi[:, H : 2 * H] + gh[:, H : 2 * H])
    n = np.tanh(gi[:, 2 * H :] + r * gh[:, 2 * H :])
    return (1.0 - z) * n + z * h, None, {"r": r, "z": z, "n": n}


def random_params(cell: str, H: int, I: int, rng: np.random.Generator, scale: float = 0.7) -> Params:
    G = BLOCKS[cell] * H
    return Params(*(rng.uniform(-scale, scale, shape) for shape in ((G, I), (G, H), (G,), (G,))))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("loss", ["last", "all"])
@pytest.mark.parametrize("cell,activation", CASES)
def test_forward_matches_reference(cell, activation, loss, shape):
    _, params, v, x = seeded_run(cell, activation, loss, *shape)
    tr = forward(cell, activation, params, x)
    for b in range(x.shape[1]):
        _, hs = run(cell, activation, params.as_dict(), x[:, b], v, loss)
        np.testing.assert_allclose(
            to_float(tr.h[:, b], tr.h_exp[:, b]), hs, rtol=1e-13, atol=1e-15, err_msg=f"hidden states of sequence {b}"
        )


@pytest.mark.parametrize("cell,activation", CASES)
def test_each_step_of_the_forward_is_the_cell_s_equations(cell, activation):
    """Hidden states, lstm cell states and every gate, step by step, for a batch of three sequences."""
    rng = np.random.default_rng(7)
    T, N, H, I = 4, 3, 5, 2
    p = random_params(cell, H, I, rng)
    x = rng.standard_normal((T, N, I))
    tr = forward(cell, activation, p, x)
    assert tr.cell == cell and tr.h.shape == (T, N, H)
    assert (tr.h_exp == 0).all()  # nothing here comes near overflow
    h, c = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T):
        h, c, gates = step(cell, activation, p, x[t], h, c)
        np.testing.assert_allclose(tr.h[t], h, rtol=1e-14, atol=1e-15, err_msg=f"h_{t + 1}")
        if cell == "lstm":
            np.testing.assert_allclose(tr.c[t], c, rtol=1e-14, atol=1e-15, err_msg=f"c_{t + 1}")
        assert set(tr.gates) == set(gates)
        for name, value in gates.items():
            np.testing.assert_allclose(tr.gates[name][t], value, rtol=1e-14, atol=1e-15, err_msg=f"{name} at {t + 1}")
    if cell != "lstm":
        assert tr.c is None


def test_the_gated_cells_ignore_the_activation():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, 2, 2))
    for cell in ("lstm", "gru"):
        p = random_params(cell, 4, 2, rng)
        np.testing.assert_array_equal(forward(cell, "relu", p, x).h, forward(cell, "tanh", p, x).h)


@pytest.mark.parametrize("cell,activation", CASES)
def test_one_backward_step_matches_finite_differences_of_the_equations(cell, activation):
    """At step 2 of a sequence, given dL/dh_2 (and, for the lstm, dL/dc_2 from later steps), the backward step
    returns dL/d(W_hh h_1 + b_hh), dL/dh_1 (and dL/dc_1), and leaves the total dL/dc_2 in `dc`; with
    L = g . h_2 (+ gc . c_2), each is the derivative of the equations above."""
    rng = np.random.default_rng(11)
    N, H, I = 2, 4, 3
    p = random_params(cell, H, I, rng)
    x = rng.standard_normal((2, N, I))
    tr = forward(cell, activation, p, x)
    h1 = tr.h[0].copy()
    c1 = tr.c[0].copy() if cell == "lstm" else np.zeros((N, H))
    g, gc = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    d_ih, d_hh, d_c = np.zeros((N, BLOCKS[cell] * H)), np.zeros((N, BLOCKS[cell] * H)), np.zeros((N, H))

    def loss() -> float:
        h2, c2, _ = step(cell, activation, p, x[1], h1, c1, d_ih, d_hh, d_c)
        return float(np.sum(g * h2) + (np.sum(gc * c2) if cell == "lstm" else 0.0))

    dc = gc.copy() if cell == "lstm" else None
    out = np.empty((N, BLOCKS[cell] * H))
    dh_prev, dc_prev = BACKWARD_STEP[cell](tr, p.weight_hh, 1, g.copy(), dc, out)

    np.testing.assert_allclose(out, central_difference(loss, d_hh), **TOL, err_msg="dL/d(W_hh h_1 + b_hh)")
    np.testing.assert_allclose(dh_prev, central_difference(loss, h1), **TOL, err_msg="dL/dh_1")
    if cell == "lstm":
        np.testing.assert_allclose(dc, central_difference(loss, d_c), **TOL, err_msg="total dL/dc_2")
        np.testing.assert_allclose(dc_prev, central_difference(loss, c1), **TOL, err_msg="dL/dc_1")
    else:
        assert dc_prev is None

    # the input side W_ih x_2 + b_ih: the same as the hidden side but for the gru's n block (r multiplies only
    # the hidden side there)
    T = len(x)
    dpre, dh = np.zeros((T, N, out.shape[1])), np.zeros((T, N, H))
    dpre[1], dh[1] = out, g
    np.testing.assert_allclose(
        input_side_delta(tr, dpre, dh)[1], central_difference(loss, d_ih), **TOL, err_msg="dL/d(W_ih x_2 + b_ih)"
    )


def test_only_the_gru_s_input_side_differs_from_its_hidden_side():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 2, 2))
    for cell, activation in CASES:
        tr = forward(cell, activation, random_params(cell, 4, 2, rng), x)
        dpre, dh = rng.standard_normal((3, 2, BLOCKS[cell] * 4)), rng.standard_normal((3, 2, 4))
        same = np.array_equal(input_side_delta(tr, dpre, dh), dpre)
        assert same == (cell != "gru"), cell


def test_h_prev_is_the_previous_step_with_h_0_zero():
    h = np.arange(12.0).reshape(3, 2, 2) + 1.0
    h_exp = np.array([[0, 1], [2, 3], [4, 5]])
    hp, ep = Trace("rnn", np.zeros((3, 2, 1)), h, h_exp).h_prev()
    np.testing.assert_array_equal(hp, [np.zeros((2, 2)), h[0], h[1]])
    np.testing.assert_array_equal(ep, [[0, 0], [0, 1], [2, 3]])
    assert hp is not h and (h == np.arange(12.0).reshape(3, 2, 2) + 1.0).all()  # the trace is left as it was


def test_sequence_picks_one_sequence_as_a_batch_of_one():
    rng = np.random.default_rng(2)
    p = random_params("lstm", 3, 2, rng)
    tr = forward("lstm", "tanh", p, rng.standard_normal((4, 3, 2)))
    one = tr.sequence(1)
    assert one.cell == "lstm" and one.h.shape == (4, 1, 3) and one.x.shape == (4, 1, 2)
    np.testing.assert_array_equal(one.h[:, 0], tr.h[:, 1])
    np.testing.assert_array_equal(one.c[:, 0], tr.c[:, 1])
    np.testing.assert_array_equal(one.h_exp[:, 0], tr.h_exp[:, 1])
    assert set(one.gates) == set(tr.gates) and set(one.local) == set(tr.local)
    for name in tr.gates:
        np.testing.assert_array_equal(one.gates[name][:, 0], tr.gates[name][:, 1])
    for name in tr.local:
        np.testing.assert_array_equal(one.local[name][:, 0], tr.local[name][:, 1])
    rnn = forward("rnn", "relu", random_params("rnn", 3, 2, rng), rng.standard_normal((4, 3, 2)))
    assert rnn.sequence(2).c is None
    np.testing.assert_array_equal(rnn.sequence(2).pre_rnn[:, 0], rnn.pre_rnn[:, 2])


# ---------------------------------------------------------------- the forwards' arithmetic, bit for bit


def _sigmoid_grad(y):
    return y * (1.0 - y)


def _tanh_grad(y):
    return 1.0 - y * y


def _rnn_as_written(p: Params, x, h0=None, activation="tanh"):
    """The tanh rnn forward as first written: (h, None, gates, local)."""
    T, N, _ = x.shape
    H = p.weight_hh.shape[1]
    xp = x @ p.weight_ih.T + (p.bias_ih + p.bias_hh)
    w_hh_t = np.ascontiguousarray(p.weight_hh.T)
    pre, h_all = np.empty((T, N, H)), np.empty((T, N, H))
    h = np.zeros((N, H)) if h0 is None else np.array(h0)
    for t in range(T):
        a = pre[t]
        np.dot(h, w_hh_t, out=a)
        a += xp[t]
        h = h_all[t]
        np.tanh(a, out=h)
    return h_all, None, {}, {"act_grad": _tanh_grad(h_all)}


def _lstm_as_written(p: Params, x, h0=None, c0=None):
    """The lstm forward as first written (a new array for every temporary, the local derivatives from whole
    gate arrays by concatenation): (h, c, gates, local) that the in-place forward must give bit for bit."""
    T, N, _ = x.shape
    H = p.weight_hh.shape[1]
    xp = x @ p.weight_ih.T + (p.bias_ih + p.bias_hh)
    w_hh_t = np.ascontiguousarray(p.weight_hh.T)
    inner, shift = np.repeat([0.5, 0.5, 1.0, 0.5], H), np.repeat([0.5, 0.5, 0.0, 0.5], H)
    acts, c_all, tanh_c, h_all = np.empty((T, N, 4 * H)), np.empty((T, N, H)), np.empty((T, N, H)), np.empty((T, N, H))
    h = np.zeros((N, H)) if h0 is None else np.array(h0)
    c_start = np.zeros((N, H)) if c0 is None else np.array(c0)
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
        c += i * g
        np.tanh(c, out=tanh_c[t])
        h = h_all[t]
        np.multiply(o, tanh_c[t], out=h)
    i, f, g, o = (acts[..., k * H : (k + 1) * H] for k in range(4))
    c_prev = np.concatenate([c_start[None], c_all[:-1]])
    factors = [g * _sigmoid_grad(i), c_prev * _sigmoid_grad(f), i * _tanh_grad(g), tanh_c * _sigmoid_grad(o)]
    local = {"gate_factors": np.concatenate(factors, axis=-1), "dh_to_dc": o * _tanh_grad(tanh_c), "forget": f}
    return h_all, c_all, {"i": i, "f": f, "g": g, "o": o}, local


def _gru_as_written(p: Params, x, h0=None):
    """The gru forward as first written, likewise: (h, None, gates, local)."""
    T, N, _ = x.shape
    H = p.weight_hh.shape[1]
    xp = x @ p.weight_ih.T + p.bias_ih
    w_hh_t = np.ascontiguousarray(p.weight_hh.T)
    rz, hn, n_all, h_all = np.empty((T, N, 2 * H)), np.empty((T, N, H)), np.empty((T, N, H)), np.empty((T, N, H))
    h = np.zeros((N, H)) if h0 is None else np.array(h0)
    for t in range(T):
        hp = h @ w_hh_t + p.bias_hh
        y = rz[t]
        np.add(xp[t, :, : 2 * H], hp[:, : 2 * H], out=y)
        y[...] = 0.5 * (1.0 + np.tanh(0.5 * y))
        r, z = y[:, :H], y[:, H:]
        hn[t] = hp[:, 2 * H :]
        n = n_all[t]
        np.multiply(r, hn[t], out=n)
        n += xp[t, :, 2 * H :]
        np.tanh(n, out=n)
        h_new = h_all[t]
        np.subtract(h, n, out=h_new)
        h_new *= z
        h_new += n
        h = h_new
    r, z = rz[..., :H], rz[..., H:]
    h_prev = np.zeros_like(h_all)
    h_prev[1:] = h_all[:-1]
    if h0 is not None:
        h_prev[0] = h0
    dn = (1.0 - z) * _tanh_grad(n_all)
    factors = [dn * hn * _sigmoid_grad(r), (h_prev - n_all) * _sigmoid_grad(z), dn * r]
    local = {"gate_factors": np.concatenate(factors, axis=-1), "dh_to_n": dn, "update": z}
    return h_all, None, {"r": r, "z": z, "n": n_all}, local


@pytest.mark.parametrize("block", [1, 3, 10])
@pytest.mark.parametrize("T", [1, 9, 10, 23])
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_the_forwards_keep_their_arithmetic_bit_for_bit(monkeypatch, cell, T, block):
    """In place, in blocks of `block` steps (LOCAL_BLOCK) and in a workspace, the forwards give the states, gates and
    local derivatives of the forward as first written, bit for bit, from zero and given initial states, at sizes
    that split the blocks unevenly."""
    from gradflow.core import workspace
    from gradflow.core.workspace import Workspace

    rng = np.random.default_rng(T + block)
    N, H, I = 3, 5, 2
    monkeypatch.setattr(workspace, "LOCAL_BLOCK", block * N * {"rnn": 1, "lstm": 4, "gru": 3}[cell] * H)
    p = random_params(cell, H, I, rng, scale=1.5)
    x = rng.standard_normal((T, N, I))
    ws = Workspace()
    for h0, c0 in ((None, None), (rng.standard_normal((N, H)), rng.standard_normal((N, H)))):
        written = {"rnn": _rnn_as_written, "lstm": _lstm_as_written, "gru": _gru_as_written}[cell]
        want = written(p, x, h0, c0) if cell == "lstm" else written(p, x, h0)
        for space in (None, ws):
            tr = forward(cell, "tanh", p, x, h0, c0 if cell == "lstm" else None, ws=space)
            assert_same_bits(tr.h, want[0], "h")
            if cell == "lstm":
                assert_same_bits(tr.c, want[1], "c")
            for kind, got, expected in (("gate", tr.gates, want[2]), ("local", tr.local, want[3])):
                assert got.keys() == expected.keys()
                for name in expected:
                    assert_same_bits(got[name], expected[name], f"{kind} {name}")
