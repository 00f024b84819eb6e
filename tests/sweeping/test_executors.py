"""Where a sweep's points run (sweeping/executors.py): cheap points grouped into batches by cost, every job run
inline in order, a local process pool that answers what inline answers, and `make_executor`'s choice."""

from __future__ import annotations

import dataclasses

import pytest
from gradflow.core.config import SimConfig
from gradflow.core.cost import simulation_cost
from gradflow.sweeping import executors
from gradflow.sweeping.executors import (
    POOL_FROM,
    TASK_WORK,
    Inline,
    LocalPool,
    batches,
    make_executor,
    metrics_of_batch,
)
from gradflow.sweeping.points import NEEDED, Job, metrics_of

CHEAP = SimConfig(seq_len=10, hidden_size=4, fields=NEEDED)  # what a sweep point computes
DEAR = SimConfig(cell="lstm", seq_len=1000, hidden_size=256)


def jobs_of(*configs: SimConfig) -> list[Job]:
    return [Job(ix, 0, 0, cfg) for ix, cfg in enumerate(configs)]


def cost(batch: list[Job]) -> float:
    return sum(simulation_cost(job.cfg) for job in batch)


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
    for this, following in zip(groups, groups[1:]):
        assert cost(this) + simulation_cost(following[0].cfg) > work  # the next job did not fit


def test_equal_jobs_travel_in_equal_batches():
    one = simulation_cost(CHEAP)
    groups = batches(jobs_of(*[CHEAP] * 7), work=2.5 * one)
    assert [len(group) for group in groups] == [2, 2, 2, 1]


def test_a_dear_job_travels_alone_and_no_jobs_make_no_batches():
    assert simulation_cost(DEAR) > TASK_WORK
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
