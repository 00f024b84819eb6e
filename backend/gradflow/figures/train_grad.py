"""Training: the global gradient norm of every step before clipping (solid) and after it (dashed). The y
values are the exact log10 norms (grad_norm_log10) with ticks at powers of ten, so a norm past float64 is
still placed, and marked with a triangle ('3.16e+412 (beyond float64)' in its hover) as the page does."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gradflow.theme import view

from .common import MARK, MUTED, TEXT, beyond_float64, figure, finite_range, float64_limit, log_ticks
from .format import format_log10
from .train_runs import Run, last_finite, x_max

VIEW = view("train_grad")
TITLE = VIEW["title"]


def _hover(log10s: np.ndarray, beyond: np.ndarray) -> list[str]:
    past = set(beyond.tolist())
    return [
        "" if not np.isfinite(v) else format_log10(v) + (" (beyond float64)" if k in past else "")
        for k, v in enumerate(log10s)
    ]


def _clips(run: Run) -> bool:
    """Whether the run clips: its config says so, or (no summary) some step reports it clipped."""
    if run.config:
        return run.config.get("clip_mode", "none") != "none"
    return any(e.get("clipped") for e in run.events)


def _series(run: Run) -> dict:
    """{log10: K, beyond: indices past float64, clipped: K log10 or None}."""
    log10 = run.column("grad_norm_log10")
    clipped = None
    if _clips(run):
        with np.errstate(divide="ignore", invalid="ignore"):  # a zero norm has no log10: no point
            clipped = np.log10(run.column("clipped_grad_norm"))
        clipped[~np.isfinite(clipped)] = np.nan
    return {"log10": log10, "beyond": beyond_float64(log10, run.column("grad_norm")), "clipped": clipped}


def _run_traces(run: Run, s: dict) -> list[dict]:
    x, log10, beyond = run.steps, s["log10"], s["beyond"]
    text = _hover(log10, beyond)
    out = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": f"{run.label}: before clipping",
            "x": x,
            "y": log10,
            "line": {"color": run.colour, "width": 2},
            "text": text,
            "hovertemplate": f"step %{{x}}<br>norm %{{text}}<extra>{run.label}, before clipping</extra>",
        }
    ]
    if s["clipped"] is not None:
        out.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"{run.label}: after clipping",
                "x": x,
                "y": s["clipped"],
                "line": {"color": run.colour, "width": 2, "dash": "dash"},
                "text": _hover(s["clipped"], np.array([], dtype=int)),
                "hovertemplate": f"step %{{x}}<br>norm %{{text}}<extra>{run.label}, after clipping</extra>",
            }
        )
    if beyond.size:
        out.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{run.label}: beyond float64",
                "x": x[beyond],
                "y": log10[beyond],
                "marker": {"symbol": "triangle-up", "size": 7, "color": MARK},
                "text": [text[k] for k in beyond],
                "hovertemplate": "step %{x}<br>norm %{text}<extra>beyond float64</extra>",
            }
        )
    end, at = run.ending() or (None, None)
    if end == "diverged" and last_finite(log10) is not None:
        out.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{run.label}: diverged at step {at}",
                "x": [at],
                "y": [last_finite(log10)],
                "marker": {"symbol": "x", "size": 13, "color": MARK, "line": {"color": TEXT, "width": 1}},
                "hovertemplate": "diverged at step %{x}<extra></extra>",
            }
        )
    return out


def _thresholds(runs: list[Run]) -> list[float]:
    """The distinct norm-clipping thresholds of the runs that clip by norm."""
    values = (float(r.config.get("clip_threshold", 0)) for r in runs if r.config.get("clip_mode") == "norm")
    return [v for v in dict.fromkeys(values) if v > 0]


def train_grad_figure(runs: list[Run]) -> go.Figure:
    """log10 of the global gradient norm before and after clipping against the training step."""
    series = [_series(run) for run in runs]
    thresholds = _thresholds(runs)
    end = x_max(runs)
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": f"clip threshold {v:g}",
            "x": [1, end],
            "y": [np.log10(v)] * 2,
            "hoverinfo": "skip",
            "line": {"color": MUTED, "width": 1.5, "dash": "dot"},
        }
        for v in thresholds
    ]
    traces += [tr for run, s in zip(runs, series) for tr in _run_traces(run, s)]
    clipped = [s["clipped"] for s in series if s["clipped"] is not None]
    low, high = finite_range(*(s["log10"] for s in series), *clipped, np.log10(thresholds)) or (0, 1)
    # the steps past float64 as fractions of the step axis: the limit's label keeps away from their triangles
    beyond_at = [float(run.steps[k]) / max(end, 2) for run, s in zip(runs, series) for k in s["beyond"].tolist()]
    shapes, annotations = float64_limit(high, beyond_at)
    yaxis = {"title": {"text": VIEW["y"]}, "zeroline": False, **log_ticks(low, high)}
    return figure(
        TITLE,
        traces,
        400,
        xaxis={"title": {"text": VIEW["x"]}, "rangemode": "tozero"},
        yaxis=yaxis,
        hovermode="closest",
        shapes=shapes,
        annotations=annotations,
        margin={"l": 64, "b": 48},
        legend={"orientation": "h", "y": -0.22, "x": 0, "font": {"size": 11}},
    )
