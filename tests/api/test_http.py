"""The HTTP helpers every router uses: ETags, gzip negotiation, Server-Timing, and Vary said once."""

from __future__ import annotations

import gzip

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import PlainTextResponse
from gradflow.api import http
from gradflow.api.settings import Settings
from starlette.datastructures import MutableHeaders

pytestmark = pytest.mark.anyio

SETTINGS = Settings(gzip_minimum_size=100, gzip_level=1)
BIG = b'{"x": "' + b"0123456789" * 100 + b'"}'


def tiny_app() -> FastAPI:
    """Two routes behind the app's gzip: one that negotiates its own coding, one that leaves it to the middleware."""
    app = FastAPI()

    @app.get("/answer")
    def answer(request: Request, size: int = len(BIG)) -> Response:
        return http.json_answer(request, BIG[:size], SETTINGS, http.ServerTiming())

    @app.get("/text")
    def text() -> Response:
        return PlainTextResponse("a" * 1000, headers={"Vary": "Origin"})

    http.add_gzip(app, SETTINGS)
    return app


async def get(path: str, coding: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=tiny_app()), base_url="http://t") as client:
        return await client.get(path, headers={"Accept-Encoding": coding})


@pytest.mark.parametrize("coding", ["gzip", "identity"])
@pytest.mark.parametrize("size", [len(BIG), 10], ids=["large", "small"])
async def test_a_negotiated_answer_says_vary_once_and_is_gzipped_only_when_taken_and_worth_it(coding, size):
    response = await get(f"/answer?size={size}", coding)
    assert response.headers.get_list("vary") == ["Accept-Encoding"]
    zipped = coding == "gzip" and size >= SETTINGS.gzip_minimum_size
    assert response.headers.get("content-encoding") == ("gzip" if zipped else None)
    assert response.content == BIG[:size]  # httpx decoded it
    assert [part.split(";")[0] for part in response.headers["server-timing"].split(", ")] == ["gzip"]


@pytest.mark.parametrize("coding", ["gzip", "identity"])
async def test_the_middleware_adds_accept_encoding_to_another_vary(coding):
    response = await get("/text", coding)
    assert response.headers.get_list("vary") == ["Origin, Accept-Encoding"]


@pytest.mark.parametrize(
    ("values", "folded"),
    [
        (["Accept-Encoding", "Accept-Encoding"], "Accept-Encoding"),
        (["Origin, accept-encoding", "Accept-Encoding"], "Origin, accept-encoding"),
        (["Origin", "Accept-Encoding"], "Origin, Accept-Encoding"),
    ],
)
def test_vary_once_folds_repeats_case_insensitively(values, folded):
    headers = MutableHeaders(raw=[(b"vary", value.encode()) for value in values])
    http.vary_once(headers)
    assert headers.getlist("vary") == [folded]


def test_compress_is_deterministic_gzip():
    assert http.compress(BIG, 1) == http.compress(BIG, 1) and gzip.decompress(http.compress(BIG, 9)) == BIG


def test_server_timing_lists_each_lap_in_order():
    timing = http.ServerTiming()
    timing.lap("simulate")
    timing.lap("encode")
    names = [part.split(";dur=") for part in timing.header().split(", ")]
    assert [name for name, _ in names] == ["simulate", "encode"]
    assert all(float(ms) >= 0 for _, ms in names)


def test_a_config_etag_is_weak_and_follows_the_text():
    assert http.config_etag("a").startswith('W/"') and http.config_etag("a") == http.config_etag("a")
    assert http.config_etag("a") != http.config_etag("b")


def test_a_file_etag_is_strong_and_differs_per_coding():
    plain, zipped = http.file_etag("f-1", 10, gzipped=False), http.file_etag("f-1", 10, gzipped=True)
    assert plain == '"f-1-10"' and zipped == '"f-1-10-gzip"'
