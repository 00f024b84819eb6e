"""create_app wiring: Plotly.js at /vendor, the API without a page folder, BLAS pinned (the page itself: test_page.py)."""

from __future__ import annotations

import anyio
import httpx
import pytest
from gradflow.api.main import create_app
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


async def test_start_up_makes_the_schema_and_the_gzipped_plotly_js_before_a_page_asks(app):
    """The first page load after start-up must not wait for them (each took 100-140 ms per worker)."""
    assert app.openapi_schema is None and getattr(app.state, "plotly_js_gzip", None) is None
    async with app.router.lifespan_context(app):
        with anyio.fail_after(30):
            while getattr(app.state, "plotly_js_gzip", None) is None or app.state.plotly_js_gzip.body is None:
                await anyio.sleep(0.01)
        assert app.openapi_schema is not None and app.openapi_schema["info"]["title"] == "Gradient Flow Lab"
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            served = await client.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "gzip"})
        assert served.headers["content-encoding"] == "gzip"
        assert int(served.headers["content-length"]) == len(app.state.plotly_js_gzip.body)


async def test_a_quick_shutdown_stops_the_warm_up_cleanly(app):
    async with app.router.lifespan_context(app):
        pass  # no error, no warning about a task left pending
