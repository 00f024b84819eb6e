"""Shapes read from the weights: a file alone gives the answer of the file plus the right fields, and a field that
disagrees is refused naming both values."""

from __future__ import annotations

import numpy as np
import pytest
from gradflow.library.run import InvalidRequest, simulate
from gradflow.models.inferred import fill_shape


def seeded(cell, **kw):
    return simulate(cell=cell, return_params=True, fields=["params"], **kw).params


@pytest.mark.parametrize(("cell", "layers"), [("rnn", 1), ("lstm", 3), ("gru", 2)])
def test_a_file_alone_equals_the_file_with_the_right_fields(cell, layers):
    params = {k: v for k, v in seeded(cell, hidden_size=6, input_size=3, num_layers=layers).items() if k != "readout"}
    alone = simulate(params=params, seq_len=15)
    given = simulate(params=params, seq_len=15, cell=cell, hidden_size=6, input_size=3, num_layers=layers)
    np.testing.assert_array_equal(alone.grad_h_log10_norm, given.grad_h_log10_norm)
    inferred = alone.to_dict()["weights"]["inferred"]
    assert inferred == {"cell": cell, "hidden_size": 6, "input_size": 3, "num_layers": layers}
    assert given.to_dict()["weights"]["inferred"] == {}
    assert any("activation: tanh assumed" in n for n in alone.to_dict()["weights"]["notes"]) == (cell == "rnn")


@pytest.mark.parametrize(
    ("field", "value"), [("hidden_size", 7), ("cell", "gru"), ("input_size", 2), ("num_layers", 2)]
)
def test_a_field_that_disagrees_names_both_values(field, value):
    params = seeded("lstm", hidden_size=6, input_size=3)
    with pytest.raises(InvalidRequest) as refused:
        simulate(params=params, **{field: value})
    msg = str(refused.value)
    assert f"{field} = {value!r} disagrees with the weights file" in msg
    assert "a lstm with hidden_size 6, input_size 3 and num_layers 1" in msg


def test_fill_shape_leaves_what_it_cannot_read_to_the_full_check():
    fields, inferred, _ = fill_shape({"params": {"weight_ih_l0": [[1.0]]}})
    assert inferred == {} and isinstance(fields["params"]["weight_ih_l0"], np.ndarray)
    with pytest.raises(InvalidRequest, match="weight_hh_l0 is missing"):
        simulate(params={"weight_ih_l0": np.zeros((4, 1))}, hidden_size=4, input_size=1)


def test_an_array_that_hides_the_shape_is_named_when_the_request_left_the_shape_out():
    params = seeded("lstm", hidden_size=6, input_size=3, num_layers=2)
    params["weight_hh_l0"] = np.zeros((5, 6))
    with pytest.raises(InvalidRequest, match="weight_hh_l0 has 5 rows for 6 hidden units: not 1, 3 or 4 gate blocks"):
        simulate(params=params)
    with pytest.raises(InvalidRequest, match="weight_hh_l0 has shape 5 x 6, expected 24 x 6"):
        simulate(params=params, cell="lstm", hidden_size=6, input_size=3, num_layers=2)
