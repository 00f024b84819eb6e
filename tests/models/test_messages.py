"""Validation errors in words (models/messages.py): each message starts with the field and the value it got, then
pydantic's text with the limit; what is echoed back as `input` stays short and finite; hand-made items and
hand-validated models get the API's 422 shape."""

from __future__ import annotations

import pytest
from gradflow.models.messages import describe, error_item, validation_errors
from pydantic import BaseModel, Field, ValidationError


def test_a_field_error_names_the_field_the_value_and_the_limit():
    error = {
        "type": "less_than_equal",
        "loc": ("query", "seq_len"),
        "msg": "Input should be less than or equal to 1000",
        "input": "5000",
        "ctx": {"le": 1000},
    }
    assert describe(error) == {
        "type": "less_than_equal",
        "loc": ["query", "seq_len"],
        "input": "5000",
        "msg": "seq_len = 5000: Input should be less than or equal to 1000",
        "ctx": {"le": 1000},
    }


def test_a_missing_field_inside_the_body_is_still_just_missing():
    error = describe({"type": "missing", "loc": ("body", "steps"), "msg": "Field required", "input": {}})
    assert error["msg"] == "steps: a value is required"


def test_a_body_value_is_shown_as_python_writes_it_a_query_value_as_typed():
    body = describe({"type": "literal_error", "loc": ("body", "cell"), "msg": "Input should be 'rnn'", "input": "x"})
    query = describe({"type": "literal_error", "loc": ("query", "cell"), "msg": "Input should be 'rnn'", "input": "x"})
    assert body["msg"] == "cell = 'x': Input should be 'rnn'" and body["input"] == "x"
    assert query["msg"] == "cell = x: Input should be 'rnn'"


def test_a_nested_location_is_dotted():
    error = describe({"type": "finite_number", "loc": ("body", "inputs", 3, 0), "msg": "Input should be finite"})
    assert error["msg"] == "inputs.3.0: Input should be finite" and error["loc"] == ["body", "inputs", 3, 0]


@pytest.mark.parametrize(
    ("value", "shown"),
    [(float("nan"), "nan"), (float("inf"), "inf"), (2**70, str(2**70))],
)
def test_a_value_no_json_encoder_writes_is_named_but_not_echoed(value, shown):
    error = describe(
        {"type": "less_than_equal", "loc": ("body", "seed"), "msg": "Input should be small", "input": value}
    )
    assert error["msg"] == f"seed = {shown}: Input should be small"
    assert "input" not in error


def test_long_values_and_lists_are_not_echoed():
    long = describe({"type": "string_type", "loc": ("body", "cell"), "msg": "Input should be short", "input": "x" * 81})
    assert long["msg"] == "cell: Input should be short" and "input" not in long
    short = describe(
        {"type": "string_type", "loc": ("body", "cell"), "msg": "Input should be short", "input": "x" * 80}
    )
    assert short["input"] == "x" * 80
    rows = describe({"type": "too_long", "loc": ("body", "inputs"), "msg": "List too long", "input": [[1.0]] * 3})
    assert rows["msg"] == "inputs: List too long" and "input" not in rows


def test_pydantic_s_value_error_prefix_goes_and_a_message_naming_its_field_is_kept():
    prefixed = describe(
        {"type": "value_error", "loc": ("body", "x"), "msg": "Value error, give either values", "input": 1}
    )
    assert prefixed["msg"] == "x = 1: give either values"
    own = describe({"type": "value_error", "loc": ("body", "seq_len"), "msg": "Value error, seq_len 1 is too short"})
    assert own["msg"] == "seq_len 1 is too short"


def test_context_is_kept_as_plain_values_without_the_exception():
    error = describe(
        {
            "type": "value_error",
            "loc": ("body", "x"),
            "msg": "bad",
            "ctx": {"error": ValueError("bad"), "le": 3, "f": {1}},
        }
    )
    assert error["ctx"] == {"le": 3, "f": "{1}"}
    assert "ctx" not in describe({"type": "value_error", "loc": ("body", "x"), "msg": "bad", "ctx": {"error": "e"}})


@pytest.mark.parametrize(
    ("loc", "words"),
    [
        (("body", "hiden_size"), "not a field of this request"),
        (("query", "hiden_size"), "not a field of this request"),
        (("query", "inputs"), "explicit inputs can only be sent in a POST body"),
    ],
)
def test_an_unknown_field_is_named_and_says_where_the_fields_are(loc, words):
    msg = describe({"type": "extra_forbidden", "loc": loc, "msg": "Extra inputs are not permitted", "input": 3})["msg"]
    assert msg.startswith(f"unknown field '{loc[1]}': ") and words in msg


def test_invalid_json_says_where_it_broke():
    error = {"type": "json_invalid", "loc": ("body", 13), "msg": "JSON decode error", "input": {}}
    error["ctx"] = {"error": "Expecting value"}
    assert describe(error)["msg"] == "the request body is not valid JSON (Expecting value at character 13)"


@pytest.mark.parametrize(
    ("kind", "body", "got"),
    [
        ("model_attributes_type", [1], "a JSON array"),
        ("model_attributes_type", 5, "a JSON number"),
        ("model_attributes_type", False, "a JSON boolean"),  # a bool, though Python counts it as an int
        ("model_attributes_type", "x", "a JSON string"),
        ("model_attributes_type", None, "null"),
        ("dict_type", b"steps=3", "a body not sent as application/json"),
        ("missing", None, "an empty body"),
    ],
)
def test_a_body_that_is_not_an_object_says_what_came(kind, body, got):
    msg = describe({"type": kind, "loc": ("body",), "msg": "Input should be a valid dictionary", "input": body})["msg"]
    assert msg == f"body: must be a JSON object sent as application/json, got {got}"


def test_an_error_without_a_location_names_the_request():
    assert describe({"type": "value_error", "msg": "nope"}) == {
        "type": "value_error",
        "loc": [],
        "msg": "request: nope",
    }


def test_error_item_is_the_api_s_shape():
    assert error_item("weights: not a .npz", "body", "params") == {
        "type": "value_error",
        "loc": ["body", "params"],
        "msg": "weights: not a .npz",
    }
    assert error_item("over", "body", "inputs", 2, type="compute_budget") == {
        "type": "compute_budget",
        "loc": ["body", "inputs", 2],
        "msg": "over",
    }


class Steps(BaseModel):
    steps: int = Field(1, ge=1, le=10)
    name: str = "run"


def test_validation_errors_put_where_first_and_describe_each_error():
    with pytest.raises(ValidationError) as caught:
        Steps.model_validate({"steps": 11, "name": 5})
    items = validation_errors(caught.value.errors())
    assert [item["loc"] for item in items] == [["body", "steps"], ["body", "name"]]
    assert items[0]["msg"] == "steps = 11: Input should be less than or equal to 10"
    assert items[0]["input"] == 11 and items[0]["ctx"] == {"le": 10}
    assert items[1]["msg"] == "name = 5: Input should be a valid string"
    [query] = validation_errors(_errors({"steps": "0"}), where="query")
    assert (
        query["loc"] == ["query", "steps"] and query["msg"] == "steps = 0: Input should be greater than or equal to 1"
    )


def _errors(fields: dict) -> list[dict]:
    try:
        Steps.model_validate(fields)
    except ValidationError as exc:
        return exc.errors()
    raise AssertionError("valid")
