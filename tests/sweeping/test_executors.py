"""Where the points run: tasks big enough to carry Dask's own cost per task and small at the end, and every
process that runs them prepared once (BLAS on one thread, freed memory kept for reuse)."""

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gradflow.core.config import SimConfig
from gradflow.models.sweep import SweepRequest
from gradflow.sweeping import executors, point_jobs
from gradflow.sweeping.executors import (
    POOL_FROM,
    TAIL_TASKS,
    TASK_WORK,
    Inline,
    LocalPool,
    batches,
    make_executor,
    metrics_of_batch,
)
from gradflow.sweeping.points import NEEDED, Job, metrics_of, point_cost

BACKEND = Path(__file__).resolve().parents[2] / "backend"
LSTM = {  # the lstm sweep of benchmarks/bench_sweep.py: 1,024 points of about 7 ms
    "base": {"cell": "lstm", "seq_len": 200, "hidden_size": 64},
    "x": {"field": "recurrent_scale", "start": 0.5, "stop": 3.0, "num": 32, "log": True},
    "y": {"field": "forget_bias", "start": 0.0, "stop": 4.0, "num": 32},
}


def _jobs(request: dict) -> list:
    return point_jobs(SweepRequest.model_validate(request).to_spec())


def test_a_task_carries_many_points_of_an_lstm_sweep():
    """One task per point paid Dask's 3-4 ms per task on every 7 ms point: 1,024 tasks for this sweep."""
    jobs = _jobs(LSTM)
    groups = batches(jobs)
    assert [j for g in groups for j in g] == jobs
    assert len(groups) <= 64
    assert all(sum(point_cost(j) for j in g) <= TASK_WORK for g in groups)


@pytest.mark.parametrize("workers", [1, 2, 8])
def test_batches_shrink_towards_the_end_so_the_workers_finish_together(workers):
    """Each batch holds at most 1 / (TAIL_TASKS * workers) of the work still to go when it starts (or
    TASK_WORK / 16, or one point), so the last tasks are short."""
    jobs = _jobs(LSTM)
    groups = batches(jobs, workers=workers)
    assert [j for g in groups for j in g] == jobs
    remaining = sum(point_cost(j) for j in jobs)
    for group in groups:
        cost = sum(point_cost(j) for j in group)
        assert len(group) == 1 or cost <= max(remaining / (TAIL_TASKS * workers), TASK_WORK / 16)
        remaining -= cost
    assert len(groups[-1]) < len(groups[0]) / 4


