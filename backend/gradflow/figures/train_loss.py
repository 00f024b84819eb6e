"""Training: the loss of every run against the training step, with each task's baseline (dashed) and
solved level (dotted green, a tenth of the baseline). A loss that shoots off by hundreds of powers of ten
would squash every other curve, so the axis stops at a ceiling above the baseline and points past it sit
on the top edge as triangles, their true value in the hover. A cross marks a divergence, a star a solve."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from gradflow.theme import theme, view
from gradflow.training.tasks import SOLVED_FRACTION, TASKS

from .common import MARK, MUTED, TEXT, figure
from .format import format_sig
from .train_runs import Run, last_finite, x_max

VIEW = view("train_loss")
SOLVED_COLOUR: str = theme()["colours"]["solved"]
TITLE = VIEW["title"]
CEILING = {"log": 1e3, "linear": 4.0}
"""The axis top as a multiple of the largest reference level: three decades (log), four times (linear)."""


def _baseline(run: Run) -> float | None:
    """The summary's baseline loss, else the task's (when the config names one), else None."""
    if run.summary and run.summary.get("baseline_loss") is not None:
        return float(run.summary["baseline_loss"])
    task = TASKS.get(run.config.get("task"))
    return task.baseline if task else None


def _refs(runs: list[Run]) -> list[dict]:
    """Baseline and solved lines, once per distinct baseline (runs over both tasks get both pairs)."""
    out = []
    for b in dict.fromkeys(b for b in map(_baseline, runs) if b is not None):
        tasks = ", ".join(dict.fromkeys(r.config.get("task", "?") for r in runs if _baseline(r) == b))
        out += [
            {"name": f"baseline {format_sig(b, 3)} ({tasks})", "value": b, "dash": "dash", "colour": MUTED},
            {
                "name": f"solved below {format_sig(b * SOLVED_FRACTION, 3)}",
                "value": b * SOLVED_FRACTION,
                "dash": "dot",
                "colour": SOLVED_COLOUR,
            },
        ]
    return out


def _range(losses: list[np.ndarray], refs: list[dict], log: bool) -> tuple[list[float] | None, float | None]:
    """The y range (axis units) and the ceiling (loss units; None when every loss fits under it)."""
    levels = [r["value"] for r in refs]
    values = [v for v in [*np.concatenate([*losses, []]).tolist(), *levels] if math.isfinite(v) and v > 0]
    if not values:
        return None, None
    cap = CEILING["log" if log else "linear"] * max([*levels, 0])
    high = max(values)
    top = min(high, cap) if cap > 0 else high
    low = min(values)
    y_range = [math.log10(low) - 0.15, math.log10(top) + 0.15] if log else [0, top * 1.05]
    return y_range, (top if high > top else None)


def _run_traces(run: Run, loss: np.ndarray, ceiling: float | None) -> list[dict]:
    """The loss line, triangles for losses above the chart, and the ending's marker."""
    x = run.steps
    out = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": run.label,
            "x": x,
            "y": loss,
            "line": {"color": run.colour, "width": 2},
            "hovertemplate": f"step %{{x}}<br>loss %{{y:.4g}}<extra>{run.label}</extra>",
        }
    ]
    above = np.flatnonzero(np.isfinite(loss) & (loss > ceiling)) if ceiling is not None else np.array([], dtype=int)
    if above.size:
        out.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{run.label}: loss above the chart",
                "x": x[above],
                "y": np.full(above.size, ceiling),
                "text": [format_sig(loss[k], 3) for k in above],
                "cliponaxis": False,
                "marker": {
                    "symbol": "triangle-up",
                    "size": 8,
                    "color": run.colour,
                    "line": {"color": MARK, "width": 1},
                },
                "hovertemplate": f"step %{{x}}<br>loss %{{text}} (above the chart)<extra>{run.label}</extra>",
            }
        )
    end, at = run.ending() or (None, None)
    last = last_finite(loss)
    if end and last is not None:
        diverged = end == "diverged"
        out.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{run.label}: {end} at step {at}",
                "x": [at],
                "y": [last if ceiling is None else min(last, ceiling)],
                "cliponaxis": False,
                "marker": {
                    "symbol": "x" if diverged else "star",
                    "size": 13,
                    "color": MARK if diverged else run.colour,
                    "line": {"color": TEXT, "width": 1},
                },
                "hovertemplate": f"{end} at step %{{x}}<extra>{run.label}</extra>",
            }
        )
    return out


def train_loss_figure(runs: list[Run], yscale: str = "log") -> go.Figure:
    """Each run's loss against the training step (log or linear y), with the reference levels."""
    if yscale not in ("log", "linear"):
        raise ValueError(f"yscale: must be 'log' or 'linear', got {yscale!r}")
    log = yscale == "log"
    refs = _refs(runs)
    losses = [run.column("loss") for run in runs]
    y_range, ceiling = _range(losses, refs, log)
    end = x_max(runs)
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": r["name"],
            "x": [1, end],
            "y": [r["value"]] * 2,
            "hoverinfo": "skip",
            "line": {"color": r["colour"], "width": 1.5, "dash": r["dash"]},
        }
        for r in refs
    ]
    traces += [tr for run, loss in zip(runs, losses) for tr in _run_traces(run, loss, ceiling)]
    yaxis = {
        "title": {"text": VIEW["y_log"] if log else VIEW["y"]},
        "type": "log" if log else "linear",
        "exponentformat": "power",
        **({"range": y_range, "autorange": False} if y_range else {}),
    }
    return figure(
        TITLE,
        traces,
        400,
        xaxis={"title": {"text": VIEW["x"]}, "rangemode": "tozero"},
        yaxis=yaxis,
        hovermode="closest",
        margin={"l": 64, "b": 48},
        legend={"orientation": "h", "y": -0.22, "x": 0, "font": {"size": 11}},
    )
