"""POST /api/train answered whole (stream false) and refused in words: 422 naming the field, the budget, 503."""

from __future__ import annotations

import json

import pytest
from gradflow.api.main import create_app
from gradflow.api.settings import Settings
from gradflow.models import TrainResult

from tests.api.conftest import strict_json

pytestmark = pytest.mark.anyio

SMALL = {"cell": "gru", "seq_len": 6, "hidden_size": 4, "batch_size": 4, "steps": 12, "report_every": 5}


async def test_a_whole_run_in_one_answer(client):
    response = await client.post("/api/train", json={**SMALL, "stream": False})
    assert response.status_code == 200, response.text
    body = strict_json(response)
    TrainResult.model_validate(body)
    assert [e["step"] for e in body["events"]] == [1, 5, 10, 12]
    assert body["summary"]["steps_done"] == 12 and body["summary"]["baseline_loss"] == pytest.approx(1 / 6)
    assert all(len(e["grad_h_log10_norm"]) == 6 and "update_gate_mean" in e for e in body["events"])
    assert body["summary"]["config"]["cell"] == "gru"


async def test_a_streamed_run_is_ndjson_ending_in_the_summary(client):
    response = await client.post("/api/train", json=SMALL)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert "content-encoding" not in response.headers  # lines must not wait for a gzip block
    lines = [json.loads(line, parse_constant=_refuse) for line in response.text.splitlines()]
    assert [e["type"] for e in lines] == ["progress"] * 4 + ["summary"]


async def test_a_diverging_run_is_strict_json_with_every_null_named(client):
    body = {
        "cell": "rnn",
        "seq_len": 20,
        "hidden_size": 32,
        "batch_size": 32,
        "learning_rate": 0.1,
        "optimizer": "sgd",
        "recurrent_scale": 1.5,
        "steps": 400,
        "report_every": 50,
        "stream": False,
    }
    answer = strict_json(await client.post("/api/train", json=body))
    summary, last = answer["summary"], answer["events"][-1]
    assert summary["diverged"] and summary["diverged_at"] == last["step"] and last["loss"] is None
    assert any("diverged" in w for w in last["warnings"])


def _refuse(token: str):
    raise ValueError(f"non-finite JSON token {token!r}")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("task", "copy"),
        ("cell", "transformer"),
        ("steps", 0),
        ("steps", 20_001),
        ("learning_rate", 0),
        ("learning_rate", 11),
        ("optimizer", "rmsprop"),
        ("batch_size", 0),
        ("hidden_size", 257),
        ("report_every", 0),
        ("clip_mode", "both"),
        ("stream", "yes"),
        ("seq_len", "30"),
        ("forget_bias", 21),
    ],
)
async def test_each_bad_field_is_named(client, field, value):
    response = await client.post("/api/train", json={field: value})
    assert response.status_code == 422, response.text
    [error] = strict_json(response)["detail"]
    assert error["loc"] == ["body", field] and error["msg"].startswith(f"{field} = {value!r}: ")


async def test_the_adding_task_needs_two_steps(client):
    [error] = strict_json(await client.post("/api/train", json={"seq_len": 1}))["detail"]
    assert error["loc"] == ["body", "seq_len"] and "at least 2" in error["msg"]
    response = await client.post("/api/train", json={**SMALL, "task": "recall", "seq_len": 1, "stream": False})
    assert response.status_code == 200


async def test_over_the_training_budget_is_refused_up_front_in_words(client):
    body = {"cell": "lstm", "seq_len": 100, "hidden_size": 64, "batch_size": 64, "steps": 20_000}
    response = await client.post("/api/train", json=body)
    assert response.status_code == 422
    [error] = strict_json(response)["detail"]
    assert error["type"] == "compute_budget" and "GRADFLOW_TRAIN_BUDGET" in error["msg"] and "steps <= " in error["msg"]


async def test_busy_training_slots_answer_503_with_retry_after(page_dir):
    import httpx

    app = create_app(Settings(frontend_dir=page_dir, max_concurrent_trainings=1, queue_timeout_s=0))
    app.state.training_slots.acquire()
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            response = await client.post("/api/train", json=SMALL)
        assert response.status_code == 503 and response.headers["retry-after"]
        assert "training slots are busy" in strict_json(response)["detail"]
    finally:
        app.state.training_slots.release()


async def test_the_schema_carries_every_training_field_with_bounds(client):
    schema = strict_json(await client.get("/openapi.json"))
    props = schema["components"]["schemas"]["TrainRequest"]["properties"]
    assert {
        "cell",
        "activation",
        "task",
        "seq_len",
        "hidden_size",
        "batch_size",
        "steps",
        "learning_rate",
        "optimizer",
        "clip_mode",
        "clip_threshold",
        "init",
        "recurrent_scale",
        "forget_bias",
        "seed",
        "report_every",
        "stream",
    } <= set(props)
    assert props["steps"]["maximum"] == 20_000 and props["task"]["enum"] == ["adding", "recall"]
    assert props["stream"]["default"] is True
