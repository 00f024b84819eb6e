"""Validation messages name the field and the value; a body that is not a JSON object says what to send, on any
POST route (a tiny app with its own model stands for the routes still to come)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from gradflow.api.errors import add_error_handlers
from gradflow.models.messages import describe
from pydantic import BaseModel

pytestmark = pytest.mark.anyio


class Run(BaseModel):
    steps: int = 1


def tiny_app() -> FastAPI:
    app = FastAPI()

    @app.post("/run")
    def run(body: Run) -> Run:
        return body

    add_error_handlers(app)
    return app


@pytest.mark.parametrize(
    ("body", "content_type", "got"),
    [
        ("steps=3", "text/plain", "a body not sent as application/json"),
        ("[]", "application/json", "a JSON array"),
        ("true", "application/json", "a JSON boolean"),
        ("", "application/json", "an empty body"),
    ],
)
async def test_any_post_route_says_the_body_must_be_a_json_object(body, content_type, got):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=tiny_app()), base_url="http://t") as client:
        response = await client.post("/run", content=body, headers={"content-type": content_type})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body"]
    assert error["msg"] == f"body: must be a JSON object sent as application/json, got {got}"


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
