"""What `gradflow.sweep` returns (library/sweep_result.py): the points in grid order, the axes, the tidy table and
its CSV, the summary as the API sends it, and `run_sweep` feeding every point through its executor."""

from __future__ import annotations

import csv
import json
import random

import numpy as np
import pytest
from gradflow.core.config import SimConfig
from gradflow.core.cost import sweep_cost
from gradflow.library import sweep_result
from gradflow.library.sweep_result import SweepResult, run_sweep
from gradflow.sweeping import SweepSpec, metrics_of, point_jobs, summary

SPEC = SweepSpec(
    SimConfig(cell="lstm", seq_len=15, hidden_size=4), "recurrent_scale", (0.5, 2.0), "forget_bias", (0.0, 1.5), 2
)
LINE = SweepSpec(SimConfig(cell="gru", seq_len=10, hidden_size=3), "seq_len", (5, 10, 20), None, (), 1)


def finished(spec: SweepSpec, shuffle: int | None = None) -> SweepResult:
    points = [metrics_of(job) for job in point_jobs(spec)]
    if shuffle is not None:
        random.Random(shuffle).shuffle(points)
    return SweepResult(spec, points, summary(spec, points, 12.5, "inline"))


@pytest.fixture(scope="module")
def grid() -> SweepResult:
    return finished(SPEC, shuffle=3)


def test_points_come_in_grid_order_whatever_order_they_finished_in(grid):
    assert [(p["iy"], p["ix"], p["seed"]) for p in grid.points] == [
        (iy, ix, seed) for iy in range(2) for ix in range(2) for seed in range(2)
    ]
    assert finished(SPEC, shuffle=11).points == grid.points


def test_the_axes_grid_and_executor(grid):
    assert grid.x.tolist() == [0.5, 2.0] and grid.y.tolist() == [0.0, 1.5]
    assert grid.executor == "inline"
    assert grid.grid["log10_grad_first"].shape == (2, 2)
    for iy in range(2):
        for ix in range(2):
            values = [p["log10_grad_first"] for p in grid.points if (p["ix"], p["iy"]) == (ix, iy)]
            assert grid.grid["log10_grad_first"][iy, ix] == pytest.approx(np.mean(values), rel=1e-15)


def test_the_table_is_one_row_per_point_and_seed(grid):
    table = grid.table()
    metrics = ["log10_grad_first", "memory_horizon", "spectral_radius", "max_singular_value", "forget_gate_mean"]
    assert list(table) == ["ix", "iy", "recurrent_scale", "forget_bias", "seed", *metrics]  # lstm: no update gate
    assert all(len(column) == 8 for column in table.values())
    for k, p in enumerate(grid.points):
        assert (table["ix"][k], table["iy"][k], table["seed"][k]) == (p["ix"], p["iy"], p["seed"])
        assert table["recurrent_scale"][k] == SPEC.x_values[p["ix"]]
        assert table["forget_bias"][k] == SPEC.y_values[p["iy"]]
        for m in metrics:
            want = np.nan if p[m] is None else p[m]
            assert table[m][k] == want or (np.isnan(want) and np.isnan(table[m][k])), m


def test_a_missing_metric_is_nan_in_the_table_and_empty_in_the_csv(tmp_path):
    points = [
        {"type": "point", "ix": 1, "iy": 0, "seed": 0, "log10_grad_first": -2.5, "memory_horizon": None},
        {"type": "point", "ix": 0, "iy": 0, "seed": 0, "log10_grad_first": 0.25, "memory_horizon": 7},
    ]
    spec = SweepSpec(SimConfig(seq_len=9), "hidden_size", (4, 8), None, (), 1)
    result = SweepResult(spec, points, summary(spec, points, 1.0, "inline"))
    table = result.table()
    assert list(table) == ["ix", "iy", "hidden_size", "seed", "log10_grad_first", "memory_horizon"]
    assert table["hidden_size"].tolist() == [4, 8] and table["memory_horizon"][0] == 7
    assert np.isnan(table["memory_horizon"][1])
    with open(result.write_csv(tmp_path / "s.csv"), newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [
        ["ix", "iy", "hidden_size", "seed", "log10_grad_first", "memory_horizon"],
        ["0", "0", "4", "0", "0.25", "7.0"],
        ["1", "0", "8", "0", "-2.5", ""],
    ]


def test_the_csv_is_the_table(tmp_path, grid):
    path = grid.write_csv(tmp_path / "grid.csv")
    assert path == tmp_path / "grid.csv"
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    table = grid.table()
    assert list(rows[0]) == list(table) and len(rows) == 8
    for name, column in table.items():
        written = [float(row[name]) if row[name] else np.nan for row in rows]
        np.testing.assert_array_equal(written, column.astype(float), err_msg=name)  # every digit, NaN as empty


def test_to_dict_is_the_summary_in_plain_json(grid):
    d = grid.to_dict()
    assert json.loads(json.dumps(d, allow_nan=False)) == d
    assert d["x"] == {"field": "recurrent_scale", "values": [0.5, 2.0]}
    assert d["y"] == {"field": "forget_bias", "values": [0.0, 1.5]}
    assert d["points"] == 8 and d["seeds"] == 2 and d["executor"] == "inline"
    assert d["grid"]["forget_gate_mean"] == grid.grid["forget_gate_mean"].tolist()


def test_without_y_there_is_one_row_and_no_y_column():
    result = finished(LINE)
    assert result.y is None and result.to_dict()["y"] is None
    assert result.grid["update_gate_mean"].shape == (1, 3)
    assert list(result.table())[:4] == ["ix", "iy", "seq_len", "seed"] and "forget_gate_mean" not in result.table()


def test_one_figure_per_metric_and_a_titled_report(tmp_path, grid):
    figures = grid.figures()
    assert set(figures) == set(grid.grid)
    html = grid.write_html(tmp_path / "grid.html").read_text()
    assert "gradflow sweep over recurrent_scale and forget_bias" in html


class Recording:
    """An executor that runs every job in this process, last first, and remembers being closed."""

    name = "recording"

    def __init__(self) -> None:
        self.closed = False
        self.ran: list = []

    def run(self, jobs):
        for job in reversed(jobs):
            self.ran.append(job)
            yield metrics_of(job)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def recording(monkeypatch) -> tuple[Recording, list]:
    executor, made = Recording(), []

    def make_executor(scheduler, pool_workers, cost):
        made.append((scheduler, pool_workers, cost))
        return executor

    monkeypatch.setattr(sweep_result, "make_executor", make_executor)
    return executor, made


def test_run_sweep_sends_every_point_and_reports_each_one(recording):
    executor, made = recording
    seen = []
    result = run_sweep(LINE, "tcp://nowhere:1", 3, on_point=lambda point, total: seen.append((point["ix"], total)))
    assert made == [("tcp://nowhere:1", 3, sweep_cost(LINE.configs()))]
    assert executor.ran == list(reversed(point_jobs(LINE))) and executor.closed
    assert seen == [(2, 3), (1, 3), (0, 3)]
    assert [p["ix"] for p in result.points] == [0, 1, 2] and result.executor == "recording"
    assert result.to_dict()["points"] == 3 and result.to_dict()["elapsed_ms"] > 0


def test_run_sweep_closes_its_executor_when_a_listener_fails(recording):
    executor, _ = recording

    def fail(point, total):
        raise RuntimeError("listener failed")

    with pytest.raises(RuntimeError, match="listener failed"):
        run_sweep(LINE, None, 0, on_point=fail)
    assert executor.closed and len(executor.ran) == 1
