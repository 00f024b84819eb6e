"""`gradflow.sweep`: the phase diagram of gradient flow from Python, the same grid as POST /api/sweep."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from gradflow.core.cost import sweep_cost
from gradflow.sweeping import METRICS, SweepSpec, point_jobs, summary
from gradflow.sweeping.executors import make_executor


class SweepResult:
    """A finished sweep. `grid[metric]` is a NumPy array (len(y) x len(x), 1 x len(x) without y) of the mean
    over seeds; `x`, `y` the axes' values; `points` every (point, seed) as the API streams it."""

    def __init__(self, spec: SweepSpec, points: list[dict[str, Any]], answer: dict[str, Any]) -> None:
        self.spec = spec
        self.points = sorted(points, key=lambda p: (p["iy"], p["ix"], p["seed"]))
        self._answer = answer
        self.grid: dict[str, np.ndarray] = answer["grid"]
        self.x = np.asarray(spec.x_values)
        self.y = np.asarray(spec.y_values) if spec.y_field else None
        self.executor: str = answer["executor"]

    def to_dict(self) -> dict[str, Any]:
        """The summary as the API sends it (stream false)."""
        from gradflow.wire.encoding import to_jsonable

        return to_jsonable(self._answer)

    def table(self) -> dict[str, np.ndarray]:
        """A tidy table, one row per point and seed: columns ix, iy, the axis fields, seed and every metric."""
        columns: dict[str, list] = {"ix": [], "iy": [], self.spec.x_field: []}
        if self.spec.y_field:
            columns[self.spec.y_field] = []
        columns["seed"] = []
        metrics = [m for m in METRICS if any(m in p for p in self.points)]
        for m in metrics:
            columns[m] = []
        for p in self.points:
            columns["ix"].append(p["ix"])
            columns["iy"].append(p["iy"])
            columns[self.spec.x_field].append(self.spec.x_values[p["ix"]])
            if self.spec.y_field:
                columns[self.spec.y_field].append(self.spec.y_values[p["iy"]])
            columns["seed"].append(p["seed"])
            for m in metrics:
                columns[m].append(np.nan if p.get(m) is None else p[m])
        return {name: np.asarray(values) for name, values in columns.items()}

    def write_csv(self, path: str | Path) -> Path:
        table = self.table()
        path = Path(path)
        with path.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(table)
            for row in zip(*table.values()):
                writer.writerow(["" if isinstance(v, float) and not np.isfinite(v) else v for v in row])
        return path

    def figures(self, palette: str = "Viridis") -> dict:
        """One plotly figure per metric: a heatmap over (x, y), or a line with the min..max band over seeds."""
        from gradflow.figures import sweep_figures

        return sweep_figures(self.to_dict(), self.table(), palette=palette)

    def write_html(self, path: str | Path, title: str | None = None) -> Path:
        from gradflow.library.report import write_report

        title = title or f"gradflow sweep over {self.spec.x_field}" + (
            f" and {self.spec.y_field}" if self.spec.y_field else ""
        )
        return write_report(
            path,
            self.figures(),
            title=title,
            config=self.to_dict()["x"] | {"base": self.spec.base.to_dict()},
            warnings=self._answer["warnings"],
        )


def run_sweep(
    spec: SweepSpec,
    scheduler: str | None = None,
    pool_workers: int = 0,
    on_point: Callable[[dict[str, Any], int], None] | None = None,
) -> SweepResult:
    """Runs every point (inline, a local pool, or the Dask cluster at `scheduler`); `on_point(point, total)`
    is called as each one finishes."""
    start = time.perf_counter()
    jobs = point_jobs(spec)
    executor = make_executor(scheduler, pool_workers, sweep_cost(spec.configs()))
    points = []
    try:
        for point in executor.run(jobs):
            points.append(point)
            if on_point:
                on_point(point, len(jobs))
    finally:
        executor.close()
    return SweepResult(spec, points, summary(spec, points, (time.perf_counter() - start) * 1e3, executor.name))
