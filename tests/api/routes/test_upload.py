"""POST /api/simulate/upload: your own weights as a file give the seeded network's exact answer; a malformed
file is a 422 in words, never a 5xx, and nothing is unpickled."""

from __future__ import annotations

import io
import json

import httpx
import numpy as np
import pytest
from gradflow.api.main import create_app
from gradflow.api.settings import Settings
from safetensors.numpy import save

from tests.api.conftest import strict_json

pytestmark = pytest.mark.anyio

CONFIG = {"cell": "lstm", "seq_len": 20, "hidden_size": 6, "input_size": 3, "num_layers": 2, "seed": 5}


def npz(arrays: dict) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


async def seeded(client) -> dict:
    return strict_json(await client.post("/api/simulate", json={**CONFIG, "return_params": True}))


async def upload(client, data: bytes, filename: str, config: dict = CONFIG, **files) -> httpx.Response:
    parts = {"weights": (filename, data), **{k: (name, blob) for k, (name, blob) in files.items()}}
    return await client.post("/api/simulate/upload", files=parts, data={"config": json.dumps(config)})


def same_answer(a: dict, b: dict) -> None:
    for key in ("loss", "grad_h", "grad_h_log10_norm", "depth_flow", "param_grad_norms", "memory_horizon"):
        if key in a or key in b:  # depth_flow only for a stack
            assert a[key] == b[key], key


@pytest.mark.parametrize("form", ["npz", "safetensors", "json"])
async def test_uploaded_weights_give_the_seeded_answer(client, form):
    ref = await seeded(client)
    arrays = {k: np.array(v) for k, v in ref["params"].items()}
    data = {
        "npz": npz,
        "safetensors": save,
        "json": lambda a: json.dumps({k: v.tolist() for k, v in a.items()}).encode(),
    }[form](arrays)
    response = await upload(client, data, f"my-lstm.{form}")
    assert response.status_code == 200, response.text
    body = strict_json(response)
    same_answer(body, ref)
    assert body["weights"]["source"] == "explicit" and body["weights"]["recognised"]["weight_hh_l1"] == "weight_hh_l1"


async def test_inputs_can_be_uploaded_too(client):
    ref = await seeded(client)
    x = np.random.default_rng(0).standard_normal((20, 3))
    with_inputs = await upload(
        client,
        npz({k: np.array(v) for k, v in ref["params"].items()}),
        "w.npz",
        inputs=("x.csv", "\n".join(",".join(repr(float(v)) for v in row) for row in x).encode()),
    )
    assert with_inputs.status_code == 200, with_inputs.text
    direct = strict_json(
        await client.post("/api/simulate", json={**CONFIG, "inputs": x.tolist(), "return_params": True})
    )
    assert strict_json(with_inputs)["hidden"] == direct["hidden"]


def _object_npz() -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, weight_ih_l0=np.array([{"evil": 1}], dtype=object))  # pickled inside the archive
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (
            lambda ref: npz({**ref, "weight_ih_l0": np.zeros((24, 4))}),
            "w.npz",
            "input_size = 3 disagrees with the weights file, whose arrays are those of a lstm with hidden_size 6, "
            "input_size 4",
        ),
        (lambda ref: npz({k: v for k, v in ref.items() if k != "weight_hh_l1"}), "w.npz", "weight_hh_l1 is missing"),
        (
            lambda ref: npz({**ref, "bias_ih_l0": np.full(24, np.nan)}),
            "w.npz",
            "bias_ih_l0: 24 of its numbers are not finite",
        ),
        (lambda ref: _object_npz(), "w.npz", "pickled object array, which is never loaded"),
        (lambda ref: save(ref)[:-40], "w.safetensors", "not a readable .safetensors file"),
        (lambda ref: b"PK\x03\x04 not really", "w.npz", "not a readable .npz"),
        (lambda ref: npz(ref), "w.pt", "a zip archive without data.pkl, so not a torch.save file"),
        (lambda ref: npz(ref), "w.txt", "weights must be a .npz, .safetensors, .json, .pt, .pth, .keras or .h5 file"),
    ],
)
async def test_malformed_uploads_are_refused_in_words(client, data, filename, words):
    ref = {k: np.array(v) for k, v in (await seeded(client))["params"].items()}
    response = await upload(client, data(ref), filename)
    assert response.status_code == 422, response.text
    [error] = strict_json(response)["detail"]
    assert words in error["msg"], error


