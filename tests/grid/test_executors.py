"""Where the points run: tasks big enough to carry Dask's own cost per task and small at the end, and every
process that runs them prepared once (BLAS on one thread, freed memory kept for reuse)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gradflow.grid import point_jobs
from gradflow.grid.executors import TAIL_TASKS, TASK_WORK, batches
from gradflow.grid.points import point_cost
from gradflow.models.sweep import SweepRequest

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
from gradflow.grid import point_jobs
from gradflow.grid.executors import metrics_of_batch
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
