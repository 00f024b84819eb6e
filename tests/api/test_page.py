"""The page at `/` (api/page.py): its files served from the page folder and nothing outside it, and a catch-all
that steps aside for the app's own paths, so the API answers its own 404s and 405s."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from gradflow.api.main import create_app
from gradflow.api.page import APP_PREFIXES, PageMount, mount_page
from gradflow.api.routes import vendor
from starlette.routing import Match

pytestmark = pytest.mark.anyio


async def test_the_page_and_its_assets_are_served_at_the_root(client, page_dir):
    index = await client.get("/")
    assert index.status_code == 200 and index.text == (page_dir / "index.html").read_text()
    css = await client.get("/css/app.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


async def test_the_bundle_s_hashed_files_are_kept_for_good_and_every_other_file_is_revalidated(client, page_dir):
    (page_dir / "dist" / "chunks").mkdir(parents=True)
    (page_dir / "dist" / "main-ABCD1234.js").write_text('import "./chunks/chunk-ABC.js";')
    (page_dir / "dist" / "main-ABCD1234.js.map").write_text("{}")
    (page_dir / "dist" / "chunks" / "chunk-ABC.js").write_text("export const a = 1;")
    (page_dir / "dist" / "BUILD.json").write_text("{}")
    for path in ("/dist/main-ABCD1234.js", "/dist/chunks/chunk-ABC.js"):
        kept = await client.get(path)
        assert kept.status_code == 200 and kept.headers["cache-control"] == "public, max-age=31536000, immutable"
    for path in ("/", "/css/app.css", "/dist/main-ABCD1234.js.map", "/dist/BUILD.json"):
        first = await client.get(path)
        assert first.headers["cache-control"] == "no-cache", path
        again = await client.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.headers["cache-control"] == "no-cache", path


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


@pytest.fixture
def shadowing_page(page_dir):
    """A page folder holding files at the app's own paths, which must never be served."""
    (page_dir / "api").mkdir()
    (page_dir / "api" / "nope").write_text("a page file")
    (page_dir / "vendor").mkdir()
    (page_dir / "vendor" / "other.js").write_text("a page file")
    return page_dir


@pytest.mark.parametrize("path", ["/api/nope", "/vendor/other.js"])
async def test_the_app_s_own_paths_never_reach_the_page_folder(settings, shadowing_page, path):
    app = create_app(settings.model_copy(update={"frontend_dir": shadowing_page}))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.get(path)
    assert response.status_code == 404 and "a page file" not in response.text
    assert response.json() == {"detail": "Not Found"}


async def test_a_wrong_method_on_an_api_route_lists_the_route_s_methods(client):
    response = await client.put("/api/simulate")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"


@pytest.mark.parametrize("path", ["/", "/index.html", "/css/app.css"])
async def test_a_wrong_method_on_the_page_is_405_allowing_get_and_head(client, path):
    response = await client.post(path)
    assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD"
    head = await client.head(path)
    assert head.status_code == 200 and head.content == b""


def scope(path: str, method: str = "GET") -> dict:
    return {"type": "http", "path": path, "method": method, "root_path": "", "headers": []}


def test_every_path_of_the_app_is_one_the_page_steps_aside_for(app):
    paths = set(app.openapi()["paths"]) | {route.path for route in vendor.router.routes}
    paths |= {route.path for route in app.routes if getattr(route, "path", "")}  # /docs, /redoc, their assets
    assert {"/api/simulate", "/vendor/plotly.min.js", "/docs", "/openapi.json"} <= paths
    assert [path for path in paths if not path.startswith(APP_PREFIXES)] == []


def test_the_mount_matches_everything_but_the_app_s_prefixes(page_dir):
    mount = PageMount("/", app=StaticFiles(directory=page_dir, html=True), name="page")
    for prefix in APP_PREFIXES:
        assert mount.matches(scope(prefix + "x"))[0] == Match.NONE, prefix
    assert mount.matches(scope("/"))[0] == Match.FULL
    assert mount.matches(scope("/apix/a.js", "HEAD"))[0] == Match.FULL  # a prefix is a prefix: /api/, not /api
    assert mount.matches(scope("/", "POST"))[0] == Match.PARTIAL


async def test_mount_page_goes_after_every_route(page_dir):
    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict:
        return {"hello": "route"}

    (page_dir / "hello").write_text("page")
    mount_page(app, page_dir)
    assert app.router.routes[-1].name == "page"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert (await client.get("/hello")).json() == {"hello": "route"}
        assert (await client.get("/")).text == (page_dir / "index.html").read_text()
