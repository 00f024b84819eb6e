"""Keras's recurrent layers in PyTorch's layout: transposes, the gru's gate order, a stack of several layers."""

import numpy as np
import pytest
from gradflow.core.keras_weights import _gru_order, from_keras, keras_cells
from gradflow.core.weights import WeightsError


def layer(G, H, I, seed, gru=False):
    rng = np.random.default_rng(seed)
    bias = rng.standard_normal((2, G * H)) if gru else rng.standard_normal(G * H)
    return {
        "kernel": rng.standard_normal((I, G * H)),
        "recurrent_kernel": rng.standard_normal((H, G * H)),
        "bias": bias,
    }


def test_an_lstm_layer_is_transposed_with_the_bias_on_the_input_side():
    k = layer(4, 3, 2, 0)
    w = from_keras({f"lstm/cell/{n}": v for n, v in k.items()}, "lstm", 1)
    (p,) = w.layers
    np.testing.assert_array_equal(p.weight_ih, k["kernel"].T)
    np.testing.assert_array_equal(p.weight_hh, k["recurrent_kernel"].T)
    np.testing.assert_array_equal(p.bias_ih, k["bias"]) and np.testing.assert_array_equal(p.bias_hh, 0)
    assert w.recognised["lstm/cell/kernel"].startswith("weight_ih_l0") and w.notes[0].startswith("Keras layout")


def test_the_gru_gates_z_r_h_become_r_z_n():
    H = 2
    assert list(_gru_order(H)) == [2, 3, 0, 1, 4, 5]
    k = layer(3, H, 1, 1, gru=True)
    (p,) = from_keras(k, "gru", 1).layers
    np.testing.assert_array_equal(p.weight_ih[:H], k["kernel"].T[H : 2 * H])  # r came second in Keras
    np.testing.assert_array_equal(p.bias_hh, k["bias"][1][_gru_order(H)])


def test_several_layers_make_a_stack_in_their_order_and_others_are_ignored():
    arrays = {f"a/{n}": v for n, v in layer(4, 3, 2, 0).items()}
    arrays |= {f"b/{n}": v for n, v in layer(4, 3, 3, 1).items()}
    arrays["dense/kernel_head"] = np.zeros((3, 1))
    w = from_keras(arrays, "lstm", 2)
    assert [p.weight_ih.shape for p in w.layers] == [(12, 2), (12, 3)]
    assert w.ignored == ["dense/kernel_head"] and len(keras_cells(arrays)) == 2
    with pytest.raises(WeightsError, match="2 Keras recurrent layer"):
        from_keras(arrays, "lstm", 1)


def test_one_of_each_under_different_paths_is_one_layer():
    k = layer(1, 3, 2, 2)
    arrays = {"x/kernel": k["kernel"], "y/recurrent_kernel": k["recurrent_kernel"], "bias": k["bias"]}
    assert len(from_keras(arrays, "rnn", 1).layers) == 1


def test_a_keras_gru_with_reset_after_false_is_refused():
    k = layer(3, 2, 1, 3)
    with pytest.raises(WeightsError, match="reset_after=False"):
        from_keras(k, "gru", 1)
