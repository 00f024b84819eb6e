"""Security headers on every response, CORS closed unless configured, request bodies capped."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from gradflow.api.main import create_app
from gradflow.api.middleware import SECURITY_HEADERS

pytestmark = pytest.mark.anyio


def client_for(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@pytest.mark.parametrize("path", ["/", "/api/health", "/api/simulate?seq_len=0", "/docs", "/nope", "/openapi.json"])
async def test_every_response_carries_the_security_headers(client, path):
    response = await client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, (path, name)


def test_the_policy_allows_only_this_origin_and_no_inline_or_eval_scripts():
    directives = dict(d.split(" ", 1) for d in SECURITY_HEADERS["Content-Security-Policy"].split("; "))
    assert directives["default-src"] == directives["script-src"] == directives["connect-src"] == "'self'"
    assert "unsafe" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"


async def test_cors_is_closed_by_default(client):
    simple = await client.get("/api/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers
    preflight = await client.options(
        "/api/simulate", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers


async def test_cors_opens_to_the_configured_origins_only(settings):
    app = create_app(settings.model_copy(update={"cors_origins": ["https://lab.example"]}))
    async with client_for(app) as client:
        ok = await client.options(
            "/api/simulate",
            headers={
                "Origin": "https://lab.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == "https://lab.example"
        other = await client.get("/api/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


@pytest.fixture
def small_body_app(settings):
    return create_app(settings.model_copy(update={"max_body_bytes": 1024}))


async def test_a_body_declared_too_large_is_413_at_once(small_body_app):
    async with client_for(small_body_app) as client:
        response = await client.post(
            "/api/simulate", content=b"{" + b" " * 2000 + b"}", headers={"content-type": "application/json"}
        )
    assert response.status_code == 413
    assert "1024 bytes" in response.json()["detail"]


async def test_a_streamed_body_is_cut_off_past_the_limit(small_body_app):
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"seq_len": 5'
        for _ in range(200):  # 2 kB in all, over the 1 kB limit
            yield b"          "
        yield b"}"

    async with client_for(small_body_app) as client:
        response = await client.post("/api/simulate", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


async def test_a_body_under_the_limit_passes(small_body_app):
    async with client_for(small_body_app) as client:
        response = await client.post("/api/simulate", json={"seq_len": 3, "flow_steps": 0})
    assert response.status_code == 200
