"""Where a sweep's points run: inline in the caller's process, a local process pool, or a Dask cluster.

Each executor maps the pure `metrics_of` over the jobs and yields results as they finish (in any order);
`close()` cancels whatever has not run yet, so a client that hangs up stops the work. BLAS is pinned to one
thread wherever a point runs: the matrices are small, and more threads only fight over the cores.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Iterator
from typing import Any

from .points import Job, metrics_of


POOL_FROM = 1.5e10
"""Multiply-adds (about five seconds of work on one core) from which a sweep goes to a local pool: below, the
pool's start-up (each worker imports NumPy and the core, a second or more) would cost more than it saves."""


def _pin_blas() -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)


class Inline:
    """The caller's own process, one point after another."""

    name = "inline"

    def run(self, jobs: list[Job]) -> Iterator[dict[str, Any]]:
        for job in jobs:
            yield metrics_of(job)

    def close(self) -> None:
        pass


class LocalPool:
    """A pool of worker processes (spawned, so safe from a threaded server) sized to the cores by default."""

    name = "local-pool"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._pool = cf.ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_pin_blas)
        self._futures: list[cf.Future] = []

    def run(self, jobs: list[Job]) -> Iterator[dict[str, Any]]:
        self._futures = [self._pool.submit(metrics_of, job) for job in jobs]
        for future in cf.as_completed(self._futures):
            yield future.result()

    def close(self) -> None:
        """Cancels the points not started and lets the worker processes go."""
        self._pool.shutdown(wait=False, cancel_futures=True)


class DaskCluster:
    """A Dask cluster at `address` (`dask scheduler` + `dask worker`), through distributed.Client."""

    def __init__(self, address: str) -> None:
        from distributed import Client

        self.address = address
        self.name = f"dask ({address})"
        self._client = Client(address, set_as_default=False, timeout=10)
        self._client.run(_pin_blas)
        self._futures: list = []

    def run(self, jobs: list[Job]) -> Iterator[dict[str, Any]]:
        from distributed import as_completed

        self._futures = self._client.map(metrics_of, jobs, pure=False)
        for future in as_completed(self._futures, loop=self._client.loop):  # this client's, not a global one
            yield future.result()

    def close(self) -> None:
        if self._futures:
            self._client.cancel(self._futures)
        self._client.close()


def make_executor(scheduler: str | None, pool_workers: int, cost: float):
    """Dask when a scheduler address is given; else a local pool of `pool_workers` processes (0 = one per
    core), or inline when that pool would be one process or the sweep costs less than `POOL_FROM`."""
    if scheduler:
        return DaskCluster(scheduler)
    workers = pool_workers or os.cpu_count() or 1
    if workers <= 1 or cost < POOL_FROM:
        return Inline()
    return LocalPool(workers)
