"""Training: how far back the gradient reaches as training goes on. One heatmap per run, training step
across and time step t up (the loss sits at t = T, the top row), coloured by log10 |dL/dh_t| of that step's
batch loss, every run on one colour scale. Empty cells are exact zeros or a step that diverged."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gradflow.theme import view

from .common import (
    axis_id,
    axis_key,
    beyond_text,
    check_palette,
    colorbar,
    columns,
    figure,
    finite_range,
    floats,
    panel_title,
)
from .train_runs import Run

VIEW = view("train_flow")
TITLE = VIEW["title"]


def flow_grid(run: Run) -> np.ndarray:
    """log10 |dL/dh_t| as T x K: row t - 1, column k the k-th progress event (NaN where it diverged)."""
    grid = np.full((run.seq_len, len(run.events)), np.nan)
    for k, event in enumerate(run.events):
        profile = event.get("grad_h_log10_norm")
        if profile is not None:
            values = floats(profile)[: run.seq_len]
            grid[: len(values), k] = values
    return grid


def _panel(i: int, run: Run, z: np.ndarray) -> dict:
    text = beyond_text(z)
    trace = {
        "type": "heatmap",
        "name": run.label,
        "x": run.steps,
        "y": np.arange(1, z.shape[0] + 1),
        "z": z,
        "coloraxis": "coloraxis",
        "xaxis": axis_id("x", i),
        "yaxis": axis_id("y", i),
        "hovertemplate": "training step %{x}, t = %{y}<br>log10|dL/dh_t| = %{z:.3f}"
        f"{'%{text}' if text is not None else ''}<extra>{run.label}</extra>",
    }
    if text is not None:
        trace["text"] = text
    return trace


def _axes(i: int, domain: list[float]) -> dict:
    return {
        axis_key("x", i): {"domain": domain, "anchor": axis_id("y", i), "title": {"text": VIEW["x"]}},
        axis_key("y", i): {
            "domain": [0, 0.92],
            "anchor": axis_id("x", i),
            "title": {"text": VIEW["y"] if i == 0 else ""},
            **({"matches": "y"} if i else {}),
        },
    }


def train_flow_figure(runs: list[Run], palette: str = "Viridis") -> go.Figure:
    """One heatmap (T time steps x K reported training steps) per run, on one shared colour scale."""
    grids = [flow_grid(run) for run in runs]
    domains = columns(len(runs), 0.06, 0.9)
    low, high = finite_range(*grids) or (0, 1)
    axes = {}
    for i, domain in enumerate(domains):
        axes.update(_axes(i, domain))
    return figure(
        TITLE,
        [_panel(i, run, z) for i, (run, z) in enumerate(zip(runs, grids))],
        400,
        showlegend=False,
        margin={"r": 8},
        annotations=[panel_title(run.label, d, 0.93) for run, d in zip(runs, domains)],
        coloraxis={
            "colorscale": check_palette(palette),
            "cmin": low,
            "cmax": high,
            "colorbar": colorbar(VIEW["colorbar"], 0.93, 0.46, 0.92),
        },
        **axes,
    )
