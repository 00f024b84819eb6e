"""/vendor/plotly.min.js: gzipped once per app when accepted, the file as it is otherwise, both cacheable."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re

import httpx
import pytest
from gradflow.api import compression
from gradflow.api.routes import vendor
from gradflow.api.routes.vendor import PLOTLY_JS

from tests.plotly_bundle import BUNDLE_TOOL, REPO, page_trace_types, record, registered_in_bundle

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
    assert int(response.headers["content-length"]) == len(body) < PLOTLY_JS.stat().st_size / 2
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


def test_the_served_file_is_the_recorded_build():
    """The file is byte for byte what `make vendor-plotly` last built and recorded (plotly-bundle.json), from
    the plotly.js release vendor.py names and the versions the build's lockfile pins."""
    built = record()
    data = PLOTLY_JS.read_bytes()
    assert built["file"] == PLOTLY_JS.name
    assert (len(data), hashlib.sha256(data).hexdigest()) == (built["bytes"], built["sha256"]), (
        "the vendored Plotly.js is not the recorded build: run make vendor-plotly"
    )
    assert built["plotly.js"] == vendor.PLOTLY_VERSION
    assert f"v{vendor.PLOTLY_VERSION}\n" in data[:300].decode()
    lock = json.loads((BUNDLE_TOOL / "package-lock.json").read_text())["packages"]
    assert lock["node_modules/plotly.js"]["version"] == built["plotly.js"]
    assert lock["node_modules/esbuild"]["version"] == built["esbuild"]
    assert all("integrity" in p for name, p in lock.items() if name), "a package in the lock has no integrity"
    assert (BUNDLE_TOOL / built["entry"].removeprefix("tools/plotly-bundle/")).is_file()
    license_text = PLOTLY_JS.with_name("plotly-LICENSE.txt").read_text()
    assert license_text.startswith("MIT License") and "Plotly" in license_text


def test_the_page_preloads_the_file_and_checks_it_against_the_recorded_build():
    """index.html asks for the file twice, as a preload (fetched at once, at high priority) and as the async
    script that runs it: both with the recorded sha256 as their integrity, so the preload is the one the script
    uses and a file that is not the recorded build never runs. `make vendor-plotly` writes both."""
    index = (REPO / "frontend" / "index.html").read_text()
    tags = re.findall(r"<(?:link|script)\b[^>]*vendor/plotly\.min\.js[^>]*>", index)
    expected = "sha256-" + base64.b64encode(bytes.fromhex(record()["sha256"])).decode()
    assert len(tags) == 2, tags
    preload, script = sorted(tags)  # "<link" < "<script"
    assert 'rel="preload"' in preload and 'as="script"' in preload
    assert 'id="plotly-js"' in script and " async" in script
    for tag in tags:
        assert re.search(r'integrity="([^"]+)"', tag).group(1) == expected, f"{tag}: run make vendor-plotly"
        assert "crossorigin" not in tag, "the preload and the script must ask alike, or the preload goes unused"


def test_the_bundle_registers_every_trace_type_the_page_draws():
    """The page's trace types (its JS sources scanned for them) are all registered in the file, and nothing
    the page does not draw is (the point of building it: every module costs evaluation time on a first view)."""
    page = page_trace_types()
    assert {"scatter", "heatmap"} <= page.keys(), f"the scan of frontend/js found only {sorted(page)}"
    registered = registered_in_bundle()
    missing = {name: files for name, files in page.items() if name not in registered}
    assert not missing, (
        f"the page draws trace types the vendored Plotly.js lacks: {missing}; "
        "add them to tools/plotly-bundle/entry.js and run make vendor-plotly"
    )
    assert registered == set(record()["traces"])
    # scatter comes with plotly.js's core and cannot be left out
    unused = registered - page.keys() - {"scatter"}
    assert not unused, f"the bundle registers trace types the page no longer draws: {unused}; drop them from entry.js"


def test_the_scan_finds_a_trace_type_in_any_type_expression_and_nothing_else(tmp_path):
    """What makes the test above fail when a chart starts drawing a new trace type."""
    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "new.js").write_text(
        "const t = { type: 'violin', y };\n"
        "const u = { x, type: split ? 'box' : 'scatter' };\n"
        "const axis = { type: log ? 'log' : 'linear' }, shape = { type: 'rect' }, input = { type: 'checkbox' };\n"
    )
    assert page_trace_types(tmp_path) == dict.fromkeys(["violin", "box", "scatter"], ["charts/new.js"])
