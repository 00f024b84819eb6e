"""Every way /api/simulate refuses a request: 422 naming the field, 413, 503, never a 5xx or a trace."""

from __future__ import annotations

import httpx
import pytest
from gradflow.api.main import create_app
from gradflow.api.routes import simulate as route

from tests.api.conftest import strict_json

pytestmark = pytest.mark.anyio

BAD_VALUES = [
    ("cell", "transformer"),
    ("activation", "gelu"),
    ("seq_len", 0),
    ("seq_len", 1001),
    ("hidden_size", 0),
    ("hidden_size", 257),
    ("input_size", 0),
    ("input_size", 17),
    ("init", "xavier"),
    ("recurrent_scale", 0),
    ("recurrent_scale", -1),
    ("recurrent_scale", 101),
    ("forget_bias", -21),
    ("forget_bias", 21),
    ("input_kind", "noise"),
    ("batch_size", 0),
    ("batch_size", 65),
    ("seed", -1),
    ("seed", 2**32),
    ("loss", "mean"),
    ("clip_mode", "both"),
    ("clip_threshold", 0),
    ("clip_threshold", 1e7),
    ("clip_scope", "layer"),
    ("return_params", "maybe"),
    ("flow_steps", -1),
    ("flow_steps", 129),
    ("seq_len", "ten"),
    ("recurrent_scale", "big"),
]

LOOSE_JSON = [
    ("forget_bias", False),
    ("seq_len", "5"),
    ("seq_len", True),
    ("return_params", 1),
    ("return_params", "true"),
    ("cell", 1),
]


def the_error(response: httpx.Response) -> dict:
    assert response.status_code == 422, response.text
    [error] = strict_json(response)["detail"]
    return error


@pytest.mark.parametrize(("field", "value"), BAD_VALUES)
async def test_each_bad_field_is_named_with_its_value(client, field, value):
    posted = the_error(await client.post("/api/simulate", json={field: value}))
    assert posted["loc"] == ["body", field]
    assert posted["msg"].startswith(f"{field} = {value!r}: ")
    got = the_error(await client.get("/api/simulate", params={field: str(value)}))
    assert got["loc"] == ["query", field]
    assert got["msg"].startswith(f"{field} = {value}: ")


@pytest.mark.parametrize(("field", "value"), LOOSE_JSON)
async def test_a_json_body_is_not_coerced(client, field, value):
    """Found by the fuzzer: `"forget_bias": false` was read as 0.0."""
    assert the_error(await client.post("/api/simulate", json={field: value}))["loc"] == ["body", field]


async def test_a_whole_float_is_an_integer_as_json_schema_has_it(client):
    response = await client.post("/api/simulate", json={"seq_len": 5.0, "flow_steps": 0})
    assert response.status_code == 200 and response.json()["config"]["seq_len"] == 5


async def test_a_huge_integer_is_named_but_not_echoed(client):
    """Found by the fuzzer: echoing 2**64 back as `input` crashed the encoder (500)."""
    error = the_error(await client.post("/api/simulate", json={"seq_len": 2**64}))
    assert error["msg"].startswith(f"seq_len = {2**64}: ") and "input" not in error


async def test_the_message_gives_the_limit(client):
    error = the_error(await client.get("/api/simulate?seq_len=5000"))
    assert error["msg"] == "seq_len = 5000: Input should be less than or equal to 1000"


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999"])
async def test_non_finite_numbers_in_the_body_are_422_not_500(client, token):
    body = f'{{"recurrent_scale": {token}}}'
    error = the_error(await client.post("/api/simulate", content=body, headers={"content-type": "application/json"}))
    assert error["loc"] == ["body", "recurrent_scale"]
    assert "input" not in error  # NaN is not echoed back as a misleading null


@pytest.mark.parametrize("token", ["NaN", "Infinity", "1e999"])
async def test_non_finite_inputs_name_the_element(client, token):
    body = f'{{"seq_len": 2, "input_size": 2, "inputs": [[0, 1], [2, {token}]]}}'
    error = the_error(await client.post("/api/simulate", content=body, headers={"content-type": "application/json"}))
    assert error["loc"] == ["body", "inputs", 1, 1]
    assert error["type"] == "finite_number"


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"seq_len": 3, "input_size": 1, "inputs": [[0.0], [1.0]]}, "inputs has 2 rows but seq_len is 3"),
        (
            {"seq_len": 2, "input_size": 2, "inputs": [[0.0, 1.0], [1.0]]},
            "inputs row 1 has 1 numbers but input_size is 2",
        ),
        ({"seq_len": 1, "input_size": 1, "batch_size": 2, "inputs": [[0.0]]}, "batch_size must be 1 (got 2)"),
    ],
)
async def test_inputs_of_the_wrong_shape_are_refused(client, fields, words):
    error = the_error(await client.post("/api/simulate", json=fields))
    assert error["loc"] == ["body", "inputs"]
    assert words in error["msg"]