async def test_an_oversized_upload_is_413_naming_the_setting(page_dir):
    app = create_app(Settings(frontend_dir=page_dir, max_upload_bytes=4096))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await upload(client, b"\0" * 10_000, "w.npz")
    assert response.status_code == 413 and "GRADFLOW_MAX_UPLOAD_BYTES" in strict_json(response)["detail"]


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ("[1]", "config: must be a JSON object"),
        ("{", "config: not valid JSON"),
        ('{"params": {}}', "not as params"),
        ('{"hidden_size": 999}', "hidden_size = 999"),
    ],
)
async def test_a_bad_config_part_is_refused(client, config, words):
    response = await client.post(
        "/api/simulate/upload", files={"weights": ("w.npz", npz({"a": np.zeros(2)}))}, data={"config": config}
    )
    assert response.status_code == 422 and words in response.text


async def test_a_file_that_is_no_archive_is_not_called_a_pickle(client):
    response = await upload(client, b"garbage", "w.npz")
    assert response.status_code == 422 and "not a .npz archive" in response.text and "pickle" not in response.text


@pytest.mark.parametrize("num_layers", [1, 3])
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
async def test_a_torch_written_pt_gives_the_answer_of_the_same_weights_as_json(client, cell, num_layers):
    """A .pt from torch (a state_dict, and a checkpoint dict with a module prefix), with no shape in the config,
    answers what the same arrays sent as JSON params with the shape fields answer."""
    from tests import needs

    torch = needs.torch()
    torch.manual_seed(num_layers)
    kind = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
    module = kind(3, 5, num_layers=num_layers)
    state = module.state_dict()
    shape = {"cell": cell, "hidden_size": 5, "input_size": 3, "num_layers": num_layers}
    body = {**shape, "seq_len": 20, "params": {k: v.double().tolist() for k, v in state.items()}}
    as_json = (await client.post("/api/simulate", json=body)).json()
    for saved in (state, {"model": {f"encoder.rnn.{k}": v for k, v in state.items()}, "epoch": 3}):
        buffer = io.BytesIO()
        torch.save(saved, buffer)
        answer = await upload(client, buffer.getvalue(), "model.pt", {"seq_len": 20})
        assert answer.status_code == 200, answer.text
        got = answer.json()
        same_answer(got, as_json)
        assert got["weights"]["inferred"] == shape
        assert {k: got["config"][k] for k in shape} == shape


@pytest.mark.parametrize(
    ("array", "words"),
    [(np.array([["a", "b", "c"]] * 20), "holds text, not numbers"), (np.ones((20, 3)) * 1j, "holds complex numbers")],
    ids=["text", "complex"],
)
async def test_inputs_that_are_not_real_numbers_are_a_422_in_words(client, array, words):
    """Text in an .npy used to reach the float conversion unchecked and answer 500; complex numbers lost their
    imaginary part without a word."""
    ref = await seeded(client)
    buffer = io.BytesIO()
    np.save(buffer, array)
    response = await upload(
        client, npz({k: np.array(v) for k, v in ref["params"].items()}), "w.npz", inputs=("x.npy", buffer.getvalue())
    )
    assert response.status_code == 422, response.text
    [error] = strict_json(response)["detail"]
    assert error["loc"] == ["body", "inputs"] and words in error["msg"] and "x.npy" in error["msg"]
