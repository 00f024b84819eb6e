"""GET /api/runs and /api/runs/{name}: watched runs served whole or followed, and never a path outside."""

from __future__ import annotations

import json

import httpx
import pytest
from gradflow.api.main import create_app
from gradflow.api.settings import Settings

from tests.serving import serving
from tests.watching.runs_support import write_run

pytestmark = pytest.mark.anyio


@pytest.fixture
def runs_dir(tmp_path):
    write_run(tmp_path / "runs", "exp1")
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "meta.json").write_text("{}")
    return tmp_path / "runs"


@pytest.fixture
async def runs_client(runs_dir, page_dir):
    app = create_app(Settings(frontend_dir=page_dir, runs_dir=runs_dir))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client


async def test_the_runs_are_listed(runs_client, runs_dir):
    answer = (await runs_client.get("/api/runs")).json()
    assert answer["runs_dir"] == str(runs_dir)
    (run,) = answer["runs"]
    assert run["name"] == "exp1" and run["snapshots"] == 3 and run["last_step"] == 20 and run["cell"] == "lstm"


async def test_without_a_runs_directory_the_list_is_empty(client):
    assert (await client.get("/api/runs")).json() == {"runs_dir": None, "runs": []}
    assert (await client.get("/api/runs/exp1")).status_code == 404


async def test_one_run_whole(runs_client):
    run = (await runs_client.get("/api/runs/exp1")).json()
    assert run["meta"]["hidden_size"] == 4 and [s["step"] for s in run["snapshots"]] == [0, 10, 20]
    assert len(run["scalars"]) == 21


@pytest.mark.parametrize("name", ["..", "%2e%2e", "..%2Fsecret", "%2Fetc%2Fpasswd", "secret", "nope", ".exp1"])
async def test_a_name_outside_the_runs_directory_is_404(runs_client, name):
    answer = await runs_client.get(f"/api/runs/{name}")
    assert answer.status_code == 404


def test_follow_streams_the_lines_as_they_are_written(runs_dir):
    """Over a real socket: the meta and what is there, then a line appended later, then the client hangs up."""
    app = create_app(Settings(runs_dir=runs_dir))
    with serving(app) as url, httpx.stream("GET", f"{url}/api/runs/exp1?follow=true", timeout=10) as answer:
        assert answer.headers["content-type"].startswith("application/x-ndjson")
        lines = answer.iter_lines()
        first = json.loads(next(lines))
        assert first["type"] == "meta" and first["meta"]["cell"] == "lstm"
        kinds = [json.loads(next(lines))["type"] for _ in range(21 + 3)]
        assert kinds.count("scalars") == 21 and kinds.count("snapshot") == 3
        with (runs_dir / "exp1" / "snapshots.ndjson").open("ab") as f:
            f.write(b'{"type":"snapshot","step":30}\n')
        assert json.loads(next(lines)) == {"type": "snapshot", "step": 30}
