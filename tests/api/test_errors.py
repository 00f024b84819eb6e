"""A body that is not a JSON object says what to send, on any POST route (a tiny app with its own model stands for
the routes still to come). The words of each message: tests/models/test_messages.py."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from gradflow.api.errors import add_error_handlers
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
