"""/vendor/plotly.min.js: gzipped once per app when accepted, the file as it is otherwise, both cacheable."""

from __future__ import annotations

import gzip

import httpx
import pytest
from gradflow.api import compression
from gradflow.api.routes import vendor
from gradflow.api.routes.vendor import PLOTLY_JS

pytestmark = pytest.mark.anyio

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
IDENTITY = {"Accept-Encoding": "identity"}


async def raw_get(client: httpx.AsyncClient, headers: dict[str, str], method: str = "GET") -> httpx.Response:
    """The response as sent: httpx would otherwise decode the gzip and hide what went over the wire."""
    request = client.build_request(method, "/vendor/plotly.min.js", headers=headers)
    response = await client.send(request, stream=True)
    await response.aread()  # .content is then still the decoded body; the raw bytes are in the stream
    return response


async def wire_bytes(client: httpx.AsyncClient, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
    request = client.build_request("GET", "/vendor/plotly.min.js", headers=headers)
    response = await client.send(request, stream=True)
    body = b"".join([chunk async for chunk in response.aiter_raw()])
    await response.aclose()
    return response, body


async def test_a_gzip_client_gets_the_file_compressed_once(client, app, monkeypatch):
    response, body = await wire_bytes(client, GZIP)
    assert response.status_code == 200 and response.headers["content-encoding"] == "gzip"
    assert response.headers["content-type"].startswith("text/javascript")
    assert int(response.headers["content-length"]) == len(body) < PLOTLY_JS.stat().st_size / 3
    assert gzip.decompress(body) == PLOTLY_JS.read_bytes()
    assert app.state.plotly_js_gzip.body == body

    monkeypatch.setattr(compression.gzip, "compress", lambda *a, **k: pytest.fail("Plotly.js compressed twice"))
    again, body_again = await wire_bytes(client, GZIP)
    assert body_again == body and again.headers["etag"] == response.headers["etag"]


async def test_a_client_without_gzip_gets_the_file_as_it_is(client):
    for headers in (IDENTITY, {"Accept-Encoding": "deflate"}):
        response, body = await wire_bytes(client, headers)
        assert response.status_code == 200 and "content-encoding" not in response.headers
        assert body == PLOTLY_JS.read_bytes()


async def test_each_coding_has_its_own_etag_a_long_cache_and_revalidates(client):
    zipped, _ = await wire_bytes(client, GZIP)
    plain, _ = await wire_bytes(client, IDENTITY)
    assert zipped.headers["etag"] != plain.headers["etag"]
    for response in (zipped, plain):
        assert response.headers["vary"].lower() == "accept-encoding"
        max_age = int(response.headers["cache-control"].split("max-age=")[1].split(",")[0])
        assert max_age >= 7 * 86400 and "public" in response.headers["cache-control"]
    for headers, etag in ((GZIP, zipped.headers["etag"]), (IDENTITY, plain.headers["etag"])):
        again = await client.get("/vendor/plotly.min.js", headers={**headers, "If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = await client.get("/vendor/plotly.min.js", headers={**GZIP, "If-None-Match": plain.headers["etag"]})
    assert other.status_code == 200


async def test_head_sends_the_headers_only(client):
    zipped = await raw_get(client, GZIP, "HEAD")
    assert zipped.status_code == 200 and zipped.headers["content-encoding"] == "gzip"
    assert 0 < int(zipped.headers["content-length"]) < PLOTLY_JS.stat().st_size and zipped.content == b""


def test_the_served_file_is_the_pinned_cartesian_release():
    """The vendored bundle is the release vendor.py names, with every trace type the page draws."""
    head = PLOTLY_JS.read_bytes()[:200].decode()
    assert f"plotly.js (cartesian - minified) v{vendor.PLOTLY_VERSION}" in head
    body = PLOTLY_JS.read_text()
    for trace in ("heatmap", "scatter", "bar"):
        assert f'moduleType:"trace",name:"{trace}"' in body, trace
