"""The app in a process of its own, as `make run` starts it (uvicorn workers, BLAS on one thread), on a free
loopback port: what bench_api, bench_load and bench_page measure against."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # never anything else: the load stays on this machine
THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_app(port: int, workers: int, root: Path = ROOT) -> subprocess.Popen:
    """`python -m gradflow.api` on `port` with `workers` workers, once it answers /api/health (30 s at most).
    `root`: the checkout whose backend and page it serves (another commit's worktree, for an A/B)."""
    env = {**os.environ, **THREAD_ENV}
    if root != ROOT:
        env.update(PYTHONPATH=str(root / "backend"), GRADFLOW_FRONTEND_DIR=str(root / "frontend"))
    env.pop("PORT", None)
    env.pop("WORKERS", None)
    command = [sys.executable, "-m", "gradflow.api", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=root, env=env, start_new_session=True)  # see stop_app
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{port}/api/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    stop_app(server)
    raise RuntimeError("the app did not start within 30 s")


def stop_app(server: subprocess.Popen) -> None:
    """SIGTERM (uvicorn drains), then whatever is left of its process group goes, workers included."""
    server.terminate()
    try:
        server.wait(60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