PREPARED = """
import json, resource, sys, threading
from threadpoolctl import threadpool_info
from gradflow.sweeping import point_jobs
from gradflow.sweeping.executors import metrics_of_batch
from gradflow.models.sweep import SweepRequest

jobs = point_jobs(SweepRequest.model_validate(json.loads(sys.argv[1])).to_spec())
blas = lambda: sorted({i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"})
out = {"before": blas()}

def task():  # in a thread of its own, as a Dask worker runs its tasks
    metrics_of_batch(jobs[:4])
    start = resource.getrusage(resource.RUSAGE_THREAD)
    metrics_of_batch(jobs[4:])
    end = resource.getrusage(resource.RUSAGE_THREAD)
    out["faults_per_point"] = (end.ru_minflt - start.ru_minflt) / len(jobs[4:])

thread = threading.Thread(target=task)
thread.start()
thread.join()
out["after"] = blas()
print(json.dumps(out))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RUSAGE_THREAD and glibc's mallopt are Linux's")
def test_a_process_running_batches_pins_blas_and_reuses_freed_memory():
    """A fresh process with no BLAS pin and Dask's nanny environment (MALLOC_TRIM_THRESHOLD_=65536, which
    also fixes glibc's mmap threshold at 128 KiB): after its first batch, BLAS runs one thread, and an lstm
    point (arrays of 100-400 KiB) no longer page-faults its arrays in afresh, about 1,000 faults a point."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    env.update(MALLOC_TRIM_THRESHOLD_="65536", PYTHONPATH=str(BACKEND))
    request = {**LSTM, "x": {**LSTM["x"], "num": 4}, "y": {**LSTM["y"], "num": 4}}
    run = subprocess.run(
        [sys.executable, "-c", PREPARED, json.dumps(request)], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["after"] == [1]
    if (os.cpu_count() or 1) > 1:
        assert out["before"] != [1]  # the pin is the process's own doing, not the environment's
    assert out["faults_per_point"] < 20, out


CHEAP = SimConfig(seq_len=10, hidden_size=4, fields=NEEDED)  # what a sweep point computes
DEAR = SimConfig(cell="lstm", seq_len=1000, hidden_size=256, batch_size=4)


def jobs_of(*configs: SimConfig) -> list[Job]:
    return [Job(ix, 0, 0, cfg) for ix, cfg in enumerate(configs)]


def cost(batch: list[Job]) -> float:
    return sum(point_cost(job) for job in batch)


def mixed() -> list[Job]:
    sizes = [4, 4, 64, 8, 256, 4, 4, 4, 128, 16, 4]
    return jobs_of(*(dataclasses.replace(CHEAP, hidden_size=h, seq_len=200) for h in sizes))


@pytest.mark.parametrize("work", [TASK_WORK, 1e6, 5e7])
def test_batches_keep_the_order_and_fill_up_to_the_work_then_start_anew(work):
    jobs = mixed()
    groups = batches(jobs, work)
    assert [job for group in groups for job in group] == jobs and all(groups)
    for group in groups:
        assert len(group) == 1 or cost(group) <= work  # only a job dearer than `work` goes over, alone


def test_equal_jobs_travel_in_batches_that_shrink_towards_the_end():
    one = point_cost(jobs_of(CHEAP)[0])
    groups = batches(jobs_of(*[CHEAP] * 40), work=8.5 * one)
    sizes = [len(group) for group in groups]
    assert sizes[0] == 8 and sizes == sorted(sizes, reverse=True) and sizes[-1] < sizes[0] and sum(sizes) == 40


def test_a_dear_job_travels_alone_and_no_jobs_make_no_batches():
    assert point_cost(jobs_of(DEAR)[0]) > TASK_WORK
    assert [len(g) for g in batches(jobs_of(CHEAP, DEAR, CHEAP, CHEAP))] == [1, 1, 2]
    assert batches([]) == []


def test_inline_runs_every_job_in_order():
    jobs = [
        Job(ix, iy, seed, dataclasses.replace(CHEAP, seed=seed, recurrent_scale=0.5 + ix))
        for ix in range(2)
        for iy in range(2)
        for seed in range(2)
    ]
    inline = Inline()
    points = list(inline.run(jobs))
    inline.close()
    assert inline.name == "inline"
    assert [(p["ix"], p["iy"], p["seed"]) for p in points] == [(j.ix, j.iy, j.seed) for j in jobs]
    assert points == [metrics_of(job) for job in jobs] == metrics_of_batch(jobs)


def test_a_local_pool_answers_what_inline_answers():
    jobs = jobs_of(*(dataclasses.replace(CHEAP, recurrent_scale=s) for s in (0.5, 1.0, 1.5, 2.0, 2.5)))
    pool = LocalPool(workers=2)
    try:
        points = list(pool.run(jobs))
    finally:
        pool.close()
    assert pool.name == "local-pool" and pool.workers == 2
    assert sorted(points, key=lambda p: p["ix"]) == list(Inline().run(jobs))


@pytest.mark.parametrize(
    ("pool_workers", "cores", "cost", "chosen"),
    [
        (0, 8, POOL_FROM / 10, "inline"),  # too cheap for a pool's start-up
        (0, 8, POOL_FROM, "local-pool"),
        (4, 8, POOL_FROM * 10, "local-pool"),
        (1, 8, POOL_FROM * 10, "inline"),  # a pool of one process is this process
        (0, 1, POOL_FROM * 10, "inline"),  # one core: one per core is one
        (0, None, POOL_FROM * 10, "inline"),  # cores unknown: one
    ],
)
def test_make_executor_picks_inline_unless_a_pool_pays(monkeypatch, pool_workers, cores, cost, chosen):
    monkeypatch.setattr(executors.os, "cpu_count", lambda: cores)
    executor = make_executor(None, pool_workers, cost)
    try:
        assert executor.name == chosen
        if chosen == "local-pool":
            assert executor.workers == (pool_workers or cores)
    finally:
        executor.close()


def test_make_executor_goes_to_dask_when_given_a_scheduler(monkeypatch):
    class Cluster:
        def __init__(self, address: str) -> None:
            self.address = address

    monkeypatch.setattr(executors, "DaskCluster", Cluster)
    executor = make_executor("tcp://10.0.0.5:8786", 0, 1.0)
    assert isinstance(executor, Cluster) and executor.address == "tcp://10.0.0.5:8786"
