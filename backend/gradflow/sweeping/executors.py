"""Where a sweep's points run: inline in the caller's process, a local process pool, or a Dask cluster.

Each executor maps the pure `metrics_of` over the jobs (in batches of up to TASK_WORK, where they leave this
process) and yields results as they finish (in any order);
`close()` cancels whatever has not run yet, so a client that hangs up stops the work. Every process that runs
batches for us is prepared once, by the first batch it runs (`prepare_process`): BLAS on one thread (the
matrices are small, and more threads only fight over the cores) and freed memory kept for reuse.
"""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

from .points import Job, metrics_of, point_cost

TASK_WORK = 1e9
"""Multiply-adds per task sent to another process: about 0.15 s of work here (points run at 5-8e9 a second;
the cost model's 2e9 is a ceiling for budgets). A task costs a pool a millisecond and Dask 3-4 ms of its own
(benchmarks/bench_sweep.py), so a task this size loses about 2 % to it. It was 2e8, counted on each point's
whole simulation cost, flow matrix included though a point never computes it: every lstm point (T = 200,
H = 64, 7 ms) went as a task of its own and carried 3-4 ms of Dask's cost."""

TAIL_TASKS = 2
"""Batches shrink towards the end of a sweep so that each worker thread has about this many tasks' worth of
the remaining work left (guided scheduling): the last tasks are short, and no worker waits long for another
to finish a big one."""

POOL_FROM = 1.5e10
"""Multiply-adds (about five seconds of work on one core) from which a sweep goes to a local pool: below, the
pool's start-up (each worker imports NumPy and the core, a second or more) would cost more than it saves."""


def batches(jobs: list[Job], work: float = TASK_WORK, workers: int = 1) -> list[list[Job]]:
    """Consecutive jobs grouped so each batch holds up to `work` multiply-adds (at least one job), fewer
    towards the end: a batch takes at most 1 / (TAIL_TASKS * workers) of the work still to go, down to
    work / 16 (a tail of small tasks, so `workers` threads finish together)."""
    costs = [point_cost(job) for job in jobs]
    remaining = sum(costs)
    out: list[list[Job]] = []
    total = target = 0.0
    for job, cost in zip(jobs, costs, strict=True):
        if not out or (out[-1] and total + cost > target):
            target = min(work, max(remaining / (TAIL_TASKS * workers), work / 16))
            out.append([])
            total = 0.0
        out[-1].append(job)
        total += cost
        remaining -= cost
    return out


def metrics_of_batch(jobs: list[Job]) -> list[dict[str, Any]]:
    prepare_process()
    return [metrics_of(job) for job in jobs]


_prepared = False
_prepare_lock = threading.Lock()
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)


def prepare_process() -> None:
    """Once per process that runs our batches (a pool's worker, a Dask worker, however it was started):

    - BLAS on one thread, checked from inside the process (threadpoolctl), not trusted to an environment
      variable: a worker started without OPENBLAS_NUM_THREADS=1 (say `dask worker --no-nanny`) would
      otherwise run two BLAS threads per point on two cores;
    - glibc's malloc keeps freed blocks for reuse (mmap threshold 32 MiB, trim threshold 64 MiB: where its
      own dynamic thresholds go at most). Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536
      (distributed.nanny.pre-spawn-environ), which also freezes the mmap threshold at 128 KiB: every array
      over 128 KiB a point makes was mapped, page-faulted in and unmapped again, about 1,000 page faults
      and a fifth more time per lstm point (T = 200, H = 64) in the worker's task thread.
    """
    global _prepared
    with _prepare_lock:
        if _prepared:
            return
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1)
        if sys.platform.startswith("linux"):
            try:
                mallopt = ctypes.CDLL(None).mallopt
            except (OSError, AttributeError):  # not glibc
                pass
            else:
                mallopt(M_MMAP_THRESHOLD, 32 << 20)
                mallopt(M_TRIM_THRESHOLD, 64 << 20)
        _prepared = True


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
            self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=prepare_process
        )
        self._futures: list[cf.Future] = []

    def run(self, jobs: list[Job]) -> Iterator[dict[str, Any]]:
        self._futures = [self._pool.submit(metrics_of_batch, b) for b in batches(jobs, workers=self.workers)]
        for future in cf.as_completed(self._futures):
            yield from future.result()

    def close(self) -> None:
        """Cancels the points not started and lets the worker processes go."""
        self._pool.shutdown(wait=False, cancel_futures=True)


