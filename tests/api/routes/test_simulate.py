"""POST/GET /api/simulate: the API returns exactly what the core computes, strictly encoded."""

from __future__ import annotations

import json

import numpy as np
import pytest
from gradflow.core.config import SimConfig
from gradflow.core.simulate import simulate
from gradflow.models import SimulateResponse
from gradflow.wire.encoding import dumps

from tests.api.conftest import strict_json

pytestmark = pytest.mark.anyio

CONFIGS = [
    {},
    {"cell": "lstm", "seq_len": 20, "hidden_size": 8, "batch_size": 3, "return_params": True},
    {
        "cell": "gru",
        "seq_len": 15,
        "hidden_size": 6,
        "loss": "all",
        "clip_mode": "norm",
        "clip_scope": "bptt",
        "clip_threshold": 0.5,
    },
    {
        "cell": "rnn",
        "activation": "relu",
        "init": "gaussian",
        "recurrent_scale": 3.0,
        "clip_mode": "value",
        "input_kind": "sine",
        "flow_steps": 0,
    },
]


def core_json(**fields) -> dict:
    """What the core computes for these fields, through the same encoder, minus the timing."""
    body = json.loads(dumps(simulate(SimConfig(**fields))))
    body.pop("elapsed_ms")
    body["config"]["digits"] = None  # the API echoes how it wrote the answer; the core never sees it
    body["config"]["arrays"] = "json"
    return body


def without_timing(body: dict) -> dict:
    assert isinstance(body.pop("elapsed_ms"), float)
    return body


def query(fields: dict) -> dict:
    return {k: str(v).lower() if isinstance(v, bool) else v for k, v in fields.items()}


@pytest.mark.parametrize("fields", CONFIGS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "defaults")
async def test_get_and_post_return_what_the_core_computes(client, fields):
    posted = await client.post("/api/simulate", json=fields)
    got = await client.get("/api/simulate", params=query(fields))
    assert posted.status_code == got.status_code == 200, (posted.text, got.text)
    expected = core_json(**fields)
    assert without_timing(strict_json(posted)) == expected
    assert without_timing(strict_json(got)) == expected


@pytest.mark.parametrize("fields", CONFIGS, ids=range(len(CONFIGS)))
async def test_response_conforms_to_its_schema(client, fields):
    body = strict_json(await client.post("/api/simulate", json=fields))
    SimulateResponse.model_validate(body)
    assert body["config"] == {**SimConfig(**fields).to_dict(), "digits": None, "arrays": "json"}


async def test_explicit_inputs_are_used(client):
    inputs = np.random.default_rng(5).standard_normal((7, 3)).round(6).tolist()
    fields = {"seq_len": 7, "input_size": 3, "inputs": inputs, "return_params": True}
    response = await client.post("/api/simulate", json=fields)
    assert response.status_code == 200, response.text
    body = without_timing(strict_json(response))
    assert body["inputs"] == inputs
    assert body == core_json(**{**fields, "inputs": tuple(map(tuple, inputs))})


@pytest.mark.parametrize(
    "spelling", ["fields=loss&fields=grad_h_norm", "fields=loss,grad_h_norm", "fields=loss, grad_h_norm"]
)
async def test_fields_select_the_arrays_returned(client, spelling):
    body = strict_json(await client.get(f"/api/simulate?cell=lstm&{spelling}"))
    assert set(body) == {"loss", "grad_h_norm", "config", "warnings", "elapsed_ms"}
    assert body["config"]["fields"] == ["loss", "grad_h_norm"]
    expected = core_json(cell="lstm", fields=("loss", "grad_h_norm"))
    assert without_timing(body) == expected


async def test_post_fields_list_matches_get(client):
    posted = strict_json(await client.post("/api/simulate", json={"fields": ["flow", "spectrum"]}))
    got = strict_json(await client.get("/api/simulate", params={"fields": "flow,spectrum"}))
    assert without_timing(posted) == without_timing(got)


