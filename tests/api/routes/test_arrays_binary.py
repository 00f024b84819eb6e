"""`arrays=binary` on /api/simulate, /api/train and /api/sweep: typed arrays that decode to exactly the JSON
answer's numbers (nulls as NaN at the same places); nothing changes without it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from gradflow.wire.typed import decode

from tests.wire.test_typed import same_numbers

pytestmark = pytest.mark.anyio

EXPLODING = {"cell": "rnn", "activation": "linear", "recurrent_scale": 30.0, "seq_len": 300, "hidden_size": 8}


@pytest.mark.parametrize(
    "request_body",
    [EXPLODING, {"cell": "lstm", "seq_len": 40, "num_layers": 2}, {"cell": "gru", "seq_len": 30, "batch_size": 3}],
    ids=["rnn-exploding", "lstm-stack", "gru-batch"],
)
async def test_simulate_binary_decodes_to_the_json_answer(client, request_body):
    plain = (await client.post("/api/simulate", json=request_body)).json()
    typed = (await client.post("/api/simulate", json={**request_body, "arrays": "binary"})).json()
    plain["config"]["arrays"] = "binary"
    plain.pop("elapsed_ms"), typed.pop("elapsed_ms")
    assert same_numbers(plain, typed) >= 10
    if request_body is EXPLODING:
        assert any("beyond float64" in w for w in typed["warnings"])
        assert np.isnan(decode(typed["grad_h_norm"])).any()


async def test_f4_is_float32_of_the_same_numbers_and_get_takes_it_too(client):
    plain = (await client.get("/api/simulate", params={"cell": "lstm", "seq_len": 20})).json()
    f4 = (await client.get("/api/simulate", params={"cell": "lstm", "seq_len": 20, "arrays": "binary-f4"})).json()
    got = decode(f4["grad_h_log10_norm"])
    assert f4["grad_h_log10_norm"]["dtype"] == "f4" and got.dtype == np.float32
    np.testing.assert_array_equal(got, np.array(plain["grad_h_log10_norm"], dtype=np.float32))


async def test_train_binary_decodes_to_the_json_events(client):
    body = {"cell": "gru", "steps": 6, "report_every": 2, "seq_len": 8, "hidden_size": 4, "stream": False}
    plain = (await client.post("/api/train", json={**body, "return_weights": True})).json()
    typed = (await client.post("/api/train", json={**body, "return_weights": True, "arrays": "binary"})).json()
    for a, b in zip(plain["events"], typed["events"]):
        a.pop("elapsed_ms"), b.pop("elapsed_ms")
    plain["summary"].pop("elapsed_ms"), typed["summary"].pop("elapsed_ms")
    assert same_numbers(plain, typed) >= 4


async def test_train_stream_lines_are_typed_too(client):
    body = {"cell": "lstm", "steps": 4, "report_every": 2, "seq_len": 6, "hidden_size": 4, "arrays": "binary"}
    answer = await client.post("/api/train", json=body)
    events = [json.loads(line) for line in answer.text.splitlines()]
    assert events[0]["grad_h_log10_norm"]["dtype"] == "f8" and events[-1]["type"] == "summary"


async def test_sweep_binary_decodes_to_the_json_summary(client):
    body = {"base": {"seq_len": 10, "hidden_size": 4}, "x": {"field": "recurrent_scale", "values": [0.5, 1.0]}}
    body |= {"y": {"field": "hidden_size", "values": [2, 4]}, "stream": False}
    plain = (await client.post("/api/sweep", json=body)).json()
    typed = (await client.post("/api/sweep", json={**body, "arrays": "binary"})).json()
    plain.pop("elapsed_ms"), typed.pop("elapsed_ms")
    assert same_numbers(plain, typed) >= 4
