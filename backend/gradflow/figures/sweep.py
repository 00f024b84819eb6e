"""A sweep's phase diagram: one figure per metric, a heatmap over the two axes (mean over seeds) or, with
one axis, a line of the mean with the min..max band over seeds. For log10 |dL/dh_1| the critical line is
drawn where it is 0: with the loss at T, |dL/dh_T| = 1, so 0 means the gradient neither grew nor shrank
over the T - 1 steps back (vanishing below, exploding above)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gradflow.theme import theme

from .common import MARK, MUTED, RUN_COLOURS, check_palette, colorbar, figure, floats

LABELS: dict[str, str] = theme()["sweep_metric_labels"]


def sweep_figures(answer: dict, table: dict[str, np.ndarray], palette: str = "Viridis") -> dict[str, go.Figure]:
    """{metric: Figure} from the sweep's summary (`answer`, the API's JSON) and its tidy table
    (SweepResult.table(): one row per point and seed)."""
    check_palette(palette)
    return {
        metric: (_heatmap(answer, metric, palette) if answer["y"] else _line(answer, table, metric))
        for metric in answer["grid"]
    }


def _axis(axis: dict) -> dict:
    values = np.asarray(axis["values"], dtype=float)
    log = len(values) > 2 and np.all(values > 0) and np.allclose(np.diff(np.log(values)), np.log(values[1] / values[0]))
    return {"title": {"text": axis["field"]}, "type": "log" if log else "linear"}


def _heatmap(answer: dict, metric: str, palette: str) -> go.Figure:
    x, y = answer["x"]["values"], answer["y"]["values"]
    z = floats(answer["grid"][metric])
    traces = [
        {
            "type": "heatmap",
            "x": x,
            "y": y,
            "z": z,
            "colorscale": palette,
            "colorbar": colorbar(LABELS[metric], 1.0),
            "hovertemplate": f"{answer['x']['field']} = %{{x:.4g}}<br>{answer['y']['field']} = %{{y:.4g}}<br>"
            f"{LABELS[metric]} = %{{z:.4g}}<extra></extra>",
        }
    ]
    if metric == "log10_grad_first" and np.nanmin(z) < 0 < np.nanmax(z):
        traces.append(
            {
                "type": "contour",
                "x": x,
                "y": y,
                "z": z,
                "showscale": False,
                "name": "critical: |dL/dh_1| = 1",
                "contours": {"coloring": "none", "start": 0, "end": 0, "size": 1},
                "line": {"color": MARK, "width": 3},
                "showlegend": True,
                "hoverinfo": "skip",
            }
        )
    critical = (answer.get("theory") or {}).get("critical_scale")
    if critical is not None:
        traces.append(
            {
                "type": "scatter",
                "x": critical,
                "y": y,
                "mode": "lines",
                "name": "mean field: s* (chi = 1)",
                "line": {"color": MARK, "dash": "dash", "width": 2},
                "hovertemplate": "s* = %{x:.4g}<extra>mean field</extra>",
            }
        )
    return figure(
        f"Sweep: {LABELS[metric]}", traces, 420, _subtitle(answer), xaxis=_axis(answer["x"]), yaxis=_axis(answer["y"])
    )


def _line(answer: dict, table: dict[str, np.ndarray], metric: str) -> go.Figure:
    x = np.asarray(answer["x"]["values"], dtype=float)
    values = floats(table[metric]).astype(float)
    ix = table["ix"]
    low = np.array(
        [np.nanmin(values[ix == k]) if np.any(np.isfinite(values[ix == k])) else np.nan for k in range(len(x))]
    )
    high = np.array(
        [np.nanmax(values[ix == k]) if np.any(np.isfinite(values[ix == k])) else np.nan for k in range(len(x))]
    )
    mean = floats(answer["grid"][metric])[0]
    colour = RUN_COLOURS[0]
    traces = [
        {
            "type": "scatter",
            "x": x,
            "y": high,
            "mode": "lines",
            "line": {"width": 0},
            "showlegend": False,
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "x": x,
            "y": low,
            "mode": "lines",
            "line": {"width": 0},
            "fill": "tonexty",
            "fillcolor": "rgba(0,114,178,0.18)",
            "name": "min..max over seeds",
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "x": x,
            "y": mean,
            "mode": "lines+markers",
            "line": {"color": colour},
            "name": "mean",
            "hovertemplate": f"{answer['x']['field']} = %{{x:.4g}}<br>{LABELS[metric]} = %{{y:.4g}}<extra></extra>",
        },
    ]
    shapes = []
    critical = (answer.get("theory") or {}).get("critical_scale")
    if critical is not None:  # the mean field's edge of chaos, s*: a vertical dashed line
        shapes.append(
            {
                "type": "line",
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "x0": critical[0],
                "x1": critical[0],
                "line": {"color": MUTED, "dash": "dot", "width": 2},
            }
        )
    if metric == "log10_grad_first":
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 0,
                "y1": 0,
                "line": {"color": MARK, "dash": "dash", "width": 2},
            }
        )
    return figure(
        f"Sweep: {LABELS[metric]}",
        traces,
        380,
        _subtitle(answer),
        xaxis=_axis(answer["x"]),
        yaxis={"title": {"text": LABELS[metric]}},
        shapes=shapes,
    )


def _subtitle(answer: dict) -> str:
    return (
        f"{answer['points']} simulations, {answer['seeds']} seed(s) per point, on {answer['executor']}; "
        "the line marks |dL/dh_1| = 1 (neither vanishing nor exploding)"
    )