async def test_inputs_out_of_range_are_refused(client):
    error = the_error(await client.post("/api/simulate", json={"seq_len": 1, "input_size": 1, "inputs": [[1e7]]}))
    assert error["loc"] == ["body", "inputs", 0, 0]


async def test_inputs_cannot_come_in_a_query_string(client):
    error = the_error(await client.get("/api/simulate?inputs=1"))
    assert error["loc"] == ["query", "inputs"]
    assert "POST" in error["msg"]


@pytest.mark.parametrize("fields", [[None], [1], "loss,", {"a": 1}])
async def test_malformed_fields_lists_are_422(client, fields):
    """Found by the fuzzer: a null inside `fields` once crashed the comma splitter."""
    assert (await client.post("/api/simulate", json={"fields": fields})).status_code == 422


async def test_unknown_fields_are_refused_by_name(client):
    error = the_error(await client.post("/api/simulate", json={"hiden_size": 8}))
    assert error["loc"] == ["body", "hiden_size"]
    assert "unknown field 'hiden_size'" in error["msg"]


@pytest.mark.parametrize("body", ['{"seq_len": 2,', "[1, 2]", '"lstm"', "null"])
async def test_malformed_or_non_object_json_is_422(client, body):
    response = await client.post("/api/simulate", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert strict_json(response)["detail"][0]["loc"][0] == "body"


async def test_over_budget_is_refused_before_any_work(client, monkeypatch):
    def must_not_run(cfg, memo=None):
        raise AssertionError("the core ran an over-budget request")

    monkeypatch.setattr(route, "simulate", must_not_run)
    fields = {"cell": "lstm", "seq_len": 1000, "hidden_size": 256, "batch_size": 64}
    for response in (await client.post("/api/simulate", json=fields), await client.get("/api/simulate", params=fields)):
        error = the_error(response)
        assert error["type"] == "compute_budget"
        assert "compute budget of 4e+10" in error["msg"] and "GRADFLOW_COMPUTE_BUDGET" in error["msg"]
        assert "batch_size <= " in error["msg"]


async def test_the_budget_is_a_setting(settings):
    app = create_app(settings.model_copy(update={"compute_budget": 1e6}))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert the_error(await client.get("/api/simulate"))["type"] == "compute_budget"
        assert (await client.get("/api/simulate?seq_len=2&hidden_size=4&flow_steps=0")).status_code == 200


async def test_a_value_error_from_the_core_is_a_422(client, monkeypatch):
    def refuses(cfg, memo=None):
        raise ValueError("this combination cannot run")

    monkeypatch.setattr(route, "simulate", refuses)
    error = the_error(await client.post("/api/simulate", json={}))
    assert error == {"type": "value_error", "loc": ["body"], "msg": "this combination cannot run"}


async def test_an_unexpected_failure_is_a_bare_500_without_a_trace(app, monkeypatch):
    def crashes(cfg, memo=None):
        raise RuntimeError("secret internals at /srv/app.py line 3")

    monkeypatch.setattr(route, "simulate", crashes)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/api/simulate")
    assert response.status_code == 500
    assert strict_json(response) == {"detail": "Internal server error."}
    assert "secret" not in response.text and "Traceback" not in response.text


async def test_saturated_slots_answer_503_with_retry_after(app, client):
    """Deterministic: the test holds every slot itself, so the request cannot get one (queue_timeout_s=0)."""
    slots = app.state.simulation_slots
    held = [slots.hold() for _ in range(slots.capacity)]
    for slot in held:
        slot.__enter__()
    try:
        response = await client.get("/api/simulate")
        assert response.status_code == 503
        assert response.headers["retry-after"] == str(app.state.settings.retry_after_s)
        assert "Busy" in strict_json(response)["detail"]
    finally:
        for slot in held:
            slot.__exit__(None, None, None)
    assert (await client.get("/api/simulate")).status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type", "got"),
    [
        ('{"seq_len": 5}', "text/plain", "a body not sent as application/json"),
        ("seq_len=5", "application/x-www-form-urlencoded", "a body not sent as application/json"),
        ("[1, 2]", "application/json", "a JSON array"),
        ('"lstm"', "application/json", "a JSON string"),
        ("5", "application/json", "a JSON number"),
        ("null", "application/json", "null"),
        ("", "application/json", "an empty body"),
    ],
)
async def test_a_body_that_is_not_a_json_object_is_told_what_to_send(client, body, content_type, got):
    """It used to read "Input should be a valid dictionary or object to extract fields from"."""
    response = await client.post("/api/simulate", content=body, headers={"content-type": content_type})
    error = the_error(response)
    assert error["loc"] == ["body"]
    assert error["msg"] == f"body: must be a JSON object sent as application/json, got {got}"
