"""GET /api/networks/{file}: the example networks /api/meta lists, served as files the upload takes as they are."""

from __future__ import annotations

import pytest
from gradflow.networks import catalogue

pytestmark = pytest.mark.anyio


async def test_every_listed_example_is_served_and_opens_with_its_own_shape(client):
    examples = (await client.get("/api/meta")).json()["examples"]
    assert [e["name"] for e in examples] == [e["name"] for e in catalogue()]
    for example in examples:
        answer = await client.get(f"/{example['url']}")
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/octet-stream"
        opened = await client.post(
            "/api/simulate/upload",
            files={"weights": (example["url"].rsplit("/", 1)[-1], answer.content)},
            data={"config": f'{{"seq_len": {example["seq_len"]}}}'},
        )
        assert opened.status_code == 200, opened.text
        config = opened.json()["config"]
        assert (config["cell"], config["hidden_size"], config["input_size"]) == (
            example["cell"],
            example["hidden_size"],
            example["input_size"],
        )


async def test_an_unknown_example_is_404(client):
    assert (await client.get("/api/networks/nope.safetensors")).status_code == 404
    assert (await client.get("/api/networks/..%2Fnetworks.json")).status_code == 404
