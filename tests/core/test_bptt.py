"""Every backward quantity against central finite differences of the naive reference (the forward against it
is in test_cells.py). Float64 throughout; several cells, activations, losses, shapes and seeds."""

import collections

import numpy as np
import pytest
from gradflow.core import bptt
from gradflow.core.bptt import Deltas, param_grads, seeds_for_loss, sweep
from gradflow.core.cells import forward
from gradflow.core.clipping import clip_step_norm
from gradflow.core.config import SimConfig
from gradflow.core.init import make_run
from gradflow.core.logscale import to_float

from .reference import CASES, SHAPES, assert_same_bits, central_difference, run, seeded_run

TOL = dict(rtol=1e-6, atol=1e-8)


def setup(cell, activation, loss, T, H, I, B, seed):
    cfg, params, v, x = seeded_run(cell, activation, loss, T, H, I, B, seed)
    tr = forward(cell, activation, params, x)
    d = sweep(tr, params.weight_hh, v, seeds_for_loss(loss, T, B))
    return cfg, params, v, x, tr, d


def mean_loss(cell, activation, p, x, v, loss):
    return np.mean([run(cell, activation, p, x[:, b], v, loss)[0] for b in range(x.shape[1])])


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("loss", ["last", "all"])
@pytest.mark.parametrize("cell,activation", CASES)
def test_param_and_input_grads_match_finite_differences(cell, activation, loss, shape):
    _, params, v, x, tr, d = setup(cell, activation, loss, *shape)
    grads, grad_x = param_grads(tr, params, d)
    values = grads.values()
    p = {k: a.copy() for k, a in params.as_dict().items()}
    for name in p:
        num = central_difference(lambda: mean_loss(cell, activation, p, x, v, loss), p[name])
        np.testing.assert_allclose(values[name], num, **TOL, err_msg=f"dL/d{name}: BPTT vs finite differences")
    x0 = x[:, 0].copy()
    num_x = central_difference(lambda: run(cell, activation, p, x0, v, loss)[0], x0)
    np.testing.assert_allclose(grad_x, num_x, **TOL, err_msg="dL/dx_t of sequence 0")


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("loss", ["last", "all"])
@pytest.mark.parametrize("cell,activation", CASES)
def test_state_grads_match_finite_differences(cell, activation, loss, shape):
    T, H = shape[0], shape[1]
    _, params, v, x, tr, d = setup(cell, activation, loss, *shape)
    p = params.as_dict()
    grad_h = to_float(d.dh[:, 0], d.exp[:, 0])
    for t in range(T):
        bump = np.zeros(H)
        num = central_difference(lambda: run(cell, activation, p, x[:, 0], v, loss, dh={t: bump})[0], bump)
        np.testing.assert_allclose(grad_h[t], num, **TOL, err_msg=f"dL/dh_{t + 1}")
        if cell == "lstm":
            num_c = central_difference(lambda: run(cell, activation, p, x[:, 0], v, loss, dc={t: bump})[0], bump)
            np.testing.assert_allclose(to_float(d.dc[t, 0], d.exp[t, 0]), num_c, **TOL, err_msg=f"dL/dc_{t + 1}")


