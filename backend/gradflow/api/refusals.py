"""The API's refusals, each written once: 422 for what the client must change (invalid fields, work over the
budget: `unprocessable`), 503 for a server that is busy right now (`busy`), and their OpenAPI description
(`documented`).

The 422 items are `models.messages.error_item`'s, shared with the library's `InvalidRequest` and the CLI.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException

from gradflow.api.settings import Settings
from gradflow.models.errors import Message, ValidationErrors
from gradflow.models.messages import error_item


def unprocessable(msg: str, *loc: str | int, type: str = "value_error") -> HTTPException:
    """A 422 with one item naming where (`loc`) and why (`msg`)."""
    return HTTPException(422, [error_item(msg, *loc, type=type)])


def invalid(items: list[dict[str, Any]]) -> HTTPException:
    """A 422 with the given items (already in the API's shape, e.g. `models.messages.validation_errors`)."""
    return HTTPException(422, items)


def busy(reason: object, settings: Settings) -> HTTPException:
    """A 503 saying every slot of a kind is taken, with `Retry-After`."""
    return HTTPException(
        503, f"Busy: {reason}. Retry in {settings.retry_after_s} s.", {"Retry-After": str(settings.retry_after_s)}
    )


def unavailable(msg: str, settings: Settings | None = None) -> HTTPException:
    """A 503 for a service the server needs and cannot use (a Dask cluster); with `settings`, a `Retry-After`
    too, when waiting may help."""
    headers = {"Retry-After": str(settings.retry_after_s)} if settings is not None else None
    return HTTPException(503, msg, headers)


def documented(busy: str, over: str) -> dict[int | str, dict]:
    """The OpenAPI description of a compute route's refusals: `busy` names its slots, `over` what its budget
    covers."""
    return {
        400: {"model": Message, "description": "The body cannot be decoded (e.g. not UTF-8)."},
        413: {"model": Message, "description": "The request body is over the size limit."},
        422: {"model": ValidationErrors, "description": f"A field is invalid, or {over} is over the compute budget."},
        503: {"model": Message, "description": f"Every {busy} slot is busy; retry after `Retry-After` seconds."},
    }
