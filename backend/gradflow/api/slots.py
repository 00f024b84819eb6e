"""A cap on simulations running at once in one worker process.

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

    def __init__(self, capacity: int, timeout: float) -> None:
        self.capacity = capacity
        self.timeout = timeout
        self._semaphore = threading.BoundedSemaphore(capacity)

    @contextmanager
    def hold(self) -> Iterator[None]:
        if not self._semaphore.acquire(timeout=self.timeout):
            raise Saturated(f"all {self.capacity} simulation slots are busy")
        try:
            yield
        finally:
            self._semaphore.release()
