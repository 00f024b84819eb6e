"""Streaming over a real socket: lines arrive while training runs, and hanging up stops the work at once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest
from gradflow.api.main import create_app
from gradflow.api.routes import train as route
from gradflow.api.settings import Settings

from tests.serving import serving

LONG = {"cell": "rnn", "seq_len": 10, "hidden_size": 8, "batch_size": 4, "steps": 20_000, "report_every": 10}


@pytest.fixture
def counted_steps(monkeypatch) -> list[int]:
    """Counts training steps the server takes, by wrapping the engine's step generator."""
    count = [0]
    real = route.train_ticks

    def counting(cfg):
        for tick in real(cfg):
            count[0] += 1
            yield tick

    monkeypatch.setattr(route, "train_ticks", counting)
    return count


@pytest.fixture
def server(page_dir) -> Iterator[tuple[str, object]]:
    app = create_app(Settings(frontend_dir=page_dir, max_concurrent_trainings=1))
    with serving(app) as url:
        yield url, app


def test_lines_arrive_while_the_run_goes_on_and_a_hangup_stops_it(server, counted_steps):
    url, app = server
    started = time.monotonic()
    with httpx.Client(timeout=30) as client, client.stream("POST", f"{url}/api/train", json=LONG) as response:
        assert response.status_code == 200
        lines = response.iter_lines()
        first = json.loads(next(lines))
        first_after = time.monotonic() - started
        assert first["type"] == "progress" and first["step"] == 1
        second = json.loads(next(lines))
        assert second["step"] == 10
    # the client hung up long before 20,000 steps
    assert first_after < 1.0, f"first line after {first_after:.2f} s"
    time.sleep(0.5)
    stopped_at = counted_steps[0]
    time.sleep(1.0)
    assert counted_steps[0] == stopped_at < 2_000, "the run went on after the client hung up"
    # and its training slot is free again: a new run is served at once
    with httpx.Client(timeout=30) as client:
        again = client.post(f"{url}/api/train", json={**LONG, "steps": 3, "stream": False})
    assert again.status_code == 200, again.text
