"""A JSON body says what it means (models/strict.py): no `true` for 1, no `"5"` for 5, no 0 for false; 5.0 is
still an integer; a query string, all text, stays lax."""

from __future__ import annotations

import pytest
from gradflow.models import SimulateParams, SimulateRequest, TrainRequest
from gradflow.models.strict import json_bool, json_number
from gradflow.models.sweep import SweepRequest
from pydantic import ValidationError
from pydantic_core import PydanticCustomError


@pytest.mark.parametrize("value", [5, 0, -2.5, 5.0, 1e300, None, [1], {"a": 1}])
def test_json_number_lets_anything_but_a_bool_or_a_string_through_unchanged(value):
    """What is not a number at all is the field's own type check's to refuse, in pydantic's words."""
    assert json_number(value) is value


@pytest.mark.parametrize(("value", "kind"), [(True, "bool"), (False, "bool"), ("5", "str"), ("", "str")])
def test_json_number_refuses_a_bool_or_a_string_naming_what_it_got(value, kind):
    with pytest.raises(PydanticCustomError) as caught:
        json_number(value)
    assert caught.value.type == "number_type"
    assert str(caught.value) == f"Input should be a JSON number, not {kind}"


@pytest.mark.parametrize("value", [True, False])
def test_json_bool_lets_true_and_false_through(value):
    assert json_bool(value) is value


@pytest.mark.parametrize("value", [1, 0, "true", "false", None, 1.0])
def test_json_bool_refuses_anything_else(value):
    with pytest.raises(PydanticCustomError) as caught:
        json_bool(value)
    assert caught.value.type == "bool_type" and str(caught.value) == "Input should be true or false"


@pytest.mark.parametrize(
    ("model", "fields", "kind"),
    [
        (SimulateRequest, {"seq_len": True}, "number_type"),
        (SimulateRequest, {"recurrent_scale": "2"}, "number_type"),
        (SimulateRequest, {"return_params": 1}, "bool_type"),
        (TrainRequest, {"steps": "10"}, "number_type"),
        (TrainRequest, {"stop_when_solved": 0}, "bool_type"),
        (TrainRequest, {"stream": "false"}, "bool_type"),
        (SweepRequest, {"x": {"field": "seq_len", "values": [5]}, "seeds": True}, "number_type"),
    ],
)
def test_every_request_model_holds_its_json_body_to_it(model, fields, kind):
    with pytest.raises(ValidationError) as caught:
        model.model_validate(fields)
    assert [e["type"] for e in caught.value.errors()] == [kind]


def test_a_whole_float_is_an_integer_and_a_fraction_is_not():
    assert SimulateRequest.model_validate({"seq_len": 5.0}).seq_len == 5
    assert TrainRequest.model_validate({"steps": 7.0}).steps == 7
    with pytest.raises(ValidationError, match="int_from_float"):
        SimulateRequest.model_validate({"seq_len": 5.5})


def test_a_query_string_stays_lax():
    params = SimulateParams.model_validate({"seq_len": "5", "recurrent_scale": "0.5", "return_params": "true"})
    assert (params.seq_len, params.recurrent_scale, params.return_params) == (5, 0.5, True)
