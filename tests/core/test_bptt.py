"""Every backward quantity against central finite differences of the naive reference (the forward against it
is in test_cells.py). Float64 throughout; several cells, activations, losses, shapes and seeds."""

import numpy as np
import pytest
from gradflow.core.bptt import param_grads, seeds_for_loss, sweep
from gradflow.core.cells import forward
from gradflow.core.logscale import to_float

from .reference import CASES, SHAPES, central_difference, run, seeded_run

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
