"""A JSON body says what it means: no `true` for 1, no `"5"` for 5, no 0 for false (a query string is all text
and stays lax). 5.0 for an integer field stays valid, as JSON Schema has it. Every request model's `before`
validators call these, so the rule and its words are the same everywhere."""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError


def json_number(value: Any) -> Any:
    if isinstance(value, bool | str):
        raise PydanticCustomError(
            "number_type", "Input should be a JSON number, not {kind}", {"kind": type(value).__name__}
        )
    return value


def json_bool(value: Any) -> Any:
    if not isinstance(value, bool):
        raise PydanticCustomError("bool_type", "Input should be true or false")
    return value