async def test_an_unknown_response_field_is_refused_by_name(client):
    response = await client.get("/api/simulate?fields=loss,grad_hh")
    assert response.status_code == 422
    [error] = strict_json(response)["detail"]
    assert error["loc"] == ["query", "fields", 1]
    assert "grad_hh" in error["msg"] and "grad_h" in error["msg"]


async def test_the_largest_admitted_size_runs(client):
    fields = {"seq_len": 1000, "hidden_size": 256, "input_size": 16, "flow_steps": 128, "fields": ["loss"]}
    response = await client.post("/api/simulate", json=fields)
    assert response.status_code == 200, response.text
    assert without_timing(strict_json(response)) == core_json(**{**fields, "fields": ("loss",)})


async def test_post_answers_carry_timing_but_no_etag(client):
    response = await client.post("/api/simulate", json={})
    assert "etag" not in response.headers
    assert response.headers["server-timing"].startswith("simulate;dur=")


def test_random_valid_requests_never_produce_a_non_finite_token(app):
    """A sweep over the schema's range, with extreme recurrent_scale: every answer is strict JSON, fits the
    response schema, and a null norm always comes with a warning."""
    import anyio
    import httpx

    rng = np.random.default_rng(2024)
    choices = {
        "cell": ["rnn", "lstm", "gru"],
        "activation": ["tanh", "relu", "linear"],
        "init": ["orthogonal", "gaussian"],
        "input_kind": ["gaussian", "zeros", "sine"],
        "loss": ["last", "all"],
        "clip_mode": ["none", "norm", "value"],
        "clip_scope": ["parameters", "bptt"],
    }

    def random_request() -> dict:
        fields = {k: str(rng.choice(v)) for k, v in choices.items()}
        fields.update(
            seq_len=int(rng.integers(1, 400)),
            hidden_size=int(rng.integers(1, 40)),
            input_size=int(rng.integers(1, 17)),
            batch_size=int(rng.integers(1, 4)),
            recurrent_scale=float(rng.choice([1e-12, 1e-3, 0.5, 1.0, 1.5, 10.0, 100.0])),
            forget_bias=float(rng.uniform(-20, 20)),
            seed=int(rng.integers(0, 2**32)),
            clip_threshold=float(10.0 ** rng.uniform(-6, 6)),
            flow_steps=int(rng.integers(0, 129)),
            return_params=bool(rng.random() < 0.2),
        )
        if rng.random() < 0.5:
            fields["digits"] = int(rng.integers(1, 18))
        return fields

    async def sweep() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            for _ in range(60):
                fields = random_request()
                response = await client.post("/api/simulate", json=fields)
                assert response.status_code == 200, (fields, response.text)
                body = strict_json(response)
                SimulateResponse.model_validate(body)
                if None in body["grad_h_norm"]:
                    assert body["warnings"], fields

    anyio.run(sweep)


async def test_the_page_s_requests_share_one_run_and_each_answer_is_exact(client):
    """The page asks for the views in sight (float32 typed arrays), then the rest, of the same settings: the
    process's memo computes the passes once, and an exact answer after them is still the core's own."""
    from gradflow.api.routes.simulate import MEMO

    settings = {"cell": "lstm", "seq_len": 40, "hidden_size": 16, "seed": 1234, "clip_mode": "norm"}
    hits = MEMO.hits
    near = {**settings, "fields": "grad_h_log10_abs,grad_c_log10_abs,clipping,theory", "arrays": "binary-f4"}
    rest = {**settings, "fields": "gates,spectrum", "flow_steps": 0, "digits": 6}
    for params in (near, rest):
        assert (await client.get("/api/simulate", params=params)).status_code == 200
    exact = strict_json(await client.get("/api/simulate", params=settings))
    assert MEMO.hits == hits + 2
    assert without_timing(exact) == core_json(**settings)
