"""The configuration of one simulation (core/config.py): `SimConfig.to_dict` gives back every field as plain
JSON values, and GATES / MEMORY_GATE say what the cells do."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from gradflow.core.cells import BACKWARD_STEP, forward
from gradflow.core.config import GATES, MEMORY_GATE, SimConfig
from gradflow.core.params import Params

SIGMA = lambda a: 1.0 / (1.0 + np.exp(-a))  # noqa: E731


def layer(cell: str, H: int, I: int, rng: np.random.Generator, blocks: int) -> Params:
    G = blocks * H
    return Params(*(rng.uniform(-0.8, 0.8, shape) for shape in ((G, I), (G, H), (G,), (G,))))


def test_to_dict_is_every_field_with_its_default():
    d = SimConfig().to_dict()
    assert list(d) == [f.name for f in dataclasses.fields(SimConfig)]
    assert d == {f.name: f.default for f in dataclasses.fields(SimConfig)}
    assert d["fields"] is None and d["params"] is None  # (the defaults themselves are the app's choice)


def test_to_dict_round_trips_through_json():
    cfg = SimConfig(
        cell="gru",
        seq_len=3,
        input_size=2,
        inputs=((1.0, -2.5), (0.0, 3.0), (1e-300, 7.0)),
        fields=("loss", "grad_h"),
        clip_mode="norm",
        clip_threshold=0.25,
        num_layers=2,
    )
    d = json.loads(json.dumps(cfg.to_dict()))
    assert d["inputs"] == [[1.0, -2.5], [0.0, 3.0], [1e-300, 7.0]] and d["fields"] == ["loss", "grad_h"]
    back = {**d, "inputs": tuple(map(tuple, d["inputs"])), "fields": tuple(d["fields"])}
    assert SimConfig(**back) == cfg


def test_explicit_weights_are_not_echoed_and_stay_in_the_config():
    weights = {"weight_hh": np.eye(2)}
    cfg = SimConfig(hidden_size=2, params=weights)
    assert cfg.to_dict()["params"] is None
    assert cfg.params is weights
    json.dumps(cfg.to_dict())  # nothing of numpy is left in it


def test_weights_take_no_part_in_equality_or_hashing():
    with_weights = SimConfig(params={"weight_hh": [[1.0]]})
    assert with_weights == SimConfig() and hash(with_weights) == hash(SimConfig())


def test_a_config_cannot_be_changed():
    cfg = SimConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.seq_len = 3  # type: ignore[misc]


@pytest.mark.parametrize(("cell", "gates"), [("rnn", 1), ("lstm", 4), ("gru", 3)])
def test_num_gates_counts_the_blocks(cell, gates):
    assert SimConfig(cell=cell).num_gates == gates == len(GATES[cell])


def test_gates_are_the_cells_blocks_in_pytorch_row_order():
    """At t = 1 (h_0 = 0) block k of W_ih x + b_ih + b_hh, through its gate's function, is the gate GATES[k]."""
    rng = np.random.default_rng(4)
    H, I = 3, 2
    x = rng.standard_normal((1, 2, I))
    p = layer("lstm", H, I, rng, 4)
    tr = forward("lstm", "tanh", p, x)
    assert tuple(tr.gates) == GATES["lstm"] == ("i", "f", "g", "o")
    a = x[0] @ p.weight_ih.T + p.bias_ih + p.bias_hh
    for k, name in enumerate(GATES["lstm"]):
        f = np.tanh if name == "g" else SIGMA
        np.testing.assert_allclose(tr.gates[name][0], f(a[:, k * H : (k + 1) * H]), rtol=1e-14, err_msg=name)

    p = layer("gru", H, I, rng, 3)
    tr = forward("gru", "tanh", p, x)
    assert tuple(tr.gates) == GATES["gru"] == ("r", "z", "n")
    gi, gh = x[0] @ p.weight_ih.T + p.bias_ih, p.bias_hh
    block = {name: slice(k * H, (k + 1) * H) for k, name in enumerate(GATES["gru"])}
    r = SIGMA(gi[:, block["r"]] + gh[block["r"]])
    np.testing.assert_allclose(tr.gates["r"][0], r, rtol=1e-14)
    np.testing.assert_allclose(tr.gates["z"][0], SIGMA(gi[:, block["z"]] + gh[block["z"]]), rtol=1e-14)
    np.testing.assert_allclose(tr.gates["n"][0], np.tanh(gi[:, block["n"]] + r * gh[block["n"]]), rtol=1e-14)


def test_the_memory_gate_is_what_each_step_back_multiplies_the_carried_gradient_by():
    """lstm: dL/dc_{t-1} = f_t dL/dc_t along the cell path (with dL/dh_t = 0); gru: dL/dh_{t-1} = z_t dL/dh_t
    along the direct path (with W_hh = 0, so nothing flows through the gates)."""
    rng = np.random.default_rng(9)
    N, H, I = 2, 3, 2
    x = rng.standard_normal((3, N, I))
    assert set(MEMORY_GATE) == {cell for cell, gates in GATES.items() if len(gates) > 1}

    gate = MEMORY_GATE["lstm"][0]
    p = layer("lstm", H, I, rng, 4)
    tr = forward("lstm", "tanh", p, x)
    carried = rng.standard_normal((N, H))
    _, dc_prev = BACKWARD_STEP["lstm"](tr, p.weight_hh, 2, np.zeros((N, H)), carried.copy(), np.empty((N, 4 * H)))
    np.testing.assert_allclose(dc_prev, carried * tr.gates[gate][2], rtol=1e-15)

    gate = MEMORY_GATE["gru"][0]
    p = layer("gru", H, I, rng, 3)
    p = Params(p.weight_ih, np.zeros_like(p.weight_hh), p.bias_ih, p.bias_hh)
    tr = forward("gru", "tanh", p, x)
    dh_prev, _ = BACKWARD_STEP["gru"](tr, p.weight_hh, 2, carried.copy(), None, np.empty((N, 3 * H)))
    np.testing.assert_allclose(dh_prev, carried * tr.gates[gate][2], rtol=1e-15)


def test_the_memory_gate_means_are_named_as_training_and_sweeps_report_them():
    from gradflow.models.train import TrainProgress
    from gradflow.sweeping.points import METRICS

    assert MEMORY_GATE == {"lstm": ("f", "forget_gate_mean"), "gru": ("z", "update_gate_mean")}
    for _, mean in MEMORY_GATE.values():
        assert mean in METRICS and mean in TrainProgress.model_fields
