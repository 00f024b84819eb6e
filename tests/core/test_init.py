import numpy as np
import pytest
from gradflow.core.config import SimConfig
from gradflow.core.init import make_run, orthogonal


@pytest.mark.parametrize("cell,G", [("rnn", 1), ("lstm", 4), ("gru", 3)])
def test_pytorch_shapes(cell, G):
    (p,), v, x = make_run(SimConfig(cell=cell, hidden_size=5, input_size=3, seq_len=7, batch_size=2))
    assert p.weight_ih.shape == (G * 5, 3) and p.weight_hh.shape == (G * 5, 5)
    assert p.bias_ih.shape == p.bias_hh.shape == (G * 5,)
    assert v.shape == (5,) and x.shape == (7, 2, 3)


def test_orthogonal_blocks_scaled_by_s():
    s, H = 0.7, 6
    (p,), _, _ = make_run(SimConfig(cell="lstm", hidden_size=H, recurrent_scale=s))
    for k in range(4):
        block = p.weight_hh[k * H : (k + 1) * H] / s
        np.testing.assert_allclose(block @ block.T, np.eye(H), atol=1e-13)


def test_orthogonal_is_orthogonal():
    q = orthogonal(np.random.default_rng(3), 9)
    np.testing.assert_allclose(q.T @ q, np.eye(9), atol=1e-13)


def test_gaussian_scale():
    H = 256
    (p,), _, _ = make_run(SimConfig(init="gaussian", hidden_size=H, recurrent_scale=2.0, seed=1))
    # entries s * N(0, 1) / sqrt(H): their standard deviation is s / sqrt(H)
    assert p.weight_hh.std() * np.sqrt(H) == pytest.approx(2.0, rel=0.02)


def test_forget_bias_lands_on_the_forget_block_only():
    base = make_run(SimConfig(cell="lstm", hidden_size=4, forget_bias=0.0))[0][0]
    shifted = make_run(SimConfig(cell="lstm", hidden_size=4, forget_bias=2.5))[0][0]
    diff = shifted.bias_ih - base.bias_ih
    np.testing.assert_allclose(diff, np.r_[np.zeros(4), np.full(4, 2.5), np.zeros(8)], atol=1e-15)
    np.testing.assert_array_equal(shifted.bias_hh, base.bias_hh)
    np.testing.assert_array_equal(shifted.weight_hh, base.weight_hh)


def test_pytorch_default_bounds_for_input_weights_and_biases():
    H = 16
    p = make_run(SimConfig(cell="gru", hidden_size=H, input_size=8))[0][0]
    for w in (p.weight_ih, p.bias_ih, p.bias_hh):
        assert np.abs(w).max() <= 1 / np.sqrt(H)


def test_readout_is_a_unit_vector_and_inputs_follow_their_kind():
    _, v, x = make_run(SimConfig(input_kind="zeros", hidden_size=12))
    assert np.linalg.norm(v) == pytest.approx(1.0, rel=1e-15)
    assert (x == 0).all()
    _, _, x = make_run(SimConfig(input_kind="sine", seq_len=64, input_size=3))
    assert np.abs(x).max() <= 1.0 and np.abs(x).max() > 0.9


def test_changing_inputs_does_not_change_weights():
    a = make_run(SimConfig(input_kind="gaussian"))[0][0]
    b = make_run(SimConfig(input_kind="sine"))[0][0]
    np.testing.assert_array_equal(a.weight_hh, b.weight_hh)
