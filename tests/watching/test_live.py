"""A real training loop with gradflow.watch: its snapshots are served by /api/runs while it is still writing."""

from __future__ import annotations

import threading

import httpx
from gradflow.api.main import create_app
from gradflow.api.settings import Settings

from tests import needs
from tests.serving import serving
from tests.watching.torch_loop import running_sum


def train(torch, logdir, steps, started: threading.Event, done: threading.Event) -> None:
    import gradflow

    rnn, train_step = running_sum(torch)
    with gradflow.watch(rnn, logdir, every=25, name="live") as w:
        for step in range(steps):
            w.log(step=step, loss=train_step())
            if step == 60:
                started.set()
    done.set()


def test_a_300_step_loop_is_served_while_it_runs(tmp_path):
    torch = needs.torch()
    started, done = threading.Event(), threading.Event()
    app = create_app(Settings(runs_dir=tmp_path))
    with serving(app) as url:
        loop = threading.Thread(target=train, args=(torch, tmp_path, 300, started, done))
        loop.start()
        assert started.wait(60)
        early = httpx.get(f"{url}/api/runs/live").json()
        loop.join(120)
        assert done.is_set()
        final = httpx.get(f"{url}/api/runs/live").json()
        listed = httpx.get(f"{url}/api/runs").json()["runs"]
    steps = [s["step"] for s in final["snapshots"]]
    dropped = final["snapshots"][-1]["dropped"]
    # every 25th step is watched; one the replay could not keep up with is dropped and counted, never queued
    assert 0 < len(early["snapshots"]) < len(steps) and len(steps) + dropped >= 12 - 1
    assert set(steps) <= set(range(0, 300, 25)) and steps == sorted(steps) and steps[-1] >= 250
    assert all(s["agreement"]["ok"] for s in final["snapshots"])
    assert len(final["scalars"]) == 300 and listed[0]["name"] == "live" and listed[0]["last_step"] == steps[-1]
