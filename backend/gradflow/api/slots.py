"""A cap on simulations (and, in a second instance, training runs) running at once in one worker process.

Simulations are CPU-bound and run in FastAPI's thread pool; past a few at once each one only gets slower
and memory grows. A request waits up to `timeout` seconds for a slot, then is told to come back later
(503 with Retry-After) rather than queueing without bound.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Saturated(Exception):
    """Every slot stayed busy for the whole wait."""


class SimulationSlots:
    """`with slots.hold(): ...` runs the block in one of `capacity` slots or raises `Saturated`."""

    def __init__(self, capacity: int, timeout: float, kind: str = "simulation") -> None:
        self.capacity = capacity
        self.timeout = timeout
        self.kind = kind
        self._semaphore = threading.BoundedSemaphore(capacity)

    @contextmanager
    def hold(self) -> Iterator[None]:
        self.acquire()
        try:
            yield
        finally:
            self.release()

    def acquire(self) -> None:
        """Takes a slot, waiting up to `timeout` seconds, or raises `Saturated`. For work that outlives one
        call (a streamed training run); pair with exactly one `release()`."""
        if not self._semaphore.acquire(timeout=self.timeout):
            raise Saturated(f"all {self.capacity} {self.kind} slots are busy")

    def release(self) -> None:
        self._semaphore.release()
