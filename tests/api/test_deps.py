"""Routes get the settings and the simulation slots through Depends, so a test can swap either."""

from __future__ import annotations

import pytest
from gradflow.api.deps import get_settings, get_simulation_slots
from gradflow.api.slots import SimulationSlots
from starlette.requests import Request

pytestmark = pytest.mark.anyio


def request_to(app) -> Request:
    return Request({"type": "http", "app": app, "method": "GET", "path": "/", "headers": [], "query_string": b""})


async def test_the_dependencies_read_what_create_app_set(app, settings):
    assert await get_settings(request_to(app)) is settings
    assert await get_simulation_slots(request_to(app)) is app.state.simulation_slots


async def test_overriding_the_settings_reaches_the_simulate_route(app, client, settings):
    app.dependency_overrides[get_settings] = lambda: settings.model_copy(update={"compute_budget": 1e3})
    response = await client.get("/api/simulate")
    assert response.status_code == 422 and response.json()["detail"][0]["type"] == "compute_budget"


async def test_overriding_the_slots_reaches_the_simulate_route(app, client):
    busy = SimulationSlots(1, timeout=0)
    app.dependency_overrides[get_simulation_slots] = lambda: busy
    with busy.hold():
        assert (await client.post("/api/simulate", json={"flow_steps": 0})).status_code == 503