DASK_MISSING = "a Dask scheduler was given but Dask is not installed here: pip install 'gradflow[dask]'"


class ClusterMismatch(RuntimeError):
    """The cluster's workers cannot run our points: they lack gradflow, or run other versions of it or NumPy."""


def software() -> dict[str, str]:
    """What a process that runs sweep points has: the versions that decide whether it computes what we do."""
    import sys

    import numpy

    import gradflow

    return {"gradflow": gradflow.__version__, "numpy": numpy.__version__, "python": sys.version.split()[0]}


class DaskCluster:
    """A Dask cluster at `address` (`dask scheduler` + `dask worker`), through distributed.Client. On connecting,
    every worker runs a probe that imports gradflow and reports its versions (`software`): a worker that cannot,
    or that differs from this process, is a ClusterMismatch naming what differs and what to install."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ImportError(DASK_MISSING) from None

        self.address = address
        self.name = f"dask ({address})"
        self._client = Client(address, set_as_default=False, timeout=10)
        self._futures: list = []
        try:
            self._check()
        except BaseException:
            self._client.close()
            raise

    def _check(self) -> None:
        ours = software()
        problems = []
        try:
            theirs = self._client.run(_probe)  # {worker address: versions or the error}
        except Exception as exc:  # the probe could not even be unpickled there: no usable gradflow
            theirs = {}
            problems.append(f"the workers could not run gradflow's probe ({type(exc).__name__}: {exc})")
        for worker, found in sorted(theirs.items()):
            if "error" in found:
                problems.append(f"{worker} cannot import gradflow ({found['error']})")
                continue
            differ = [f"{k} {found.get(k)} (here {v})" for k, v in ours.items() if k != "python" and found.get(k) != v]
            if differ:
                problems.append(f"{worker} runs {', '.join(differ)}")
        if problems:
            raise ClusterMismatch(
                "the Dask workers cannot run this server's sweep points: " + "; ".join(problems) + ". Install the "
                f"same gradflow {ours['gradflow']} and numpy {ours['numpy']} on every worker (pip install "
                f"'gradflow[dask]=={ours['gradflow']}' numpy=={ours['numpy']}) and restart them."
            )

    def run(self, jobs: list[Job]) -> Iterator[dict[str, Any]]:
        from distributed import as_completed

        threads = sum(self._client.nthreads().values()) or 1  # sizes the tail; workers joining later get tasks too
        self._futures = self._client.map(metrics_of_batch, batches(jobs, workers=threads), pure=False)
        for future in as_completed(self._futures, loop=self._client.loop):  # this client's, not a global one
            yield from future.result()

    def close(self) -> None:
        if self._futures:
            self._client.cancel(self._futures)
        self._client.close()


def _probe() -> dict[str, str]:
    """Runs on each worker (by value: it needs nothing of gradflow to arrive)."""
    try:
        from gradflow.sweeping.executors import software as theirs

        return theirs()
    except Exception as exc:  # noqa: BLE001 (the worker's import error is the answer)
        return {"error": f"{type(exc).__name__}: {exc}"}


def make_executor(scheduler: str | None, pool_workers: int, cost: float):
    """Dask when a scheduler address is given; else a local pool of `pool_workers` processes (0 = one per
    core), or inline when that pool would be one process or the sweep costs less than `POOL_FROM`."""
    if scheduler:
        return DaskCluster(scheduler)
    workers = pool_workers or os.cpu_count() or 1
    if workers <= 1 or cost < POOL_FROM:
        return Inline()
    return LocalPool(workers)
