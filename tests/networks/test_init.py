"""The catalogue of example networks and their files, as the package ships them."""

from __future__ import annotations

import pytest
from gradflow.io import read_weights
from gradflow.networks import catalogue, weights_file


@pytest.mark.parametrize("entry", catalogue(), ids=lambda e: e["name"])
def test_each_file_holds_the_network_the_catalogue_describes(entry):
    arrays = read_weights(weights_file(entry["name"]), entry["file"])
    G = {"rnn": 1, "lstm": 4, "gru": 3}[entry["cell"]]
    H, I = entry["hidden_size"], entry["input_size"]
    assert arrays["weight_hh_l0"].shape == (G * H, H) and arrays["weight_ih_l0"].shape == (G * H, I)
    assert len(weights_file(entry["name"])) < 32 * 1024


def test_an_unknown_name_is_a_key_error():
    with pytest.raises(KeyError):
        weights_file("nope")
