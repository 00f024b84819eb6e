"""The shapes of a refusal (models/errors.py): every item the API builds fits `ErrorItem`, a 422 body fits
`ValidationErrors`, any other refusal `Message`; the schema says what `msg` holds."""

from __future__ import annotations

import pytest
from gradflow.models import SimulateRequest
from gradflow.models.errors import ErrorItem, Message, ValidationErrors
from gradflow.models.messages import error_item, validation_errors
from pydantic import ValidationError


def invalid_items() -> list[dict]:
    with pytest.raises(ValidationError) as caught:
        SimulateRequest.model_validate(
            {"seq_len": 0, "cell": "x", "recurrent_scale": float("nan"), "hiden": 1, "inputs": [[1.0, "a"]]}
        )
    return validation_errors(caught.value.errors())


def test_every_item_the_api_builds_fits_an_error_item():
    items = [*invalid_items(), error_item("weights: not a .npz", "body", "params", type="file")]
    assert len(items) >= 5
    body = ValidationErrors.model_validate({"detail": items})
    assert [item.model_dump(exclude_none=True) for item in body.detail] == items


def test_locations_mix_names_and_indices():
    item = ErrorItem(type="finite_number", loc=["body", "inputs", 3, 0], msg="inputs.3.0: not finite")
    assert item.loc == ["body", "inputs", 3, 0] and item.input is None and item.ctx is None
    with pytest.raises(ValidationError):
        ErrorItem(type="x", loc=["body", None], msg="m")


@pytest.mark.parametrize("missing", ["type", "loc", "msg"])
def test_an_item_needs_its_type_location_and_message(missing):
    fields = {"type": "value_error", "loc": ["body"], "msg": "m"}
    del fields[missing]
    with pytest.raises(ValidationError, match=missing):
        ErrorItem.model_validate(fields)


def test_a_message_is_one_sentence_not_a_list_of_items():
    assert Message(detail="Busy: retry in 2 s.").detail == "Busy: retry in 2 s."
    with pytest.raises(ValidationError):
        Message.model_validate({"detail": invalid_items()})
    with pytest.raises(ValidationError):
        ValidationErrors.model_validate({"detail": "Busy"})


def test_the_schema_says_what_msg_holds():
    schema = ValidationErrors.model_json_schema()
    item = schema["$defs"]["ErrorItem"]
    assert set(item["required"]) == {"type", "loc", "msg"}
    assert "the field, the value it got, and the limit" in item["properties"]["msg"]["description"]
    assert schema["properties"]["detail"]["items"] == {"$ref": "#/$defs/ErrorItem"}
