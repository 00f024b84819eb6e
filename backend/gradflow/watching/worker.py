"""The replay process: `python -m gradflow.watching.worker`, started by a Watcher.

It reads captured steps from stdin (each an 8-byte little-endian length, then a pickle of a `Capture`, written by
the watcher's own sender thread, so only our own objects cross), replays each one (replay.py) and writes the
snapshot back to stdout (length, then JSON). A separate process, so the replay's Python loop never competes with
the training loop for the GIL; one BLAS thread and the idle priority (lower_priority), so it takes only the cores the training leaves.
A zero length (or the end of stdin) ends it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import sys
import time

HEADER = struct.Struct("<Q")


def read_message(stream) -> bytes | None:
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    if size == 0:
        return None
    body = stream.read(size)
    return body if len(body) == size else None


def write_message(stream, body: bytes) -> None:
    stream.write(HEADER.pack(len(body)) + body)
    stream.flush()


def lower_priority() -> str:
    """Runs this process only on what the training leaves: Linux's SCHED_IDLE (the scheduler gives it a core only
    when nothing else wants one, so torch's threads are not pre-empted mid-operation), else the lowest nice.
    Says which it got."""
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        return "idle"
    with contextlib.suppress(OSError):
        os.nice(19)
        return "nice"
    return "normal"


def main() -> None:
    from threadpoolctl import threadpool_limits

    from gradflow.wire.encoding import dumps

    from .replay import replay

    lower_priority()
    threadpool_limits(1)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while (message := read_message(source)) is not None:
        capture = pickle.loads(message)  # noqa: S301 (written by our own watcher, through a private pipe)
        start = time.perf_counter()
        try:
            snapshot = replay(capture)
            snapshot["replay_ms"] = (time.perf_counter() - start) * 1e3
        except Exception as exc:  # reported in the run, never ends the user's training
            snapshot = {"type": "error", "step": capture.step, "detail": f"replay failed: {exc!r}"}
        write_message(sink, dumps(snapshot))


if __name__ == "__main__":
    main()
