"""Graceful shutdown of the real server (`python -m gradflow.api`): SIGTERM lets a request in flight finish.

What uvicorn does by default, pinned here because `docker stop`, compose and Ctrl+C on `make run` rely on
it: on SIGTERM it stops taking connections, waits for the requests in flight, then exits.

The request in flight is a heavy lstm simulation whose last body byte is held back until the server is
shutting down, so the whole computation runs during the drain whatever the machine's speed.

- One worker: the listening socket closes at once, so a new connection is refused while draining.
- Several workers (`make run` and the image use 2): the parent process forwards SIGTERM within half a
  second and keeps the shared listening socket open until every worker has drained, so the kernel still
  completes new connections; nobody serves them, and they are reset when the parent exits. Pinned here is
  that such a request gets no answer (a client or load balancer can retry it elsewhere), and that the port
  refuses once the server is gone.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# About 1.5 s of work here (a 128-row flow matrix too, and a 53 MB answer).
SLOW = {"cell": "lstm", "seq_len": 1000, "hidden_size": 256, "input_size": 16, "flow_steps": 128}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _connects(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return False
    return True


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/api/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _worker_pids(parent: int) -> list[int]:
    """uvicorn's worker processes (multiprocessing spawns them; its resource tracker is a child too)."""
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    workers = []
    for pid in children:
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                workers.append(int(pid))
        except FileNotFoundError:
            pass
    return workers


def _eventually(condition: Callable[[], bool], what: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.05)


@pytest.fixture(params=[1, 2], ids=["1-worker", "2-workers"])
def server(request) -> Iterator[tuple[subprocess.Popen, int, int]]:
    """`python -m gradflow.api` with 1 or 2 workers on a free loopback port, healthy; whatever is left of it
    is killed afterwards."""
    port, workers = _free_port(), request.param
    env = {k: v for k, v in os.environ.items() if k not in ("PORT", "WORKERS")}
    command = [
        sys.executable,
        "-m",
        "gradflow.api",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    # Its own process group, so that a failed test can end the workers too, not only their parent.
    process = subprocess.Popen(command, cwd=REPO, env=env, start_new_session=True)
    try:
        _eventually(lambda: process.poll() is not None or _healthy(port), "the server answering /api/health", 30)
        assert process.poll() is None, f"the server exited with {process.returncode}"
        yield process, port, workers
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


class HeldRequest:
    """POST SLOW with its last body byte held back: in flight for as long as the test wants."""

    def __init__(self, port: int) -> None:
        body = json.dumps(SLOW).encode()
        head = (
            f"POST /api/simulate HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.sock.sendall(head + body[:-1])
        self._rest = body[-1:]

    def finish(self) -> tuple[int, bytes, str | None]:
        """Sends the last byte; the status, body and Content-Length of the answer."""
        try:
            self.sock.sendall(self._rest)
            response = http.client.HTTPResponse(self.sock)
            response.begin()
            return response.status, response.read(), response.getheader("Content-Length")
        finally:
            self.sock.close()


def test_sigterm_drains_the_request_in_flight_and_serves_no_new_one(server):
    process, port, workers = server
    held = HeldRequest(port)
    time.sleep(0.3)  # the worker has accepted the connection and is waiting for the rest of the body
    process.send_signal(signal.SIGTERM)

    late = None
    if workers == 1:
        _eventually(lambda: not _connects(port), "the listening socket closing")
    else:
        # The idle worker goes at once; the one holding the request drains it.
        _eventually(lambda: len(_worker_pids(process.pid)) < workers, "the idle worker stopping")
        late = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        late.request("GET", "/api/health")
    assert process.poll() is None, "the server exited with a request in flight"

    status, body, length = held.finish()
    assert status == 200, body[:300]
    assert len(body) == int(length)
    assert json.loads(body)["config"]["hidden_size"] == 256

    if late is not None:
        try:
            with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
                late.getresponse()
        finally:
            late.close()
    # uvicorn re-raises the SIGTERM it handled once it is done, so one worker ends "killed by SIGTERM".
    assert process.wait(30) in (0, -signal.SIGTERM)
    assert not _connects(port)
