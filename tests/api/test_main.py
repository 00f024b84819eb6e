"""create_app wiring: the page at /, Plotly.js at /vendor, nothing readable outside the page folder, BLAS pinned."""

from __future__ import annotations

import gradflow
import httpx
import pytest
from gradflow.api.main import create_app
from threadpoolctl import threadpool_info

pytestmark = pytest.mark.anyio


async def test_health(client):
    response = await client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": gradflow.__version__}


async def test_the_page_and_its_assets_are_served_at_the_root(client, page_dir):
    index = await client.get("/")
    assert index.status_code == 200 and index.text == (page_dir / "index.html").read_text()
    css = await client.get("/css/app.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


@pytest.mark.parametrize(
    "path",
    [
        "/..%2fsecret.txt",
        "/css/..%2f..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/css/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/docs-assets/vendor/..%2f..%2f..%2fgradflow%2f__init__.py",
    ],
)
async def test_static_files_cannot_escape_their_folder(client, path):
    response = await client.get(path)
    assert response.status_code == 404, path
    assert "not for the web" not in response.text and "__version__" not in response.text


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
