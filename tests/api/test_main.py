"""create_app wiring: Plotly.js at /vendor, the API without a page folder, BLAS pinned (the page itself: test_page.py)."""

from __future__ import annotations

import anyio
import httpx
import pytest
from gradflow.api import main
from gradflow.api.main import create_app
from gradflow.api.routes import simulate as simulate_route
from gradflow.core.config import SimConfig
from gradflow.core.simulate import RunMemo
from threadpoolctl import threadpool_info

pytestmark = pytest.mark.anyio


async def test_plotly_is_served_locally_and_revalidates(client):
    response = await client.get("/vendor/plotly.min.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert b"plotly" in response.content[:2000].lower() and len(response.content) > 1_000_000
    again = await client.get("/vendor/plotly.min.js", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


async def test_without_a_page_folder_the_api_still_runs(settings, tmp_path):
    app = create_app(settings.model_copy(update={"frontend_dir": tmp_path / "missing"}))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert (await client.get("/api/health")).status_code == 200
        assert (await client.get("/")).status_code == 404


async def test_start_up_pins_blas_to_one_thread_and_restores_it(app):
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    if not blas:
        pytest.skip("numpy is linked to no BLAS threadpoolctl knows")
    async with app.router.lifespan_context(app):
        assert {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"} == {1}
    assert [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"] == [
        pool["num_threads"] for pool in blas
    ]


async def test_start_up_makes_the_schema_the_gzipped_plotly_js_and_the_default_run_before_a_page_asks(app, monkeypatch):
    """The first page load after start-up must not wait for them (100-140 ms each in a fresh worker)."""
    memo = RunMemo()
    monkeypatch.setattr(simulate_route, "MEMO", memo)
    assert app.openapi_schema is None and getattr(app.state, "plotly_js_gzip", None) is None
    async with app.router.lifespan_context(app):
        with anyio.fail_after(30):
            while memo.key(SimConfig()) not in memo._runs:  # the warm-up's own request ran through the app
                await anyio.sleep(0.01)
        assert app.state.plotly_js_gzip.body is not None
        assert app.openapi_schema is not None and app.openapi_schema["info"]["title"] == "Gradient Flow Lab"
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            served = await client.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "gzip"})
            assert served.headers["content-encoding"] == "gzip"
            assert int(served.headers["content-length"]) == len(app.state.plotly_js_gzip.body)
            hits = memo.hits
            page = await client.get("/api/simulate?arrays=binary-f4")
        assert page.status_code == 200 and memo.hits == hits + 1, "the default page's first run is kept"


async def test_a_failed_warm_up_is_logged_and_the_app_serves_on(app, caplog):
    def broken() -> dict:
        raise RuntimeError("no schema today")

    app.openapi = broken
    async with app.router.lifespan_context(app):
        with anyio.fail_after(30):
            while not any("warm-up" in r.getMessage() for r in caplog.records):
                await anyio.sleep(0.01)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            assert (await client.get("/api/health")).status_code == 200


async def test_a_quick_shutdown_stops_the_warm_up_cleanly(app):
    async with app.router.lifespan_context(app):
        pass  # no error, no warning about a task left pending


async def test_a_warm_up_request_the_app_refuses_is_logged(app, caplog, monkeypatch):
    monkeypatch.setattr(main, "WARM_UP_QUERY", b"seq_len=0")
    async with app.router.lifespan_context(app):
        with anyio.fail_after(30):
            while not any("warm-up" in r.getMessage() for r in caplog.records):
                await anyio.sleep(0.01)
    assert "answered 422" in caplog.text
