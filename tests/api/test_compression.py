"""Compression for the whole app: zstd or gzip negotiated per answer, off the event loop, deterministic, and Vary
said once."""

from __future__ import annotations

import gzip

import httpx
import pytest
import zstandard
from fastapi import FastAPI, Request, Response
from fastapi.responses import PlainTextResponse
from gradflow.api import compression
from gradflow.api.settings import Settings
from gradflow.api.timing import ServerTiming
from starlette.datastructures import MutableHeaders

pytestmark = pytest.mark.anyio

SETTINGS = Settings(gzip_minimum_size=100, gzip_level=1)
BIG = b'{"x": "' + b"0123456789" * 100 + b'"}'


def tiny_app() -> FastAPI:
    """Two routes behind the app's gzip: one that negotiates its own coding, one that leaves it to the middleware."""
    app = FastAPI()

    @app.get("/answer")
    def answer(request: Request, size: int = len(BIG)) -> Response:
        return compression.json_answer(request, BIG[:size], SETTINGS, ServerTiming())

    @app.get("/text")
    def text() -> Response:
        return PlainTextResponse("a" * 1000, headers={"Vary": "Origin"})

    compression.add_gzip(app, SETTINGS)
    return app


async def get(path: str, coding: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=tiny_app()), base_url="http://t") as client:
        return await client.get(path, headers={"Accept-Encoding": coding})


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("gzip", "gzip"),
        ("identity", None),
        ("gzip, deflate, br, zstd", "zstd"),  # what Chromium sends, over http too
        ("zstd;q=0, gzip", "gzip"),
        ("ZSTD ; q=0.5", "zstd"),
        ("gzip;q=0", None),
        ("*", None),
        ("br", None),
    ],
)
@pytest.mark.parametrize("size", [len(BIG), 10], ids=["large", "small"])
async def test_a_negotiated_answer_says_vary_once_and_is_compressed_only_when_taken_and_worth_it(accept, chosen, size):
    response = await get(f"/answer?size={size}", accept)
    assert response.headers.get_list("vary") == ["Accept-Encoding"]
    compressed = chosen if size >= SETTINGS.gzip_minimum_size else None
    assert response.headers.get("content-encoding") == compressed
    assert response.content == BIG[:size]  # httpx decoded it
    assert [part.split(";")[0] for part in response.headers["server-timing"].split(", ")] == ["compress"]


async def test_zstd_level_0_falls_back_to_gzip(monkeypatch):
    monkeypatch.setattr(SETTINGS, "zstd_level", 0)
    response = await get("/answer", "zstd, gzip")
    assert response.headers["content-encoding"] == "gzip" and response.content == BIG


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
    compression.vary_once(headers)
    assert headers.getlist("vary") == [folded]


def test_compress_zstd_is_one_deterministic_frame_with_its_size():
    frame = compression.compress_zstd(BIG, 1)
    assert frame == compression.compress_zstd(BIG, 1) and len(frame) < len(BIG)
    assert zstandard.get_frame_parameters(frame).content_size == len(BIG)
    assert zstandard.ZstdDecompressor().decompress(frame) == BIG


def test_compress_is_deterministic_gzip():
    assert (
        compression.compress(BIG, 1) == compression.compress(BIG, 1)
        and gzip.decompress(compression.compress(BIG, 9)) == BIG
    )
