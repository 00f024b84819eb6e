"""Explicit weights: PyTorch's state_dict names and Keras's layout give the seeded network's exact answer."""

import re

import numpy as np
import pytest
from gradflow.core.config import SimConfig
from gradflow.core.init import make_run
from gradflow.core.simulate import simulate
from gradflow.core.weights import WeightsError, from_arrays

SAME = ("loss", "grad_h", "grad_h_log10_norm", "hidden", "grad_x", "memory_horizon")


def seeded(cell, num_layers=1, **kw):
    cfg = SimConfig(
        cell=cell,
        seq_len=12,
        hidden_size=5,
        input_size=3,
        num_layers=num_layers,
        seed=4,
        recurrent_scale=1.3,
        return_params=True,
        **kw,
    )
    return cfg, simulate(cfg)


def assert_same(a, b):
    for key in SAME:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    for name, grad in a["param_grads"].items():
        np.testing.assert_array_equal(grad, b["param_grads"][name], err_msg=name)


@pytest.mark.parametrize("num_layers", [1, 3])
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_the_seeded_weights_given_explicitly_give_the_same_answer(cell, num_layers):
    cfg, ref = seeded(cell, num_layers)
    params = {(f"{k}_l0" if num_layers == 1 and k != "readout" else k): v for k, v in ref["params"].items()}
    explicit = simulate(_with_params(cfg, params))
    assert_same(ref, explicit)
    assert explicit["weights"]["source"] == "explicit"
    assert any("do not apply" in w for w in explicit["warnings"])


def _with_params(cfg, params):
    import dataclasses

    return dataclasses.replace(cfg, params=params, recurrent_scale=7.0, init="gaussian", forget_bias=3.0)


def keras_layout(cell, p):
    """A Keras layer's weights made from PyTorch-layout ones: transpose, and for the gru reorder r, z, n -> z, r, h."""
    H = p["weight_hh"].shape[1]
    if cell != "gru":
        return {
            "lstm/lstm_cell/kernel:0": p["weight_ih"].T,
            "recurrent_kernel": p["weight_hh"].T,
            "bias": p["bias_ih"] + p["bias_hh"],
        }
    order = np.concatenate([np.arange(H, 2 * H), np.arange(0, H), np.arange(2 * H, 3 * H)])  # z, r, h from r, z, n
    return {
        "kernel": p["weight_ih"][order].T,
        "recurrent_kernel": p["weight_hh"][order].T,
        "bias": np.stack([p["bias_ih"][order], p["bias_hh"][order]]),
    }


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_keras_layout_gives_the_same_answer_as_the_pytorch_original(cell):
    cfg, ref = seeded(cell)
    torch_params = {k: v for k, v in ref["params"].items() if k != "readout"}
    keras = {**keras_layout(cell, torch_params), "readout": ref["params"]["readout"]}
    r = simulate(_with_params(cfg, keras))
    assert r["memory_horizon"] == ref["memory_horizon"]
    for key in SAME[:-1]:  # rnn/lstm fold b_hh into b_ih: equal to rounding, not bit for bit
        np.testing.assert_allclose(r[key], ref[key], rtol=1e-12, atol=1e-15, err_msg=key)
    assert r["weights"]["notes"][0].startswith("Keras layout")


def test_a_keras_gru_with_reset_after_false_is_refused_with_the_reason():
    with pytest.raises(WeightsError, match="reset_after=False") as caught:
        from_arrays(
            {"kernel": np.zeros((3, 15)), "recurrent_kernel": np.zeros((5, 15)), "bias": np.zeros(15)}, "gru", 5, 3, 1
        )
    assert caught.value.array == "bias"


@pytest.mark.parametrize(
    ("arrays", "words", "array"),
    [
        (
            {"weight_ih_l0": np.zeros((20, 4)), "weight_hh_l0": np.zeros((20, 5))},
            "weight_ih_l0 has shape 20 x 4, expected 20 x 3 for a lstm (G = 4 gate blocks)",
            "weight_ih_l0",
        ),
        ({"weight_ih_l0": np.zeros((20, 3))}, "weight_hh_l0 is missing", "weight_hh_l0"),
        (
            {"weight_ih_l0": np.full((20, 3), np.nan), "weight_hh_l0": np.zeros((20, 5))},
            "weight_ih_l0: 60 of its numbers are not finite",
            "weight_ih_l0",
        ),
        (
            {"weight_ih_l0": np.zeros((20, 3)), "weight_hh_l0": np.zeros((20, 5)), "weight_hh_l1": np.zeros((20, 5))},
            "more layers than num_layers = 1",
            "weight_hh_l1",
        ),
        ({"weight_ih_l0_reverse": np.zeros((20, 3))}, "bidirectional", "weight_ih_l0_reverse"),
        ({"weight_ih_l0": np.array([["a"] * 3] * 20)}, "expected numbers", "weight_ih_l0"),
    ],
)
def test_malformed_weights_name_the_array(arrays, words, array):
    with pytest.raises(WeightsError, match=re.escape(words)) as caught:
        from_arrays(arrays, "lstm", 5, 3, 1)
    assert caught.value.array == array


def test_a_module_prefix_is_understood_and_other_arrays_are_listed():
    (p,), _, _ = make_run(SimConfig(cell="gru", hidden_size=5, input_size=3))
    arrays = {f"encoder.rnn.{k}_l0": v for k, v in p.as_dict().items() if k.startswith("weight")}
    arrays["fc.weight"] = np.zeros((1, 5))
    w = from_arrays(arrays, "gru", 5, 3, 1)
    assert w.ignored == ["fc.weight"] and w.recognised["encoder.rnn.weight_ih_l0"] == "weight_ih_l0"
    assert (w.layers[0].bias_ih == 0).all() and any("bias=False" in n for n in w.notes)