def test_lstm_cell_path_identity():
    """dL/dc_{t-1} = dL/dc_t * f_t + dL/dh_{t-1} * o_{t-1} * (1 - tanh^2 c_{t-1})."""
    _, params, v, x, tr, d = setup("lstm", "tanh", "all", 9, 5, 3, 2, 4)
    f, o = tr.gates["f"], tr.gates["o"]
    dc, dh = d.dc, d.dh
    through_h = dh[:-1] * o[:-1] * (1 - np.tanh(tr.c[:-1]) ** 2)
    np.testing.assert_allclose(dc[:-1], dc[1:] * f[1:] + through_h, rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------- runs of steps without range checks


def _run_at(cell, activation, scale, T, N=3, H=6, I=2, loss="last", seed=2):
    """(params, v, x) of a seeded run with W_hh at `scale` (orthogonal), for the sweep's range regimes."""
    cfg = SimConfig(
        cell=cell,
        activation=activation,
        seq_len=T,
        hidden_size=H,
        input_size=I,
        batch_size=N,
        seed=seed,
        loss=loss,
        recurrent_scale=scale,
    )
    (params,), v, x = make_run(cfg)
    return params, v, x


@pytest.fixture
def branches(monkeypatch):
    """Counts how each run of steps without checks ended: in range (kept), out of range or overflow (redone
    step by step)."""
    seen = collections.Counter()
    real_rows, real_unchecked = bptt.rows_in_range, bptt._unchecked

    def rows(arrays):
        ok = real_rows(arrays)
        seen["in range" if ok else "out of range"] += 1
        return ok

    def unchecked(*args):
        checked_before = seen["in range"] + seen["out of range"]
        ok = real_unchecked(*args)
        if not ok and seen["in range"] + seen["out of range"] == checked_before:
            seen["overflow"] += 1
        return ok

    monkeypatch.setattr(bptt, "rows_in_range", rows)
    monkeypatch.setattr(bptt, "_unchecked", unchecked)
    return seen


def _same_as_step_by_step(monkeypatch, tr, w_hh, v, seeds, **kw) -> Deltas:
    """The sweep, and the same sweep with a range check after every step (CHUNK = 1: no run without checks,
    the general path), bit for bit."""
    fast = sweep(tr, w_hh, v, seeds, **kw)
    with monkeypatch.context() as m:
        m.setattr(bptt, "CHUNK", 1)
        general = sweep(tr, w_hh, v, seeds, **kw)
    for name in ("dh", "dc", "dpre", "exp", "clipped"):
        if getattr(general, name) is None:
            assert getattr(fast, name) is None
        else:
            assert_same_bits(getattr(fast, name), getattr(general, name), name)
    return fast


@pytest.mark.parametrize(
    "cell,activation,scale,T,expect",
    [
        ("rnn", "tanh", 1.0, 70, "in range"),
        ("lstm", "tanh", 1.0, 70, "in range"),
        ("gru", "tanh", 1.0, 70, "in range"),
        ("rnn", "tanh", 0.05, 200, "out of range"),  # vanishes below 2**-256: rescaled every ~60 steps
        ("lstm", "tanh", 0.05, 700, "out of range"),  # the cell path halves at each step
        ("gru", "tanh", 0.05, 700, "out of range"),
        ("rnn", "linear", 3.0, 300, "out of range"),  # explodes past 2**256
        ("rnn", "relu", 3.0, 300, "out of range"),
        ("rnn", "linear", 2.0**40, 60, "overflow"),  # past float64 within one run of unchecked steps
        ("rnn", "relu", 2.0**40, 60, "overflow"),
    ],
)
def test_runs_without_checks_record_what_the_step_by_step_sweep_records(
    monkeypatch, branches, cell, activation, scale, T, expect
):
    """Where every row stays in range the checks are made once per run of steps; where one would have rescaled
    (vanishing, exploding) or float64 overflowed, the run is redone step by step: the same bits either way."""
    params, v, x = _run_at(cell, activation, scale, T)
    tr = forward(cell, activation, params, x)
    d = _same_as_step_by_step(monkeypatch, tr, params.weight_hh, v, seeds_for_loss("last", T, x.shape[1]))
    assert branches[expect] > 0, branches
    if expect == "in range":
        assert set(branches) == {"in range"} and (d.exp == 0).all()
    else:
        assert (d.exp != 0).any()


@pytest.mark.parametrize("cell,activation", CASES)
def test_runs_end_where_a_seed_enters_or_a_clipper_acts(monkeypatch, cell, activation):
    """Seeds at a few steps and rows only, a bptt clipper, the lstm's dc_last: the same bits as step by step."""
    T, N, H = 75, 3, 6
    params, _, x = _run_at(cell, activation, 1.2, T, N, H)
    tr = forward(cell, activation, params, x)
    rng = np.random.default_rng(4)
    seeds = np.zeros((T, N), dtype=bool)
    seeds[[T - 1, 60, 7]] = True
    seeds[40, :2] = seeds[39, 1] = True
    v_rows = rng.standard_normal((N, H))
    dc_last = rng.standard_normal((N, H)) if cell == "lstm" else None
    _same_as_step_by_step(monkeypatch, tr, params.weight_hh, v_rows, seeds, dc_last=dc_last)
    clipped = _same_as_step_by_step(monkeypatch, tr, params.weight_hh, v_rows[0], seeds, clipper=clip_step_norm(0.1))
    assert clipped.clipped.any()


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_a_stack_fed_at_its_outputs_is_the_same_as_step_by_step(monkeypatch, cell):
    """What flows down from the layer above joins at every step (inject), with the lstm's dc_last."""
    T, N, H = 40, 2, 5
    rng = np.random.default_rng(8)
    params, _, x = _run_at(cell, "tanh", 1.1, T, N, H)
    tr = forward(cell, "tanh", params, x)
    inject = (rng.standard_normal((T, N, H)), np.zeros((T, N), dtype=np.int64))
    inject[1][[5, 30]] = [3, -2]  # some of it given at other exponents
    dc_last = rng.standard_normal((N, H)) if cell == "lstm" else None
    none = np.zeros((T, N), dtype=bool)
    _same_as_step_by_step(monkeypatch, tr, params.weight_hh, np.zeros(H), none, inject=inject, dc_last=dc_last)


@pytest.mark.parametrize("cell,activation", CASES)
def test_param_grads_share_the_bias_sum_and_leave_out_grad_x_on_request(cell, activation):
    """rnn, lstm: bias_hh is the same sum as bias_ih, computed once, bit for bit as computed on its own (also
    with exponents); without grad_x the gradients are the same."""
    for scale, T in ((1.0, 9), (0.05, 120)):
        params, v, x = _run_at(cell, activation, scale, T)
        tr = forward(cell, activation, params, x)
        d = sweep(tr, params.weight_hh, v, seeds_for_loss("all", T, x.shape[1]))
        g, gx = param_grads(tr, params, d)
        g2, none = param_grads(tr, params, d, grad_x=False)
        assert none is None and gx.shape == (T, x.shape[2])
        for k in g.m:
            assert_same_bits(g2.m[k], g.m[k], k)
        top = int(d.exp.max())
        own = (d.dpre * np.ldexp(1.0, d.exp - top)[..., None] if d.exp.any() else d.dpre).reshape(-1, d.dpre.shape[2])
        assert_same_bits(g.m["bias_hh"], own.sum(axis=0) / x.shape[1], "bias_hh")
        assert g.exp["bias_hh"] == (top if d.exp.any() else 0)
        assert g.m["bias_hh"] is not g.m["bias_ih"]
