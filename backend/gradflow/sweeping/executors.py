"""Where a sweep's points run: inline in the caller's process, a local process pool, or a Dask cluster.

Each executor maps the pure `metrics_of` over the jobs (in batches of about TASK_WORK, where they leave this
process) and yields results as they finish (in any order);
`close()` cancels whatever has not run yet, so a client that hangs up stops the work. BLAS is pinned to one
thread wherever a point runs: the matrices are small, and more threads only fight over the cores.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Iterator
from typing import Any

from gradflow.core.cost import simulation_cost

from .points import Job, metrics_of

TASK_WORK = 2e8
"""Multiply-adds (about a tenth of a second on one core) per task sent to another process: a task costs a
pool a millisecond and Dask 2-8 ms of its own, several cheap points' worth, so cheap points travel in batches."""

POOL_FROM = 1.5e10
"""Multiply-adds (about five seconds of work on one core) from which a sweep goes to a local pool: below, the
pool's start-up (each worker imports NumPy and the core, a second or more) would cost more than it saves."""


def batches(jobs: list[Job], work: float = TASK_WORK) -> list[list[Job]]:
    """Consecutive jobs grouped so each batch holds about `work` multiply-adds (at least one job)."""
    out: list[list[Job]] = []
    total = work
    for job in jobs:
        cost = simulation_cost(job.cfg)
        if total + cost > work and (not out or out[-1]):
            out.append([])
            total = 0.0
        out[-1].append(job)
        total += cost
    return out


def metrics_of_batch(jobs: list[Job]) -> list[dict[str, Any]]:
    return [metrics_of(job) for job in jobs]


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
        self._pool = cf.ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=_pin_blas
        )
        self._futures: list[cf.Future] = []

    def run(self, jobs: list[Job]) -> Iterator[dict[str, Any]]:
        self._futures = [self._pool.submit(metrics_of_batch, batch) for batch in batches(jobs)]
        for future in cf.as_completed(self._futures):
            yield from future.result()

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

        self._futures = self._client.map(metrics_of_batch, batches(jobs), pure=False)
        for future in as_completed(self._futures, loop=self._client.loop):  # this client's, not a global one
            yield from future.result()

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
