"""Gradient flow through the layers (num_layers > 1): log10 |dL/dh_t^(l)| as
layer x time step, bottom layer first, so one picture shows the gradient fading back in time and down the
stack. The colour scale is the page's, spanning the grid's own values."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gradflow.theme import view

from .common import beyond_text, check_palette, colorbar, figure, finite_range, floats

VIEW = view("depth_flow")
TITLE = VIEW["title"]


def depth_flow_figure(answer: dict, palette: str = "Viridis") -> go.Figure | None:
    """Heatmap of depth_flow (L layers x T steps); None without depth_flow (a single layer)."""
    if answer.get("depth_flow") is None:
        return None
    z = floats(answer["depth_flow"])
    layers, T = z.shape
    text = beyond_text(z)
    low, high = finite_range(z) or (0, 1)
    trace = {
        "type": "heatmap",
        "x": np.arange(1, T + 1),
        "y": np.arange(1, layers + 1),
        "z": z,
        "colorscale": check_palette(palette),
        "zmin": low,
        "zmax": high,
        "colorbar": colorbar(VIEW["colorbar"], 1.0),
        "hovertemplate": "layer %{y}, t = %{x}<br>log10|dL/dh_t| = %{z:.3f}"
        f"{'%{text}' if text is not None else ''}<extra></extra>",
    }
    if text is not None:
        trace["text"] = text
    return figure(
        TITLE,
        [trace],
        max(260, 140 + 50 * layers),
        xaxis={"title": {"text": VIEW["x"]}},
        yaxis={"title": {"text": VIEW["y"]}, "dtick": 1},
        margin={"l": 60, "r": 8},
    )
