import numpy as np
import pytest
from gradflow.core.bptt import sweep
from gradflow.core.cells import forward
from gradflow.core.config import SimConfig
from gradflow.core.flow import flow_log10, loss_positions, strided_steps
from gradflow.core.init import make_run
from gradflow.core.logscale import log10_norm
from gradflow.core.simulate import simulate


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_each_flow_row_equals_its_own_backward_sweep(cell):
    """Row j of the one-sweep matrix = a separate sweep seeded only at t' = loss_steps[j]."""
    T = 23
    cfg = SimConfig(cell=cell, seq_len=T, hidden_size=5, input_size=3, seed=5, recurrent_scale=1.4)
    (params,), v, x = make_run(cfg)
    tr = forward(cell, "tanh", params, x).sequence(0)
    loss_steps = loss_positions(T, 6)
    steps = list(range(1, T + 1))
    flow = flow_log10(tr, params.weight_hh, v, loss_steps, steps)
    for j, tp in enumerate(loss_steps):
        seeds = np.zeros((T, 1), dtype=bool)
        seeds[tp - 1] = True
        d = sweep(tr, params.weight_hh, v, seeds)
        ref = log10_norm(d.dh[:tp, 0], d.exp[:tp, 0])
        np.testing.assert_allclose(flow[j, :tp], ref, rtol=1e-12, atol=1e-12, err_msg=f"row t'={tp}")
        assert np.isnan(flow[j, tp:]).all()


def test_flow_last_row_is_grad_h_under_last_loss():
    r = simulate(SimConfig(cell="gru", seq_len=40, flow_steps=5))
    flow = r["flow"]
    assert flow["loss_steps"][-1] == 40 and flow["steps"] == list(range(1, 41))
    np.testing.assert_allclose(flow["log10_norm"][-1], r["grad_h_log10_norm"], rtol=1e-12)


def test_strided_steps():
    assert strided_steps(1000, 5) == [1, 251, 500, 750, 1000]
    assert loss_positions(1000, 5) == [200, 400, 600, 800, 1000]
    assert loss_positions(10, 3) == [3, 6, 10]
    assert loss_positions(4, 9) == [1, 2, 3, 4]
    assert strided_steps(3, 10) == [1, 2, 3]
    assert strided_steps(7, 1) == [7]


def test_flow_off():
    assert simulate(SimConfig(flow_steps=0))["flow"] is None
