"""The plain types the core passes around (core/params.py): one layer's `Params` in PyTorch's names and order,
and a checked set of explicit `Weights`."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from gradflow.core.config import SimConfig
from gradflow.core.init import make_params
from gradflow.core.params import Params, Weights


def arrays() -> list[np.ndarray]:
    return [np.full((2, 3), 1.0), np.full((2, 2), 2.0), np.full(2, 3.0), np.full(2, 4.0)]


def test_the_names_are_pytorch_s_in_its_order():
    assert Params.NAMES == ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    assert tuple(f.name for f in dataclasses.fields(Params)) == Params.NAMES  # Params(*arrays in NAMES order)


def test_as_dict_names_each_array_in_order_without_copying():
    given = arrays()
    p = Params(*given)
    d = p.as_dict()
    assert list(d) == ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
    assert all(d[name] is array for name, array in zip(Params.NAMES, given))
    assert Params(**d).as_dict().keys() == d.keys()


def test_params_cannot_be_rebound():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Params(*arrays()).weight_hh = np.eye(2)  # type: ignore[misc]


@pytest.mark.parametrize(("cell", "gates"), [("rnn", 1), ("lstm", 4), ("gru", 3)])
def test_a_seeded_layer_has_the_documented_shapes(cell, gates):
    """weight_ih (G*H, I), weight_hh (G*H, H), bias_ih (G*H,), bias_hh (G*H,)."""
    H, I = 5, 3
    p = make_params(SimConfig(cell=cell, hidden_size=H, input_size=I), np.random.default_rng(0))
    shapes = {name: a.shape for name, a in p.as_dict().items()}
    assert shapes == {
        "weight_ih": (gates * H, I),
        "weight_hh": (gates * H, H),
        "bias_ih": (gates * H,),
        "bias_hh": (gates * H,),
    }


def test_each_weights_starts_with_its_own_empty_records():
    a, b = Weights([Params(*arrays())], None), Weights([], np.ones(2))
    a.recognised["weight_ih_l0"] = "weight_ih"
    a.ignored.append("fc.weight")
    a.notes.append("transposed")
    assert (b.recognised, b.ignored, b.notes) == ({}, [], [])
    assert b.readout.tolist() == [1.0, 1.0] and a.readout is None
