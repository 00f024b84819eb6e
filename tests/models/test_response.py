"""The answer of a simulation (models/response.py): it describes every key the core can return
(core.simulate.RESPONSE_FIELDS) and nothing else, and every key of a real answer, nested ones too, is one
it describes."""

from __future__ import annotations

import json

import pytest
from gradflow.core.config import SimConfig
from gradflow.core.simulate import RESPONSE_FIELDS, simulate
from gradflow.models import SimulateResponse
from gradflow.models.response import (
    MEMORY_HORIZON,
    BatchStats,
    Clipping,
    Flow,
    Layer,
    Spectrum,
    SpectrumBlock,
    WeightsInfo,
)
from gradflow.wire.encoding import dumps

ALWAYS = {"config", "warnings", "elapsed_ms"}
"""Keys every answer has, whatever `fields` asks for."""


def test_the_response_model_describes_every_field_the_core_can_return():
    assert set(RESPONSE_FIELDS) <= set(SimulateResponse.model_fields)


def test_the_response_model_has_no_field_the_core_never_returns():
    assert set(SimulateResponse.model_fields) == set(RESPONSE_FIELDS) | ALWAYS


def test_every_field_says_what_it_holds():
    """In /openapi.json: a description on the field, or on the model it is."""
    schema = SimulateResponse.model_json_schema()
    undescribed = []
    for name in SimulateResponse.model_fields:
        prop = schema["properties"][name]
        refs = [p["$ref"] for p in [prop, *prop.get("anyOf", [])] if "$ref" in p]
        if not prop.get("description") and not any(
            schema["$defs"][r.rsplit("/", 1)[-1]].get("description") for r in refs
        ):
            undescribed.append(name)
    assert undescribed == []


def test_null_memory_horizon_is_explained_wherever_it_appears():
    assert "null = beyond the sequence" in MEMORY_HORIZON
    assert SimulateResponse.model_fields["memory_horizon"].description == MEMORY_HORIZON
    assert Layer.model_fields["memory_horizon"].description == MEMORY_HORIZON


ANSWERS = [
    {"cell": "lstm", "seq_len": 12, "hidden_size": 4, "batch_size": 2, "return_params": True, "clip_mode": "norm"},
    {"cell": "gru", "seq_len": 10, "hidden_size": 3, "num_layers": 2, "clip_mode": "value", "clip_scope": "bptt"},
    {"cell": "rnn", "activation": "linear", "recurrent_scale": 3.0, "seq_len": 700, "hidden_size": 4},
]


def unknown_keys(value: dict, model) -> set[str]:
    return set(value) - set(model.model_fields)


@pytest.mark.parametrize("fields", ANSWERS, ids=["lstm-batch", "gru-stack", "beyond-float64"])
def test_every_key_of_a_real_answer_is_described(fields):
    answer = json.loads(dumps(simulate(SimConfig(**fields))))
    assert unknown_keys(answer, SimulateResponse) == set()
    assert unknown_keys(answer["clipping"], Clipping) == set()
    assert unknown_keys(answer["flow"], Flow) == set()
    assert unknown_keys(answer["weights"], WeightsInfo) == set()
    assert unknown_keys(answer["spectrum"], Spectrum) == set()
    for block in answer["spectrum"]["blocks"].values():
        assert unknown_keys(block, SpectrumBlock) == set()
    if answer.get("grad_h_log10_norm_batch"):
        assert unknown_keys(answer["grad_h_log10_norm_batch"], BatchStats) == set()
    for layer in answer.get("layers") or []:
        assert unknown_keys(layer, Layer) == set()
    SimulateResponse.model_validate(answer)  # and every value fits its field


def test_fields_pick_keys_the_model_describes():
    answer = json.loads(dumps(simulate(SimConfig(fields=("loss", "flow")))))
    assert set(answer) == {"loss", "flow"} | ALWAYS
    response = SimulateResponse.model_validate(answer)
    assert response.hidden is None and response.flow is not None
