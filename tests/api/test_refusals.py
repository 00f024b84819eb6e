"""The API's refusals (api/refusals.py): 422 with items in FastAPI's shape, 503 busy with Retry-After, 503
unavailable, and the OpenAPI text of a compute route's refusals."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from gradflow.api.errors import add_error_handlers
from gradflow.api.refusals import busy, documented, invalid, unavailable, unprocessable
from gradflow.api.settings import Settings
from gradflow.api.slots import Saturated
from gradflow.models.errors import Message, ValidationErrors


def test_unprocessable_is_a_422_with_one_item_naming_where_and_why():
    refusal = unprocessable("seq_len = 0: too short", "body", "seq_len")
    assert refusal.status_code == 422
    assert refusal.detail == [{"type": "value_error", "loc": ["body", "seq_len"], "msg": "seq_len = 0: too short"}]
    typed = unprocessable("over", "body", "inputs", 3, 0, type="compute_budget")
    assert typed.detail == [{"type": "compute_budget", "loc": ["body", "inputs", 3, 0], "msg": "over"}]
    ValidationErrors.model_validate({"detail": typed.detail})


def test_invalid_passes_the_items_through():
    items = [{"type": "missing", "loc": ["body", "x"], "msg": "x: a value is required"}]
    refusal = invalid(items)
    assert refusal.status_code == 422 and refusal.detail == items


def test_busy_is_a_503_with_the_reason_and_retry_after():
    refusal = busy(Saturated("all 3 training slots are busy"), Settings(retry_after_s=7))
    assert refusal.status_code == 503
    assert refusal.headers == {"Retry-After": "7"}
    assert refusal.detail == "Busy: all 3 training slots are busy. Retry in 7 s."
    Message.model_validate({"detail": refusal.detail})


def test_unavailable_says_retry_after_only_when_waiting_may_help():
    refusal = unavailable("the Dask scheduler at tcp://x:8786 does not answer")
    assert refusal.status_code == 503 and refusal.detail.startswith("the Dask scheduler") and not refusal.headers
    waiting = unavailable("starting", Settings(retry_after_s=4))
    assert waiting.status_code == 503 and waiting.headers == {"Retry-After": "4"}


def test_documented_names_every_refusal_of_a_compute_route():
    text = documented("sweep", "the whole sweep")
    assert set(text) == {400, 413, 422, 503}
    assert text[422]["model"] is ValidationErrors
    assert all(text[code]["model"] is Message for code in (400, 413, 503))
    assert "the whole sweep is over the compute budget" in text[422]["description"]
    assert "Every sweep slot is busy" in text[503]["description"] and "Retry-After" in text[503]["description"]
    assert all(entry["description"].endswith(".") for entry in text.values())


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("refusal", "status", "body", "retry_after"),
    [
        (
            lambda: unprocessable("no", "query", "seq_len"),
            422,
            {"detail": [{"type": "value_error", "loc": ["query", "seq_len"], "msg": "no"}]},
            None,
        ),
        (
            lambda: busy("all 1 sweep slots are busy", Settings(retry_after_s=3)),
            503,
            {"detail": "Busy: all 1 sweep slots are busy. Retry in 3 s."},
            "3",
        ),
        (lambda: unavailable("no cluster"), 503, {"detail": "no cluster"}, None),
    ],
    ids=["unprocessable", "busy", "unavailable"],
)
async def test_a_refusal_reaches_the_client_as_it_was_written(refusal, status, body, retry_after):
    app = FastAPI()

    @app.get("/work")
    async def work() -> None:
        raise refusal()

    add_error_handlers(app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.get("/work")
    assert response.status_code == status and response.json() == body
    assert response.headers.get("retry-after") == retry_after
    assert isinstance(refusal(), HTTPException)
