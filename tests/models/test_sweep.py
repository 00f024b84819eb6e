"""The request of a sweep (models/sweep.py): an axis is explicit values or start, stop, num (log-spaced on request),
integer fields get whole numbers, a JSON body is taken strictly, and `to_spec` checks every point's
configuration as /api/simulate would, naming the axis value at fault."""

from __future__ import annotations

import math

import pytest
from gradflow.core.config import SimConfig
from gradflow.models import SimulateRequest
from gradflow.models.bounds import MAX_AXIS_POINTS, MAX_SWEEP_SEEDS
from gradflow.models.request import NUMBER_FIELDS
from gradflow.models.sweep import AXIS_FIELDS, Axis, SweepRequest
from pydantic import ValidationError


def test_every_number_field_but_digits_and_seed_can_be_swept():
    assert set(AXIS_FIELDS) == set(NUMBER_FIELDS) - {"digits", "seed"}
    assert {"seq_len", "recurrent_scale", "forget_bias", "num_layers"} <= set(AXIS_FIELDS)


def test_explicit_values_are_the_points():
    assert Axis(field="recurrent_scale", values=[2.0, 0.5, 1]).points() == [2.0, 0.5, 1.0]


def test_a_range_is_evenly_spaced_from_start_to_stop():
    assert Axis(field="forget_bias", start=-1, stop=2, num=4).points() == [-1.0, 0.0, 1.0, 2.0]
    assert Axis(field="forget_bias", start=3, stop=3, num=1).points() == [3.0]


def test_a_log_range_is_geometric():
    points = Axis(field="recurrent_scale", start=0.01, stop=100, num=5, log=True).points()
    assert [math.log10(p) for p in points] == pytest.approx([-2, -1, 0, 1, 2], abs=1e-12)
    assert points[0] == 0.01 and points[-1] == 100.0


def test_an_integer_field_gets_whole_numbers():
    points = Axis(field="seq_len", values=[10.4, 10.6, 20]).points()
    assert points == [10, 11, 20] and all(type(p) is int for p in points)
    assert Axis(field="hidden_size", start=2, stop=8, num=4).points() == [2, 4, 6, 8]
    assert all(type(p) is float for p in Axis(field="clip_threshold", values=[1, 2]).points())


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"values": [1.0], "start": 1, "stop": 2, "num": 2}, "either values, or start, stop and num"),
        ({"start": 1, "stop": 2}, "either values, or start, stop and num"),
        ({}, "either values, or start, stop and num"),
        ({"start": -1, "stop": 2, "num": 3, "log": True}, "start > 0 and stop > 0"),
        ({"start": 1, "stop": 0, "num": 3, "log": True}, "start > 0 and stop > 0"),
        ({"values": []}, "at least 1"),
        ({"values": [1.0] * (MAX_AXIS_POINTS + 1)}, f"at most {MAX_AXIS_POINTS}"),
        ({"start": 1, "stop": 2, "num": 0}, "greater than or equal to 1"),
        ({"start": 1, "stop": 2, "num": MAX_AXIS_POINTS + 1}, f"less than or equal to {MAX_AXIS_POINTS}"),
        ({"values": [1.0], "step": 2}, "Extra inputs"),
        ({"values": [float("inf")]}, "finite"),
    ],
)
def test_a_malformed_axis_is_refused_in_words(fields, words):
    with pytest.raises(ValidationError, match=words):
        Axis.model_validate({"field": "recurrent_scale", **fields})


@pytest.mark.parametrize("field", ["seed", "digits", "cell", "inputs", "nope"])
def test_only_a_numeric_simulate_field_is_an_axis(field):
    with pytest.raises(ValidationError, match="field"):
        Axis.model_validate({"field": field, "values": [1]})


def test_a_json_body_is_taken_strictly_but_a_whole_float_is_a_count():
    with pytest.raises(ValidationError):
        Axis.model_validate({"field": "seq_len", "values": ["10"]})
    with pytest.raises(ValidationError, match="JSON number"):
        Axis.model_validate({"field": "seq_len", "start": 1, "stop": 5, "num": "3"})
    assert Axis.model_validate({"field": "seq_len", "start": 1, "stop": 5, "num": 3.0}).points() == [1, 3, 5]
    with pytest.raises(ValidationError):
        SweepRequest.model_validate({"x": {"field": "seq_len", "values": [5]}, "stream": "yes"})


def test_seeds_and_stream_defaults_and_bounds():
    request = SweepRequest.model_validate({"x": {"field": "seq_len", "values": [5]}})
    assert request.seeds == 1 and request.stream is True and request.y is None and request.base == {}
    SweepRequest.model_validate({"x": {"field": "seq_len", "values": [5]}, "seeds": MAX_SWEEP_SEEDS})
    for seeds in (0, MAX_SWEEP_SEEDS + 1):
        with pytest.raises(ValidationError, match="seeds"):
            SweepRequest.model_validate({"x": {"field": "seq_len", "values": [5]}, "seeds": seeds})


def test_to_spec_is_the_base_configuration_with_the_axes():
    spec = SweepRequest.model_validate(
        {
            "base": {"cell": "gru", "hidden_size": 6, "seed": 3, "fields": ["loss"], "digits": 4},
            "x": {"field": "recurrent_scale", "values": [0.5, 2]},
            "y": {"field": "seq_len", "start": 10, "stop": 30, "num": 3},
            "seeds": 2,
        }
    ).to_spec()
    assert spec.base == SimulateRequest(cell="gru", hidden_size=6, seed=3).to_sim_config()  # without fields, digits
    assert spec.base.fields is None and isinstance(spec.base, SimConfig)
    assert (spec.x_field, spec.x_values) == ("recurrent_scale", (0.5, 2.0))
    assert (spec.y_field, spec.y_values) == ("seq_len", (10, 20, 30))
    assert spec.seeds == 2 and spec.shape == (3, 2)


def test_to_spec_without_y_has_one_row():
    spec = SweepRequest.model_validate({"x": {"field": "hidden_size", "values": [4, 8, 16]}}).to_spec()
    assert spec.y_field is None and spec.y_values == () and spec.shape == (1, 3)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"base": {"seq_len": 0}}, "base: seq_len = 0: Input should be greater than or equal to 1"),
        ({"base": {"hiden_size": 4}}, "base: unknown field 'hiden_size'"),
        ({"base": {"params": {}}}, "base: explicit weights (params) are not swept"),
        ({"x": {"field": "hidden_size", "values": [4, 300]}}, "x.values[1]: hidden_size = 300"),
        ({"y": {"field": "batch_size", "values": [1, 65]}}, "y.values[1]: batch_size = 65"),
        ({"y": {"field": "recurrent_scale", "values": [1]}}, "x and y both sweep recurrent_scale: choose two fields"),
        (
            {"base": {"seq_len": 1, "input_size": 1, "inputs": [[1.0]]}, "x": {"field": "seq_len", "values": [1, 2]}},
            "x.values[1]: inputs has 1 rows but seq_len is 2",
        ),
    ],
)
def test_to_spec_checks_every_point_and_names_the_one_at_fault(fields, words):
    request = SweepRequest.model_validate({"x": {"field": "recurrent_scale", "values": [1.0]}, **fields})
    with pytest.raises(ValueError) as caught:
        request.to_spec()
    assert words in str(caught.value)
