"""The shapes of a refusal: FastAPI's `{"detail": [...]}` for invalid fields, `{"detail": "..."}` otherwise."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorItem(BaseModel):
    """One reason a request was refused; `loc` names where (`["query", "seq_len"]`, `["body", "inputs", 3, 0]`)."""

    type: str
    loc: list[str | int]
    msg: str = Field(description="In words: the field, the value it got, and the limit.")
    input: Any = None
    ctx: dict[str, Any] | None = None


class ValidationErrors(BaseModel):
    """422: invalid fields, or a request over the compute budget (type `compute_budget`)."""

    detail: list[ErrorItem]


class Message(BaseModel):
    """413, 503 and other refusals that concern the whole request."""

    detail: str
