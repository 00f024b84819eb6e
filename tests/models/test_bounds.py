"""The limits a request may ask for (models/bounds.py): each is the bound the models' JSON schema (and so
/openapi.json, the page and `gradflow --help`) states, and the claims their docstrings make hold."""

from __future__ import annotations

import numpy as np
import pytest
from gradflow.models import SimulateRequest, TrainRequest
from gradflow.models import bounds as b
from gradflow.models.sweep import Axis, SweepRequest

SIMULATE = {  # field: (lower bound key, lower, upper)
    "seq_len": ("minimum", 1, b.MAX_SEQ_LEN),
    "hidden_size": ("minimum", 1, b.MAX_HIDDEN_SIZE),
    "input_size": ("minimum", 1, b.MAX_INPUT_SIZE),
    "recurrent_scale": ("exclusiveMinimum", 0, b.MAX_RECURRENT_SCALE),
    "forget_bias": ("minimum", -b.MAX_FORGET_BIAS_ABS, b.MAX_FORGET_BIAS_ABS),
    "batch_size": ("minimum", 1, b.MAX_BATCH_SIZE),
    "seed": ("minimum", 0, b.MAX_SEED),
    "clip_threshold": ("exclusiveMinimum", 0, b.MAX_CLIP_THRESHOLD),
    "flow_steps": ("minimum", 0, b.MAX_FLOW_STEPS),
    "num_layers": ("minimum", 1, b.MAX_LAYERS),
    "digits": ("minimum", 1, b.EXACT_DIGITS),
}
TRAIN = {
    "seq_len": ("minimum", 1, b.MAX_SEQ_LEN),
    "hidden_size": ("minimum", 1, b.MAX_HIDDEN_SIZE),
    "batch_size": ("minimum", 1, b.MAX_TRAIN_BATCH_SIZE),
    "steps": ("minimum", 1, b.MAX_TRAIN_STEPS),
    "learning_rate": ("exclusiveMinimum", 0, b.MAX_LEARNING_RATE),
    "clip_threshold": ("exclusiveMinimum", 0, b.MAX_CLIP_THRESHOLD),
    "recurrent_scale": ("exclusiveMinimum", 0, b.MAX_RECURRENT_SCALE),
    "forget_bias": ("minimum", -b.MAX_FORGET_BIAS_ABS, b.MAX_FORGET_BIAS_ABS),
    "seed": ("minimum", 0, b.MAX_SEED),
    "report_every": ("minimum", 1, b.MAX_TRAIN_STEPS),
}


def number_schema(model, name: str) -> dict:
    prop = model.model_json_schema()["properties"][name]
    return next((p for p in prop.get("anyOf", []) if p.get("type") != "null"), prop)  # digits: int | None


@pytest.mark.parametrize(
    ("model", "limits"), [(SimulateRequest, SIMULATE), (TrainRequest, TRAIN)], ids=["simulate", "train"]
)
def test_the_schema_states_each_named_limit(model, limits):
    for name, (low_key, low, high) in limits.items():
        prop = number_schema(model, name)
        assert prop[low_key] == low and prop["maximum"] == high, name
    numbers = {
        name
        for name, prop in model.model_json_schema()["properties"].items()
        if number_schema(model, name).get("type") in ("integer", "number")
    }
    assert numbers == set(limits), "a number field without a checked bound"


def test_explicit_inputs_are_bounded_in_length_width_and_size():
    inputs = next(
        p for p in SimulateRequest.model_json_schema()["properties"]["inputs"]["anyOf"] if p["type"] == "array"
    )
    assert inputs["maxItems"] == b.MAX_SEQ_LEN
    assert inputs["items"]["maxItems"] == b.MAX_INPUT_SIZE
    assert (
        inputs["items"]["items"]["minimum"] == -b.MAX_INPUT_ABS
        and inputs["items"]["items"]["maximum"] == b.MAX_INPUT_ABS
    )


def test_a_sweep_is_bounded_in_points_and_seeds():
    assert SweepRequest.model_json_schema()["properties"]["seeds"]["maximum"] == b.MAX_SWEEP_SEEDS
    axis = Axis.model_json_schema()["properties"]
    assert next(p for p in axis["values"]["anyOf"] if p["type"] == "array")["maxItems"] == b.MAX_AXIS_POINTS
    assert next(p for p in axis["num"]["anyOf"] if p["type"] == "integer")["maximum"] == b.MAX_AXIS_POINTS


def test_the_contract_sizes_are_within_the_bounds():
    """docs/api.md: at least seq_len 1..1000, hidden_size 1..256 and input_size 1..16 are accepted."""
    assert b.MAX_SEQ_LEN >= 1000 and b.MAX_HIDDEN_SIZE >= 256 and b.MAX_INPUT_SIZE >= 16
    SimulateRequest(seq_len=1000, hidden_size=256, input_size=16)


def test_seventeen_digits_tell_every_float64_apart_and_sixteen_do_not():
    values = np.random.default_rng(0).standard_normal(10_000) * 10.0 ** np.random.default_rng(1).uniform(
        -300, 300, 10_000
    )
    assert all(float(f"{v:.{b.EXACT_DIGITS}g}") == v for v in values)
    assert float(f"{0.1 + 0.2:.{b.EXACT_DIGITS - 1}g}") != 0.1 + 0.2


def test_the_forget_bias_limit_is_far_past_saturation():
    """sigma(20) is 1 - 2e-9."""
    assert 1.0 - 1.0 / (1.0 + np.exp(-b.MAX_FORGET_BIAS_ABS)) == pytest.approx(2.06e-9, rel=1e-2)
