"""The library agrees with the API value for value, and refuses bad fields in the API's words."""

from __future__ import annotations

import subprocess
import sys

import gradflow
import httpx
import pytest
from gradflow.api.main import create_app
from gradflow.api.settings import Settings

REQUESTS = [
    {"cell": "lstm", "seq_len": 40, "hidden_size": 8, "batch_size": 2, "return_params": True},
    {"cell": "rnn", "activation": "linear", "recurrent_scale": 2.5, "seq_len": 800, "hidden_size": 6},  # past float64
    {"cell": "gru", "seq_len": 30, "num_layers": 2, "clip_mode": "norm", "clip_scope": "bptt", "digits": 6},
]


def _without_timing(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "elapsed_ms"}


@pytest.mark.anyio
@pytest.mark.parametrize("request_fields", REQUESTS)
async def test_the_library_answers_what_the_api_answers(request_fields, tmp_path):
    app = create_app(Settings(frontend_dir=tmp_path))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.post("/api/simulate", json=request_fields)
    assert response.status_code == 200, response.text
    assert _without_timing(gradflow.simulate(**request_fields).to_dict()) == _without_timing(response.json())


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("field", "value"), [("seq_len", 2000), ("cell", "transformer"), ("hiden_size", 3), ("recurrent_scale", "big")]
)
async def test_a_bad_field_raises_a_value_error_with_the_api_words(field, value, tmp_path):
    app = create_app(Settings(frontend_dir=tmp_path))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        [api_error] = (await client.post("/api/simulate", json={field: value})).json()["detail"]
    with pytest.raises(ValueError) as caught:
        gradflow.simulate(**{field: value})
    assert isinstance(caught.value, gradflow.InvalidRequest)
    assert str(caught.value) == api_error["msg"] and caught.value.errors[0]["loc"] == api_error["loc"]


@pytest.mark.anyio
async def test_training_events_equal_the_api_events(tmp_path):
    fields = {"cell": "lstm", "seq_len": 8, "hidden_size": 5, "batch_size": 4, "steps": 12, "report_every": 4}
    app = create_app(Settings(frontend_dir=tmp_path))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        answer = (await client.post("/api/train", json={**fields, "stream": False})).json()
    events = list(gradflow.train(**fields))
    strip = lambda e: {k: v for k, v in e.items() if k != "elapsed_ms"}  # noqa: E731
    assert [strip(e) for e in events] == [strip(e) for e in answer["events"] + [answer["summary"]]]
    with pytest.raises(gradflow.InvalidRequest, match="task = 'copy'"):
        gradflow.train(task="copy")


def test_import_gradflow_stays_light():
    code = (
        "import sys, gradflow; heavy = [m for m in ('numpy', 'fastapi', 'plotly', 'pydantic', 'starlette') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    code = (
        "import sys, gradflow; gradflow.simulate(seq_len=3); print('fastapi' in sys.modules, 'plotly' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"
