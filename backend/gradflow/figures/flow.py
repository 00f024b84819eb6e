"""View 6, the gradient-flow matrix: row t' puts the loss at step t', column t is an earlier step, the
colour is log10 |dL_t'/dh_t|. Cells with t > t' are NaN (a loss cannot depend on the future) and stay
empty; cells past float64 say so in their hover. The colour scale spans the matrix's own values."""

from __future__ import annotations

import plotly.graph_objects as go

from gradflow.theme import view

from .common import beyond_text, check_palette, colorbar, figure, finite_range, floats

VIEW = view("flow")
TITLE = VIEW["title"]


def flow_figure(answer: dict, palette: str = "Viridis") -> go.Figure | None:
    """Heatmap of flow.log10_norm (K loss steps x S steps); None when the answer has no flow matrix
    (flow_steps 0, or the field filtered out)."""
    flow = answer.get("flow")
    if not flow or flow.get("log10_norm") is None or len(flow["log10_norm"]) == 0:
        return None
    z = floats(flow["log10_norm"])
    text = beyond_text(z)
    low, high = finite_range(z) or (0, 1)
    trace = {
        "type": "heatmap",
        "x": list(flow["steps"]),
        "y": list(flow["loss_steps"]),
        "z": z,
        "colorscale": check_palette(palette),
        "zmin": low,
        "zmax": high,
        "colorbar": colorbar(VIEW["colorbar"], 1.0),
        "hovertemplate": "loss at t' = %{y}, step t = %{x}<br>log10|dL_t'/dh_t| = %{z:.3f}"
        f"{'%{text}' if text is not None else ''}<extra></extra>",
    }
    if text is not None:
        trace["text"] = text
    return figure(
        TITLE,
        [trace],
        400,
        xaxis={"title": {"text": VIEW["x"]}},
        yaxis={"title": {"text": VIEW["y"]}},
        margin={"l": 60, "r": 8},
    )
