"""Fixtures for the API tests: an app built from test settings, and an httpx client over ASGI.

httpx.AsyncClient + ASGITransport rather than Starlette's TestClient: TestClient's httpx use raises a
deprecation warning under Starlette 1.10 and pytest runs with warnings as errors. The anyio pytest
plugin (shipped with anyio) runs the async tests, on asyncio only.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from gradflow.api.main import create_app
from gradflow.api.settings import Settings


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def page_dir(tmp_path: Path) -> Path:
    """A stand-in page folder (the real one belongs to frontend/), with a secret next to it."""
    page = tmp_path / "page"
    (page / "css").mkdir(parents=True)
    (page / "index.html").write_text("<!DOCTYPE html><title>page</title>")
    (page / "css" / "app.css").write_text("body { margin: 0 }")
    (tmp_path / "secret.txt").write_text("not for the web")
    return page


@pytest.fixture
def settings(page_dir: Path) -> Settings:
    return Settings(frontend_dir=page_dir, queue_timeout_s=0)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        yield c


def _refuse_constant(token: str) -> Any:
    raise ValueError(f"non-finite JSON token {token!r}")


def strict_json(response: httpx.Response) -> Any:
    """The body parsed by a parser that rejects NaN, Infinity and -Infinity, as a browser's JSON.parse does."""
    assert response.headers["content-type"].startswith("application/json"), response.headers["content-type"]
    return json.loads(response.content, parse_constant=_refuse_constant)
