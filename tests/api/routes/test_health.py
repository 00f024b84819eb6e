"""GET /api/health (api/routes/health.py): the version, at once, even when every worker thread is busy."""

from __future__ import annotations

import anyio
import anyio.to_thread
import gradflow
import pytest
from gradflow.api.routes.health import Health

pytestmark = pytest.mark.anyio


async def test_health(client):
    response = await client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": gradflow.__version__}


async def test_health_answers_while_every_worker_thread_is_taken(client):
    """Simulations run in the thread pool; the health check must not queue behind them."""
    limiter = anyio.to_thread.current_default_thread_limiter()
    holders = [object() for _ in range(int(limiter.total_tokens))]
    for holder in holders:
        await limiter.acquire_on_behalf_of(holder)
    try:
        with anyio.fail_after(5):
            response = await client.get("/api/health")
    finally:
        for holder in holders:
            limiter.release_on_behalf_of(holder)
    assert response.status_code == 200


async def test_health_is_in_the_schema_with_its_model(client):
    schema = (await client.get("/openapi.json")).json()
    get = schema["paths"]["/api/health"]["get"]
    assert get["tags"] == ["health"]
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Health"}
    assert schema["components"]["schemas"]["Health"]["properties"]["status"]["const"] == "ok"
    with pytest.raises(ValueError, match="status"):
        Health(status="degraded", version="1")
