"""The replay process's protocol: length-prefixed pickles in, length-prefixed JSON snapshots out, a zero length
ends it; a capture that fails to replay comes back as an error line, and the process goes on."""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

from gradflow.watching.replay import replay
from gradflow.watching.worker import read_message, write_message

from .runs_support import capture

BACKEND = str(Path(__file__).resolve().parents[2] / "backend")


def test_messages_round_trip_and_a_zero_length_ends():
    buf = io.BytesIO()
    write_message(buf, b"abc")
    write_message(buf, b"")
    buf.seek(0)
    assert read_message(buf) == b"abc" and read_message(buf) is None
    assert read_message(io.BytesIO(b"\x05\x00")) is None  # a cut header: the end


def test_the_worker_replays_what_it_is_sent_and_reports_a_failure_as_a_line():
    env = {**os.environ, "PYTHONPATH": BACKEND}
    process = subprocess.Popen(
        [sys.executable, "-m", "gradflow.watching.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    )
    good, bad = capture(0), capture(1)
    bad.x = bad.x[:, :, :1]  # inputs the first layer's weights do not fit: the replay fails
    for c in (good, bad, good):
        write_message(process.stdin, pickle.dumps(c))
    write_message(process.stdin, b"")
    process.stdin.close()
    answers = [json.loads(read_message(process.stdout)) for _ in range(3)]
    assert process.wait(timeout=60) == 0 and read_message(process.stdout) is None
    process.stdout.close()
    expected = replay(capture(0))
    assert answers[0]["grad_h_log10_norm"] == list(expected["grad_h_log10_norm"]) and answers[0]["replay_ms"] > 0
    assert answers[1]["type"] == "error" and "replay failed" in answers[1]["detail"]
    assert answers[2]["type"] == "snapshot"


def test_the_worker_runs_at_the_idle_priority_so_the_training_keeps_its_cores():
    """On Linux the replay process is SCHED_IDLE: it gets a core only when the training leaves one, so torch's
    threads are not pre-empted mid-operation (with nice 10 a 2-core loop lost 17 %; docs/benchmarks.md)."""
    import pytest

    if not hasattr(os, "SCHED_IDLE"):
        pytest.skip("no SCHED_IDLE on this platform: the worker takes the lowest nice instead")
    env = {**os.environ, "PYTHONPATH": BACKEND}
    process = subprocess.Popen(
        [sys.executable, "-m", "gradflow.watching.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    )
    write_message(process.stdin, pickle.dumps(capture(0)))  # once it answers, it has set its priority
    answer = json.loads(read_message(process.stdout))
    policy = os.sched_getscheduler(process.pid)
    write_message(process.stdin, b"")
    process.stdin.close()
    assert process.wait(timeout=60) == 0
    process.stdout.close()
    assert answer["type"] == "snapshot" and policy == os.SCHED_IDLE
