"""The strict JSON response (api/responses.py): numpy arrays encoded natively, a number that is not finite as
null, whether a route builds the response or returns plain values."""

from __future__ import annotations

import httpx
import numpy as np
import pytest
from fastapi import FastAPI
from gradflow.api.responses import StrictJSONResponse

from tests.api.conftest import strict_json


def test_response_class_renders_strictly():
    response = StrictJSONResponse({"x": np.array([np.nan])})
    assert response.body == b'{"x":[null]}'
    assert response.media_type == "application/json"


def test_status_headers_and_length_are_kept():
    response = StrictJSONResponse({"inf": float("inf")}, status_code=418, headers={"X-Kind": "teapot"})
    assert response.status_code == 418 and response.headers["x-kind"] == "teapot"
    assert response.body == b'{"inf":null}' and response.headers["content-length"] == str(len(response.body))


def test_float64_keeps_every_digit():
    value = np.nextafter(0.1, 1.0)
    assert StrictJSONResponse({"v": np.array([value])}).body == b'{"v":[' + repr(float(value)).encode() + b"]}"


@pytest.mark.anyio
async def test_an_app_whose_default_it_is_answers_strict_json():
    app = FastAPI(default_response_class=StrictJSONResponse)

    @app.get("/values")
    async def values() -> StrictJSONResponse:
        return StrictJSONResponse({"m": np.array([[1.5, -np.inf], [np.nan, 2.0]]), "n": np.int64(3)})

    @app.get("/plain")
    async def plain() -> dict:
        return {"x": [1.0, float("nan")]}  # encoded by the default response class, not FastAPI's JSONResponse

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert strict_json(await client.get("/values")) == {"m": [[1.5, None], [None, 2.0]], "n": 3}
        assert strict_json(await client.get("/plain")) == {"x": [1.0, None]}
