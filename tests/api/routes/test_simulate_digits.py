"""`digits`: a rounded answer is the exact one to the stated precision, strict, smaller, cached by its own ETag."""

from __future__ import annotations

import math

import pytest
from gradflow.api.routes import simulate as route

from tests.api.conftest import strict_json

pytestmark = pytest.mark.anyio

BIG = {
    "cell": "lstm",
    "seq_len": 60,
    "hidden_size": 12,
    "batch_size": 2,
    "return_params": True,
    "clip_mode": "norm",
    "clip_scope": "bptt",
    "clip_threshold": 0.5,
}
EXTREME = {"cell": "rnn", "activation": "linear", "recurrent_scale": 100.0, "seq_len": 200, "flow_steps": 8}


def pairs(exact, rounded, path=""):
    """Every (path, exact number, rounded number) in two answers of the same shape."""
    if isinstance(exact, dict):
        assert set(exact) == set(rounded), path
        for key in exact:
            yield from pairs(exact[key], rounded[key], f"{path}.{key}")
    elif isinstance(exact, list):
        assert len(exact) == len(rounded), path
        for k, (a, b) in enumerate(zip(exact, rounded, strict=True)):
            yield from pairs(a, b, f"{path}[{k}]")
    else:
        yield path, exact, rounded


def assert_rounded(exact: dict, rounded: dict, digits: int) -> int:
    """Values within half a unit of the `digits`-th significant digit, log10 figures within half a unit of the
    `digits`-th decimal, nulls where the exact answer has them; returns how many numbers were changed."""
    changed = 0
    for path, a, b in pairs(exact, rounded):
        if path in (".elapsed_ms", ".config.digits"):
            continue
        if not isinstance(a, float) or "[" not in path:  # nulls, integers, strings and scalars stay exact
            assert a == b, (path, a, b)
            continue
        assert isinstance(b, float), (path, a, b)
        step = 0.5 * 10.0**-digits if "log10" in path else 0.5 * 10.0 ** (1 - digits) * abs(a)
        assert math.isclose(a, b, rel_tol=1e-15, abs_tol=step + 1e-300), (path, a, b, digits)
        changed += a != b
    return changed


@pytest.mark.parametrize("digits", [1, 4, 9, 16])
@pytest.mark.parametrize("fields", [BIG, EXTREME], ids=["lstm-everything", "exploding-rnn"])
async def test_the_rounded_answer_is_the_exact_one_to_the_stated_precision(client, fields, digits):
    exact = strict_json(await client.post("/api/simulate", json=fields))
    response = await client.post("/api/simulate", json={**fields, "digits": digits})
    assert response.status_code == 200, response.text
    rounded = strict_json(response)  # refuses NaN / Infinity tokens
    assert rounded["config"]["digits"] == digits and exact["config"]["digits"] is None
    assert assert_rounded(exact, rounded, digits) > 0
    assert len(response.content) < len((await client.post("/api/simulate", json=fields)).content)


async def test_seventeen_digits_is_exact_and_get_matches_post(client):
    exact = strict_json(await client.get("/api/simulate", params={"cell": "gru"}))
    same = strict_json(await client.get("/api/simulate", params={"cell": "gru", "digits": 17}))
    exact.pop("elapsed_ms"), same.pop("elapsed_ms")
    assert same.pop("config")["digits"] == 17 and exact.pop("config")["digits"] is None
    assert same == exact
    got = strict_json(await client.get("/api/simulate", params={"cell": "gru", "digits": 3}))
    posted = strict_json(await client.post("/api/simulate", json={"cell": "gru", "digits": 3}))
    got.pop("elapsed_ms"), posted.pop("elapsed_ms")
    assert got == posted


async def test_digits_has_its_own_etag_and_revalidates(client, monkeypatch):
    exact = await client.get("/api/simulate?cell=lstm")
    rounded = await client.get("/api/simulate?cell=lstm&digits=4")
    other = await client.get("/api/simulate?cell=lstm&digits=5")
    assert len({exact.headers["etag"], rounded.headers["etag"], other.headers["etag"]}) == 3
    monkeypatch.setattr(route, "simulate", lambda cfg, memo=None: pytest.fail("a 304 must not compute"))
    again = await client.get("/api/simulate?cell=lstm&digits=4", headers={"If-None-Match": rounded.headers["etag"]})
    assert again.status_code == 304 and again.headers["etag"] == rounded.headers["etag"]


@pytest.mark.parametrize("bad", [0, 18, -1, 2.5, True, "4"])
async def test_digits_out_of_range_or_not_an_integer_is_a_422_naming_it(client, bad):
    response = await client.post("/api/simulate", json={"digits": bad})
    assert response.status_code == 422, response.text
    [error] = strict_json(response)["detail"]
    assert error["loc"] == ["body", "digits"] and error["msg"].startswith("digits")


async def test_a_query_digits_out_of_range_is_a_422(client):
    response = await client.get("/api/simulate?digits=0")
    assert response.status_code == 422
    assert strict_json(response)["detail"][0]["loc"] == ["query", "digits"]
