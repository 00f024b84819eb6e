"""GET /api/simulate is cacheable: a weak ETag of the canonical config, 304 on If-None-Match; zstd or gzip when
asked."""

from __future__ import annotations

import pytest
from gradflow.api.etag import etag_matches
from gradflow.api.routes import simulate as route

pytestmark = pytest.mark.anyio


async def test_a_repeated_get_is_a_304_without_compute(client, monkeypatch):
    first = await client.get("/api/simulate?cell=gru")
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and first.headers["cache-control"] == "no-cache"

    monkeypatch.setattr(route, "simulate", lambda cfg, memo=None: pytest.fail("a 304 must not compute"))
    again = await client.get("/api/simulate?cell=gru", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag


async def test_the_etag_follows_the_canonical_config(client):
    defaults = (await client.get("/api/simulate?flow_steps=0")).headers["etag"]
    spelled_out = (await client.get("/api/simulate?flow_steps=0&cell=rnn&seq_len=50")).headers["etag"]
    other = (await client.get("/api/simulate?flow_steps=0&seed=1")).headers["etag"]
    assert defaults == spelled_out != other


async def test_a_stale_etag_gets_the_full_answer(client):
    response = await client.get("/api/simulate", headers={"If-None-Match": 'W/"stale"'})
    assert response.status_code == 200 and response.json()["config"]["cell"] == "rnn"


@pytest.mark.parametrize(
    ("header", "matches"),
    [('W/"a"', True), ('"a"', True), ('W/"b", W/"a"', True), ("*", True), ('W/"b"', False), ("", False), (None, False)],
)
def test_if_none_match_uses_weak_comparison(header, matches):
    assert etag_matches(header, 'W/"a"') is matches


async def test_large_answers_are_gzipped_when_accepted(client):
    zipped = await client.get("/api/simulate?cell=lstm", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) < len(zipped.content) / 2  # httpx decoded it
    plain = await client.get("/api/simulate?cell=lstm", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.json()["grad_h"] == zipped.json()["grad_h"]


@pytest.mark.parametrize("arrays", ["json", "binary-f4"])
async def test_a_browser_that_takes_zstd_gets_zstd_of_the_same_answer(client, arrays):
    query = f"/api/simulate?cell=lstm&seq_len=200&hidden_size=64&arrays={arrays}"
    packed = await client.get(query, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})  # Chromium's
    assert packed.headers["content-encoding"] == "zstd"
    assert int(packed.headers["content-length"]) < len(packed.content) / 1.3  # httpx decoded it
    plain = await client.get(query, headers={"Accept-Encoding": "identity"})
    timed = ("elapsed_ms",)
    assert {k: v for k, v in packed.json().items() if k not in timed} == {
        k: v for k, v in plain.json().items() if k not in timed
    }


async def test_small_answers_are_not_gzipped(client):
    response = await client.get("/api/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in response.headers


def vary_values(response) -> list[str]:
    """Every value of every Vary header, in order (a repeated value is a repeated entry)."""
    return [value.strip() for header in response.headers.get_list("vary") for value in header.split(",")]


@pytest.mark.parametrize("coding", ["gzip", "identity"])
@pytest.mark.parametrize("fields", [{"cell": "lstm"}, {"fields": ["loss"], "flow_steps": 0}], ids=["large", "small"])
async def test_vary_names_accept_encoding_exactly_once(client, coding, fields):
    """Large answers to a client without gzip said it twice: the route's Vary, then GZipMiddleware's."""
    headers = {"Accept-Encoding": coding}
    for response in (
        await client.get("/api/simulate", params=fields, headers=headers),
        await client.post("/api/simulate", json=fields, headers=headers),
    ):
        assert response.status_code == 200, response.text
        assert vary_values(response) == ["Accept-Encoding"], response.headers
