"""/openapi.json carries every bound, default, enum and description the page reads, and says what a null means."""

from __future__ import annotations

import dataclasses
import typing

import pytest
from gradflow.api.main import create_app
from gradflow.core import config
from gradflow.core.config import SimConfig
from gradflow.models import SimulateParams, SimulateRequest

OPENAPI = create_app().openapi()
PROPERTIES = OPENAPI["components"]["schemas"]["SimulateRequest"]["properties"]
SIM_FIELDS = {f.name: f for f in dataclasses.fields(SimConfig)}
API_ONLY = {"digits", "arrays"}
"""How the answer is written, not what the core computes: never passed to SimConfig."""
NUMERIC = {
    "seq_len",
    "hidden_size",
    "input_size",
    "recurrent_scale",
    "forget_bias",
    "batch_size",
    "seed",
    "clip_threshold",
    "flow_steps",
    "digits",
}


def test_the_request_has_exactly_the_core_config_fields_and_the_api_s_own():
    assert set(PROPERTIES) == set(SIM_FIELDS) | API_ONLY == set(SimulateRequest.model_fields)
    assert set(SimulateParams.model_fields) == (set(SIM_FIELDS) | API_ONLY) - {"inputs", "params"}  # POST only
    assert not API_ONLY & set(SIM_FIELDS)


def test_digits_is_described_and_a_get_parameter():
    assert "significant" in PROPERTIES["digits"]["description"]
    assert PROPERTIES["digits"].get("default") is None
    get = create_app().openapi()["paths"]["/api/simulate"]["get"]
    assert "digits" in {p["name"] for p in get["parameters"]}


@pytest.mark.parametrize("name", sorted(SIM_FIELDS))
def test_every_core_field_has_the_core_default_and_a_description(name):
    # FastAPI drops `"default": null` from OpenAPI, so a missing default stands for None (fields, inputs).
    assert PROPERTIES[name].get("default") == SIM_FIELDS[name].default
    assert PROPERTIES[name]["description"]


@pytest.mark.parametrize("name", sorted(NUMERIC))
def test_every_number_has_both_bounds(name):
    # an optional number (digits) is anyOf [the number, null]: its bounds sit on the number
    prop = next((p for p in PROPERTIES[name].get("anyOf", []) if p["type"] != "null"), PROPERTIES[name])
    assert "minimum" in prop or "exclusiveMinimum" in prop, prop
    assert "maximum" in prop, prop


@pytest.mark.parametrize("alias", ["Cell", "Activation", "Init", "InputKind", "Loss", "ClipMode", "ClipScope"])
def test_enums_are_the_core_literals(alias):
    values = list(typing.get_args(getattr(config, alias)))
    assert any(prop.get("enum") == values for prop in PROPERTIES.values()), alias


def test_the_budget_accepted_sizes_are_within_the_bounds():
    assert PROPERTIES["seq_len"]["maximum"] >= 1000
    assert PROPERTIES["hidden_size"]["maximum"] >= 256 and PROPERTIES["input_size"]["maximum"] >= 16


def test_a_null_memory_horizon_is_explained():
    """Here null is an answer, not an overflow: the docs must say what it means."""
    description = OPENAPI["components"]["schemas"]["SimulateResponse"]["properties"]["memory_horizon"]["description"]
    assert "null" in description and "beyond the sequence" in description
    assert "never falls below 1e-3 of its value at the loss" in description and "past step 1" in description
