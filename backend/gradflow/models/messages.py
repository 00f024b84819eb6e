"""Validation errors in words a person can act on: the field, the value it got, and the limit.

Shared by the API's 422 answers and the library's `InvalidRequest`, so both say the same thing. Pure
(pydantic's error dicts in, plain dicts out): no web framework.
"""

from __future__ import annotations

import math
from typing import Any

_SCALAR = (str, int, float, bool, type(None))
_MAX_ECHO = 80
_NOT_A_JSON_OBJECT = ("model_attributes_type", "model_type", "dict_type", "missing")
"""What pydantic says when a route's body model gets anything but a JSON object (`missing`: no body at all)."""
_JSON_KINDS = ((bool, "a JSON boolean"), (int | float, "a JSON number"), (str, "a JSON string"), (list, "a JSON array"))
"""Python's type of a parsed JSON value and its JSON name (bool before int: Python counts it as one)."""


def describe(error: dict[str, Any]) -> dict[str, Any]:
    """One pydantic/FastAPI error as `{"type", "loc", "msg", ["input"], ["ctx"]}` with a readable `msg`."""
    value = error.get("input")
    ctx = {k: v if isinstance(v, _SCALAR) else str(v) for k, v in (error.get("ctx") or {}).items() if k != "error"}
    loc = list(error.get("loc", ()))
    described: dict[str, Any] = {"type": error.get("type", ""), "loc": loc, "msg": _message(error)}
    if _echoable(value):
        described["input"] = value
    if ctx:
        described["ctx"] = ctx
    return described


def _message(error: dict[str, Any]) -> str:
    """The error in words, starting with the field and the value it got; pydantic's text then gives the limit."""
    loc = list(error.get("loc", ()))
    where = loc[0] if loc else "request"
    field = ".".join(str(part) for part in loc[1:]) or str(where)
    kind = error.get("type", "")
    value = error.get("input")
    msg = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        return f"unknown field '{field}'" + (
            ": explicit inputs can only be sent in a POST body"
            if field == "inputs" and where == "query"
            else ": not a field of this request (every field, with its bounds and default, is in /openapi.json and in `gradflow --help`)"
        )
    if kind == "json_invalid":
        ctx_error = str((error.get("ctx") or {}).get("error", "decode error"))
        return f"the request body is not valid JSON ({ctx_error} at character {field})"
    if loc == ["body"] and kind in _NOT_A_JSON_OBJECT:
        return f"body: must be a JSON object sent as application/json, got {_what_came(kind, value)}"
    if kind == "missing":
        return f"{field}: a value is required"
    if msg.startswith(field):  # our own validators already name the field
        return msg
    if (isinstance(value, float) and not math.isfinite(value)) or (isinstance(value, int) and not _echoable(value)):
        return f"{field} = {value}: {msg}"
    if _echoable(value):
        shown = value if where == "query" else repr(value)  # query values are all strings; no quotes
        return f"{field} = {shown}: {msg}"
    return f"{field}: {msg}"


def _what_came(kind: str, body: Any) -> str:
    """What a body that is not a JSON object was, in the client's terms. FastAPI hands over the raw bytes of a
    body it did not parse as JSON (any other Content-Type)."""
    if kind == "missing":
        return "an empty body"
    if isinstance(body, bytes | bytearray):
        return "a body not sent as application/json"
    if body is None:
        return "null"
    return next((name for json_type, name in _JSON_KINDS if isinstance(body, json_type)), type(body).__name__)


def _echoable(value: Any) -> bool:
    """Short, finite scalars are echoed back as `input`; lists (e.g. all of `inputs`) and NaN are not."""
    if isinstance(value, float) and not math.isfinite(value):
        return False
    if isinstance(value, int) and not -(2**63) <= value < 2**64:
        return False  # JSON allows it, but no 64-bit encoder does
    return isinstance(value, _SCALAR) and value is not None and len(str(value)) <= _MAX_ECHO


def error_item(msg: str, *loc: str | int, type: str = "value_error") -> dict[str, Any]:
    """One refusal in the API's 422 shape, `{"type", "loc", "msg"}`: the one builder for errors that pydantic did
    not raise (a file that cannot be read, a sweep whose axes disagree, a request over the budget)."""
    return {"type": type, "loc": list(loc), "msg": msg}


def validation_errors(errors: list[dict[str, Any]], where: str = "body") -> list[dict[str, Any]]:
    """pydantic's errors of a model validated by hand (`ValidationError.errors()`) as the API's 422 items, with
    `loc` starting at `where` as FastAPI's own do."""
    return [describe({**e, "loc": (where, *e["loc"])}) for e in errors]
