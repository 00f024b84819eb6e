"""Where the points run: tasks big enough to carry Dask's own cost per task and small at the end."""

import pytest
from gradflow.grid import point_jobs
from gradflow.grid.executors import TAIL_TASKS, TASK_WORK, batches
from gradflow.grid.points import point_cost
from gradflow.models.sweep import SweepRequest

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
