import json

import numpy as np
import pytest
from gradflow.wire.encoding import dumps, dumps_in_parts

NON_FINITE = [float("nan"), float("inf"), -float("inf")]


def strict_loads(data: bytes):
    def refuse(token):
        raise ValueError(token)

    return json.loads(data, parse_constant=refuse)


@pytest.mark.parametrize("value", NON_FINITE)
def test_non_finite_python_and_numpy_scalars_become_null(value):
    assert strict_loads(dumps({"f": value, "np": np.float64(value)})) == {"f": None, "np": None}


@pytest.mark.parametrize("value", NON_FINITE)
def test_non_finite_elements_of_arrays_become_null(value):
    matrix = np.array([[1.5, value], [value, -2.0]])
    assert strict_loads(dumps({"m": matrix, "v": matrix[0]})) == {"m": [[1.5, None], [None, -2.0]], "v": [1.5, None]}


def test_overflow_to_inf_inside_an_array_is_null():
    with np.errstate(over="ignore"):
        grown = np.array([1e300]) * 1e300
    assert strict_loads(dumps(grown)) == [None]


def test_float64_round_trips_to_the_last_digit():
    rng = np.random.default_rng(0)
    values = rng.standard_normal(1000) * 10.0 ** rng.uniform(-300, 300, 1000)
    assert np.array_equal(np.array(strict_loads(dumps(values)), dtype=float), values)


def test_non_contiguous_arrays_and_numpy_scalars_are_encoded():
    matrix = np.arange(12.0).reshape(3, 4)
    content = {"t": matrix.T, "col": matrix[:, 1], "i": np.int64(7), "b": np.bool_(True)}
    assert strict_loads(dumps(content)) == {"t": matrix.T.tolist(), "col": [1.0, 5.0, 9.0], "i": 7, "b": True}


def test_unknown_objects_are_refused_not_stringified():
    with pytest.raises(TypeError, match="object"):
        dumps({"x": object()})


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"cell": "lstm", "batch_size": 2, "return_params": True, "clip_mode": "norm", "clip_scope": "bptt"},
        {"cell": "rnn", "activation": "linear", "recurrent_scale": 50.0, "seq_len": 300},
    ],
    ids=["defaults", "lstm-everything", "beyond-float64"],
)
def test_encoding_in_parts_writes_the_same_bytes(config):
    from gradflow.core.config import SimConfig
    from gradflow.core.simulate import simulate

    answer = simulate(SimConfig(**config))
    assert dumps_in_parts(answer) == dumps(answer)
    assert dumps_in_parts({"": {}, 'é"': [1, {"k": np.array([np.inf])}], "n": None}) == dumps(
        {"": {}, 'é"': [1, {"k": np.array([np.inf])}], "n": None}
    )
    assert dumps_in_parts(np.arange(3.0)) == b"[0.0,1.0,2.0]"
