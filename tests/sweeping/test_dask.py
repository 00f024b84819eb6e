"""A sweep through a real Dask cluster (a `dask scheduler` and a `dask worker` started here, on loopback)
equals the embedded sweep point for point, and the summary names the Dask executor."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import gradflow
import httpx
import pytest
from gradflow.api.main import create_app
from gradflow.api.settings import Settings

DASK = Path(sys.executable).parent / "dask"
SWEEP = {
    "base": {"cell": "lstm", "seq_len": 40, "hidden_size": 8},
    "x": {"field": "recurrent_scale", "start": 0.5, "stop": 2.0, "num": 4, "log": True},
    "y": {"field": "forget_bias", "values": [0.0, 2.0]},
    "seeds": 2,
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[str]:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    with _local_cluster(env, tmp_path_factory.mktemp("dask"), 2, "--nworkers", "2") as address:
        yield address


@contextlib.contextmanager
def _local_cluster(env: dict, logs: Path, workers: int, *worker_args: str) -> Iterator[str]:
    """A Dask scheduler on a free loopback port and one worker process (`worker_args` added), in `env`, logging
    into `logs`; its address once `workers` workers are up, and every process stopped after."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = []
    try:
        scheduler = [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]
        procs.append(_start(scheduler, env, logs / "scheduler.log"))
        worker = [DASK, "worker", address, *worker_args, "--nthreads", "1", "--no-dashboard"]
        procs.append(_start(worker, env, logs / "worker.log"))
        _wait_for_workers(address, workers, procs)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _start(args, env, log: Path) -> subprocess.Popen:
    """A background process whose output goes to `log` (the child keeps its own copy of the handle)."""
    with log.open("w") as out:
        return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)


def _wait_for_workers(address: str, n: int, procs) -> None:
    from distributed import Client

    deadline = time.monotonic() + 60
    while True:
        assert all(p.poll() is None for p in procs) and time.monotonic() < deadline, "the Dask cluster did not start"
        try:
            with Client(address, timeout=5, set_as_default=False) as client:
                client.wait_for_workers(n, timeout=30)
                return
        except OSError:
            time.sleep(0.3)


def test_the_library_on_dask_equals_the_embedded_sweep(cluster):
    embedded = gradflow.sweep(**SWEEP)
    remote = gradflow.sweep(scheduler=cluster, **SWEEP)
    assert remote.executor == f"dask ({cluster})" and embedded.executor == "inline"
    assert remote.points == embedded.points


@pytest.mark.anyio
async def test_the_api_sends_points_to_the_cluster_named_by_its_setting(cluster, tmp_path):
    app = create_app(Settings(frontend_dir=tmp_path, dask_scheduler=cluster))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t", timeout=60) as client:
        body = (await client.post("/api/sweep", json={**SWEEP, "stream": False})).json()
    assert body["executor"] == f"dask ({cluster})" and body["points"] == 16
    assert body["grid"]["log10_grad_first"] == gradflow.sweep(**SWEEP).to_dict()["grid"]["log10_grad_first"]


@pytest.fixture(scope="module")
def broken_cluster(tmp_path_factory) -> Iterator[str]:
    """A scheduler and a worker from another environment, one that cannot import gradflow (a stand-in package
    of that name shadows ours on the worker's path and fails to import)."""
    shadow = tmp_path_factory.mktemp("shadow")
    (shadow / "gradflow").mkdir()
    (shadow / "gradflow" / "__init__.py").write_text("raise ImportError('no gradflow in this environment')\n")
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": str(shadow)}
    with _local_cluster(env, tmp_path_factory.mktemp("dask-broken"), 1) as address:
        yield address


@pytest.mark.anyio
async def test_a_worker_that_cannot_run_gradflow_is_a_502_naming_what_to_install(broken_cluster, tmp_path):
    app = create_app(Settings(frontend_dir=tmp_path, dask_scheduler=broken_cluster))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t", timeout=60) as client:
        whole = await client.post("/api/sweep", json={**SWEEP, "stream": False})
        streamed = await client.post("/api/sweep", json=SWEEP)
    assert whole.status_code == 502, whole.text
    detail = whole.json()["detail"]
    assert "gradflow" in detail and "pip install 'gradflow[dask]==" in detail and "numpy==" in detail
    last = streamed.text.strip().splitlines()[-1]
    assert streamed.status_code == 200 and '"type":"error"' in last and "pip install" in last


def test_the_library_and_the_command_line_say_it_in_one_line(broken_cluster):
    from gradflow.sweeping.executors import ClusterMismatch

    with pytest.raises(ClusterMismatch, match="cannot run this server's sweep points"):
        gradflow.sweep(scheduler=broken_cluster, **SWEEP)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "gradflow",
            "sweep",
            "--cell",
            "lstm",
            "--x",
            "recurrent_scale=0.5,1",
            "--scheduler",
            broken_cluster,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert out.stderr.startswith("gradflow sweep: error: the Dask workers cannot run")
