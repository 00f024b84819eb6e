"""`gradflow.load_run(path)`: a watched training run (gradflow.watch) as NumPy arrays, with the training lab's
figures and an offline HTML report.

A watched run and a run of POST /api/train are the same kind of thing: training steps, each with its gradient
flow through time. So the figures are the training lab's (`figures.training_figures`): the user's loss, the flow
over training (training step x t), the memory horizon and the memory gate; plus the depth x time flow of the
latest snapshot for a stack of layers.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from gradflow.core.config import MEMORY_GATE


def load_run(path: str | Path) -> RunResult:
    """The run in directory `path` (`<logdir>/<name>`, the one holding meta.json), as it is now."""
    from gradflow.watching.runs import META, read_run

    path = Path(path)
    if not (path / META).is_file():
        raise FileNotFoundError(f"{path}: not a run directory (no {META}); runs are <logdir>/<name>/")
    return RunResult(read_run(path))


class RunResult:
    """One watched run: `meta`, `snapshots` (the replayed steps) and `scalars` (what `watcher.log` recorded), with
    the snapshot fields as arrays over the snapshots: `steps` (S,), `grad_h_log10_norm` (S, T), `depth_flow`
    (S, L, T), `memory_horizon` (S,; NaN = beyond the sequence), `spectral_radius` (S, L), `memory_gate` (S, L;
    lstm f, gru z), `agreement` (S,: the largest relative difference to autograd). NaN stands for null."""

    def __init__(self, run: dict[str, Any]) -> None:
        self.name: str = run["name"]
        self.meta: dict[str, Any] = run["meta"]
        self.snapshots: list[dict[str, Any]] = [s for s in run["snapshots"] if s.get("type") == "snapshot"]
        self.errors: list[dict[str, Any]] = [s for s in run["snapshots"] if s.get("type") == "error"]
        self.scalar_lines: list[dict[str, Any]] = run["scalars"]

    @property
    def cell(self) -> str:
        return self.meta["cell"]

    @property
    def steps(self) -> np.ndarray:
        return np.array([s["step"] for s in self.snapshots], dtype=int)

    def _stack(self, key: str) -> np.ndarray:
        return np.array([_floats(s.get(key)) for s in self.snapshots], dtype=float)

    @property
    def grad_h_log10_norm(self) -> np.ndarray:
        return self._stack("grad_h_log10_norm")

    @property
    def grad_c_log10_norm(self) -> np.ndarray | None:
        return self._stack("grad_c_log10_norm") if self.cell == "lstm" else None

    @property
    def depth_flow(self) -> np.ndarray:
        return self._stack("depth_flow")

    @property
    def memory_horizon(self) -> np.ndarray:
        return np.array([np.nan if s["memory_horizon"] is None else s["memory_horizon"] for s in self.snapshots])

    @property
    def spectral_radius(self) -> np.ndarray:
        return self._stack("spectral_radius")

    @property
    def memory_gate(self) -> np.ndarray | None:
        if self.cell not in MEMORY_GATE:
            return None
        return self._stack(MEMORY_GATE[self.cell][1])

    @property
    def agreement(self) -> np.ndarray:
        return np.array([_float((s.get("agreement") or {}).get("max_rel_diff")) for s in self.snapshots])

    def scalars(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """{name: (steps, values)} of every scalar the run logged (loss first)."""
        names = dict.fromkeys(k for line in self.scalar_lines for k in line if k not in ("step", "time"))
        out = {}
        for name in sorted(names, key=lambda n: n != "loss"):
            rows = [(line.get("step"), line[name]) for line in self.scalar_lines if name in line]
            steps = np.array([np.nan if s is None else s for s, _ in rows], dtype=float)
            out[name] = (steps, np.array([_float(v) for _, v in rows]))
        return out

    def events(self) -> list[dict[str, Any]]:
        """The snapshots as the training lab's progress events (figures.training_figures reads these)."""
        gate = MEMORY_GATE.get(self.cell)
        out = []
        for s in self.snapshots:
            norms = [v for v in (s.get("param_grad_log10_norms") or {}).values() if v is not None]
            grad_norm = 10 ** (0.5 * math.log10(sum(10 ** (2 * (v - max(norms))) for v in norms)) + max(norms))
            event = {
                "type": "progress",
                "step": s["step"],
                "loss": _loss_near(self.scalar_lines, s["step"]),
                "grad_norm": grad_norm if norms and math.isfinite(grad_norm) else None,
                "grad_h_log10_norm": s["grad_h_log10_norm"],
                "memory_horizon": s["memory_horizon"],
            }
            if gate is not None and s.get(gate[1]):
                event[gate[1]] = s[gate[1]][-1]
            out.append(event)
        return out

    def figures(self, *, palette: str = "Viridis") -> dict[str, Any]:
        """The training lab's charts for this run ("loss", "grad", "flow", "memory") and, for a stack, the depth x
        time flow of the latest snapshot ("depth_flow")."""
        from gradflow.figures import training_figures
        from gradflow.figures.depth_flow import depth_flow_figure

        figs = training_figures({self.name: self.events()}, palette=palette)
        logged = [
            {"type": "progress", "step": line["step"], "loss": line["loss"]}
            for line in self.scalar_lines
            if line.get("loss") is not None and line.get("step") is not None
        ]
        if logged:  # every logged loss, not only those at the snapshots
            figs["loss"] = training_figures({self.name: logged}, palette=palette)["loss"]
        if self.snapshots and self.meta.get("num_layers", 1) > 1:
            figs["depth_flow"] = depth_flow_figure({"depth_flow": self.snapshots[-1]["depth_flow"]}, palette)
        return figs

    def write_html(self, path: str | Path, *, title: str | None = None) -> Path:
        """A self-contained offline report of the run (plotly inlined)."""
        from .report import write_report

        warnings = sorted({w for s in self.snapshots for w in s.get("warnings", [])})
        warnings += [e["detail"] for e in self.errors]
        return write_report(path, self.figures(), title=title or self.title(), config=self.meta, warnings=warnings)

    def title(self) -> str:
        m = self.meta
        return f"{self.name}: {m['module']} H={m['hidden_size']} layers={m['num_layers']} ({m['dtype']})"

    def __repr__(self) -> str:
        last = self.snapshots[-1] if self.snapshots else None
        tail = "no snapshot yet" if last is None else f"{len(self.snapshots)} snapshots, last at step {last['step']}"
        return f"<RunResult {self.title()}: {tail}>"


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)


def _floats(values: Any) -> Any:
    if values is None:
        return math.nan
    if isinstance(values, list):
        return [_floats(v) for v in values]
    return _float(values)


def _loss_near(lines: list[dict[str, Any]], step: int) -> float | None:
    """The loss logged at `step`, else the latest one logged before it."""
    logged = [line for line in lines if line.get("loss") is not None and line.get("step") is not None]
    before = [line for line in logged if line["step"] <= step]
    return max(before, key=lambda line: line["step"])["loss"] if before else None
