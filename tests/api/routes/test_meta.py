"""GET /api/meta: the facts the page reads instead of copying, equal to what the Python side uses."""

from __future__ import annotations

import math

import pytest
from gradflow.core.config import GATES, MEMORY_GATE
from gradflow.sweeping.points import METRICS
from gradflow.theme import theme
from gradflow.training.tasks import SOLVED_FRACTION, TASKS

pytestmark = pytest.mark.anyio


async def test_meta_states_the_cells_tasks_metrics_and_theme(client):
    answer = await client.get("/api/meta")
    assert answer.status_code == 200
    meta = answer.json()
    assert meta["cells"]["rnn"] == {"gates": [], "memory_gate": None, "memory_gate_mean": None}
    for cell, (gate, mean) in MEMORY_GATE.items():
        assert meta["cells"][cell] == {"gates": list(GATES[cell]), "memory_gate": gate, "memory_gate_mean": mean}
    assert meta["tasks"]["adding"]["baseline"] == pytest.approx(1 / 6, rel=1e-15)
    assert meta["tasks"]["recall"]["baseline"] == pytest.approx(math.log(8), rel=1e-15)
    for name, task in TASKS.items():
        assert meta["tasks"][name]["input_size"] == task.input_size
        assert meta["tasks"][name]["solved_below"] == pytest.approx(SOLVED_FRACTION * task.baseline)
    assert [m["name"] for m in meta["sweep_metrics"]] == list(METRICS)
    gated = {m["name"]: m["cell"] for m in meta["sweep_metrics"] if m["cell"]}
    assert gated == {"forget_gate_mean": "lstm", "update_gate_mean": "gru"}
    assert meta["theme"] == theme()


async def test_meta_revalidates_by_version(client):
    first = await client.get("/api/meta")
    again = await client.get("/api/meta", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


async def test_meta_is_in_the_schema(client):
    schema = (await client.get("/openapi.json")).json()
    assert "/api/meta" in schema["paths"]
    assert {"cells", "tasks", "sweep_metrics", "theme"} <= set(schema["components"]["schemas"]["Meta"]["properties"])
