"""The API's prose reference lives in the repository (docs/api.md), covers every route, and is what the code cites."""

from __future__ import annotations

import re
import subprocess

from gradflow.api.main import create_app

from .readme import REPO

API_DOC = REPO / "docs" / "api.md"


def test_every_api_route_has_a_section():
    headings = re.findall(r"^## [^\n]*", API_DOC.read_text(), flags=re.M)
    documented = {path for heading in headings for path in re.findall(r"/api/[\w/{}]+", heading)}
    routes = {path for path in create_app().openapi()["paths"] if path.startswith("/api/")}
    assert routes - documented == set()


def test_no_file_cites_a_contract_outside_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    sources = [p for p in tracked if p.endswith((".py", ".js", ".mjs", ".md", ".toml", ".html"))]
    outside = re.compile("api-" + "contract|" + "shared" + "/")  # in pieces, so this file does not match itself
    citing = [p for p in sources if outside.search((REPO / p).read_text(encoding="utf-8"))]
    assert citing == [], f"cite docs/api.md instead: {citing}"
