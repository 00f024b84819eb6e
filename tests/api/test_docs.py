"""/docs and /redoc work offline: every asset they reference is served by the app, and no inline script."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.anyio

REFERENCE = re.compile(r"""(?:src|href|spec-url|data-openapi-url)="([^"]*)\"""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_reference_only_local_urls_that_answer(client, page):
    response = await client.get(page)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    urls = REFERENCE.findall(response.text)
    assert len(urls) >= 2
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 100, url
    assert "http://" not in response.text and "https://" not in response.text


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_have_no_inline_script_for_the_csp_to_block(client, page):
    html = (await client.get(page)).text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    for attributes, body in scripts:
        assert "src=" in attributes and not body.strip()


async def test_swagger_ui_is_started_by_a_served_script(client):
    html = (await client.get("/docs")).text
    init = re.search(r'src="([^"]*swagger-init\.js)"', html).group(1)
    script = (await client.get(init)).text
    assert "SwaggerUIBundle(" in script and "openapiUrl" in script


async def test_openapi_describes_the_endpoints(client):
    schema = (await client.get("/openapi.json")).json()
    assert {"/api/health", "/api/simulate"} <= set(schema["paths"])
    assert set(schema["paths"]["/api/simulate"]) == {"get", "post"}
