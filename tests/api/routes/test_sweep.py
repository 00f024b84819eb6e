"""POST /api/sweep: points equal /api/simulate, streamed as they finish, cancelled on hang-up, budgeted."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from gradflow.api.main import create_app
from gradflow.api.settings import Settings
from gradflow.sweeping import executors

from tests.api.conftest import strict_json
from tests.serving import serving

pytestmark = pytest.mark.anyio

SWEEP = {
    "base": {"cell": "gru", "seq_len": 30, "hidden_size": 8},
    "x": {"field": "recurrent_scale", "start": 0.5, "stop": 2.0, "num": 3, "log": True},
    "y": {"field": "seq_len", "values": [10, 40]},
    "seeds": 2,
}


async def test_each_point_equals_what_simulate_answers(client):
    lines = (await client.post("/api/sweep", json=SWEEP)).text.splitlines()
    events = [json.loads(line) for line in lines]
    points, summary = events[:-1], events[-1]
    assert len(points) == 12 and summary["type"] == "summary" and summary["executor"] == "inline"
    for p in points[:5]:
        fields = {
            **SWEEP["base"],
            "recurrent_scale": summary["x"]["values"][p["ix"]],
            "seq_len": summary["y"]["values"][p["iy"]],
            "seed": p["seed"],
        }
        answer = strict_json(await client.post("/api/simulate", json=fields))
        assert p["log10_grad_first"] == answer["grad_h_log10_norm"][0]
        assert p["memory_horizon"] == answer["memory_horizon"]
        assert p["spectral_radius"] == answer["spectrum"]["spectral_radius"]
        assert p["update_gate_mean"] == answer["gate_means"]["z"]
    assert len(summary["grid"]["log10_grad_first"]) == 2 and len(summary["grid"]["log10_grad_first"][0]) == 3


async def test_stream_false_answers_the_summary(client):
    body = strict_json(await client.post("/api/sweep", json={**SWEEP, "stream": False}))
    assert body["points"] == 12 and body["seeds"] == 2 and set(body["grid"]) >= {"log10_grad_first", "update_gate_mean"}


async def test_over_the_sweep_budget_is_refused_up_front(client):
    big = {
        "base": {"cell": "lstm", "seq_len": 1000, "hidden_size": 256},
        "x": {"field": "recurrent_scale", "start": 0.5, "stop": 2, "num": 64},
        "y": {"field": "forget_bias", "start": 0, "stop": 3, "num": 64},
        "seeds": 5,
    }
    response = await client.post("/api/sweep", json=big)
    assert response.status_code == 422
    [error] = strict_json(response)["detail"]
    assert error["type"] == "compute_budget" and "GRADFLOW_SWEEP_BUDGET" in error["msg"] and "Dask" in error["msg"]


async def test_an_axis_value_out_of_bounds_is_named(client):
    response = await client.post("/api/sweep", json={"x": {"field": "hidden_size", "values": [8, 300]}})
    assert response.status_code == 422 and "x.values[1]: hidden_size = 300" in response.text


def test_a_hangup_cancels_the_remaining_points(page_dir, monkeypatch):
    count = [0]
    real = executors.metrics_of

    def counting(job):
        count[0] += 1
        return real(job)

    monkeypatch.setattr(executors, "metrics_of", counting)
    many = {
        "base": {"cell": "rnn", "seq_len": 300, "hidden_size": 64},
        "x": {"field": "recurrent_scale", "start": 0.5, "stop": 2, "num": 64},
        "seeds": 16,
    }
    app = create_app(Settings(frontend_dir=page_dir, sweep_pool_workers=1))  # inline: countable in this process
    with serving(app) as url, httpx.Client(timeout=30) as client:
        with client.stream("POST", f"{url}/api/sweep", json=many) as response:
            assert response.status_code == 200
            first = json.loads(next(response.iter_lines()))
            assert first["type"] == "point"
        time.sleep(0.5)
        stopped_at = count[0]
        time.sleep(1.0)
        assert count[0] == stopped_at < 64 * 16, "points went on after the client hung up"


async def test_a_dask_scheduler_without_dask_installed_is_a_503_in_words(page_dir, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError("No module named 'distributed'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    app = create_app(Settings(frontend_dir=page_dir, dask_scheduler="tcp://127.0.0.1:1"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.post("/api/sweep", json={**SWEEP, "stream": False})
    assert response.status_code == 503 and "pip install gradflow[dask]" in response.text


async def test_a_failure_under_way_ends_the_stream_with_an_error_line_and_a_whole_sweep_with_a_502(client, monkeypatch):
    from gradflow.api.routes import sweep as route

    class FailingHalfway:
        name = "failing"

        def run(self, jobs):
            yield {"type": "point", "ix": 0, "iy": 0, "seed": 0}
            raise RuntimeError("worker lost")

        def close(self):
            pass

    monkeypatch.setattr(route, "make_executor", lambda *a: FailingHalfway())
    body = {"base": {"seq_len": 5, "hidden_size": 2}, "x": {"field": "recurrent_scale", "values": [0.5, 1.0]}}
    streamed = await client.post("/api/sweep", json=body)
    lines = [json.loads(line) for line in streamed.text.splitlines()]
    assert streamed.status_code == 200 and lines[0]["type"] == "point"
    assert lines[-1] == {"type": "error", "detail": "the work failed under way: RuntimeError: worker lost"}
    whole = await client.post("/api/sweep", json={**body, "stream": False})
    assert whole.status_code == 502 and "worker lost" in whole.json()["detail"]
