"""View 1, the unrolled network: log10 |dL/dh_t| as time step x hidden unit, with the chain strip below
(one box per step, coloured by log10 of the gradient norm, boxes past float64 outlined). An lstm gets a
second column for the cell path, log10 |dL/dc_t|. Both share one colour scale, as on the page by default.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gradflow.theme import view

from .common import (
    MARK,
    axis_id,
    axis_key,
    beyond_float64,
    beyond_text,
    check_palette,
    colorbar,
    columns,
    figure,
    finite_range,
    floats,
    mark_note,
    panel_title,
)
from .format import norm_hover

VIEW = view("unrolled")
TITLE = VIEW["title"]
HEAT_DOMAIN = [0.24, 0.94]
STRIP_DOMAIN = [0, 0.11]


def _panels(answer: dict) -> list[dict]:
    """One panel per gradient: {label, title, quantity, z: T x H log10|.|, strip: T log10 norms,
    strip_norm: T norms (NaN past float64) or None}."""
    cell = answer.get("config", {}).get("cell", "")
    panels = [
        {
            "label": cell,
            "title": f"{cell}: log10|dL/dh_t|",
            "quantity": "dL/dh_t",
            "z": floats(answer["grad_h_log10_abs"]),
            "strip": floats(answer["grad_h_log10_norm"]),
            "strip_norm": answer.get("grad_h_norm"),
        }
    ]
    if answer.get("grad_c_log10_abs") is not None and answer.get("grad_c_log10_norm") is not None:
        panels[0]["title"] = "log10|dL/dh_t|"
        panels.append(
            {
                "label": f"{cell} cell",
                "title": "log10|dL/dc_t|",
                "quantity": "dL/dc_t",
                "z": floats(answer["grad_c_log10_abs"]),
                "strip": floats(answer["grad_c_log10_norm"]),
                "strip_norm": answer.get("grad_c_norm"),
            }
        )
    return panels


def _panel_traces(i: int, panel: dict) -> tuple[list[dict], np.ndarray]:
    """The heatmap (unit x step) and the chain strip of panel i, and the strip's steps past float64."""
    T, H = panel["z"].shape
    x = np.arange(1, T + 1)
    z = panel["z"].T  # time across, unit up
    text = beyond_text(z)
    heat = {
        "type": "heatmap",
        "name": panel["label"],
        "x": x,
        "y": np.arange(1, H + 1),
        "z": z,
        "xaxis": axis_id("x", i),
        "yaxis": axis_id("y", 2 * i),
        "coloraxis": "coloraxis",
        "hovertemplate": f"t = %{{x}}, unit %{{y}}<br>log10|{panel['quantity']}| = %{{z:.3f}}"
        f"{'%{text}' if text is not None else ''}<extra>{panel['label']}</extra>",
    }
    if text is not None:
        heat["text"] = text
    norm = None if panel["strip_norm"] is None else floats(panel["strip_norm"])
    beyond = beyond_float64(panel["strip"], norm)
    strip = {
        "type": "heatmap",
        "name": f"{panel['label']} chain",
        "x": x,
        "y": ["chain"],
        "z": panel["strip"][None, :],
        "xaxis": axis_id("x", i),
        "yaxis": axis_id("y", 2 * i + 1),
        "xgap": 1 if T <= 60 else 0,
        "coloraxis": "coloraxis",
        "text": [norm_hover(panel["strip"], beyond, f"|{panel['quantity']}|")],
        "hovertemplate": f"%{{text}}<extra>{panel['label']} chain</extra>",
    }
    return [heat, strip], beyond


def _panel_axes(i: int, T: int, domain: list[float]) -> dict:
    return {
        axis_key("x", i): {
            "domain": domain,
            "anchor": axis_id("y", 2 * i + 1),
            "title": {"text": VIEW["x"]},
            "range": [0.5, T + 0.5],
            **({"matches": "x"} if i else {}),
        },
        axis_key("y", 2 * i): {
            "domain": HEAT_DOMAIN,
            "anchor": axis_id("x", i),
            "title": {"text": VIEW["y"] if i == 0 else ""},
        },
        axis_key("y", 2 * i + 1): {
            "domain": STRIP_DOMAIN,
            "anchor": axis_id("x", i),
            "fixedrange": True,
            "showticklabels": i == 0,
            "ticks": "",
        },
    }


def _beyond_marks(i: int, beyond: np.ndarray, domain: list[float]) -> tuple[list[dict], list[dict]]:
    """Outlines over each run of chain boxes past float64, and a note saying what they mean."""
    if not len(beyond):
        return [], []
    breaks = np.flatnonzero(np.diff(beyond) > 1)
    firsts = np.concatenate([[beyond[0]], beyond[breaks + 1]])
    lasts = np.concatenate([beyond[breaks], [beyond[-1]]])
    shapes = [
        {
            "type": "rect",
            "xref": axis_id("x", i),
            "yref": f"{axis_id('y', 2 * i + 1)} domain",
            "x0": a + 0.5,
            "x1": b + 1.5,
            "y0": -0.15,
            "y1": 1.15,
            "line": {"color": MARK, "width": 2},
            "fillcolor": "rgba(0,0,0,0)",
        }
        for a, b in zip(firsts.tolist(), lasts.tolist())
    ]
    note = mark_note(
        "outlined: beyond float64",
        xref="paper",
        yref="paper",
        x=domain[1],
        y=STRIP_DOMAIN[1] + 0.02,
        xanchor="right",
        yanchor="bottom",
    )
    return shapes, [note]


def unrolled_figure(answer: dict, palette: str = "Viridis") -> go.Figure | None:
    """Heatmaps of log10|dL/dh_t| (and |dL/dc_t|), unit x step, over their chain strips; None when the
    answer lacks grad_h_log10_abs or grad_h_log10_norm."""
    if answer.get("grad_h_log10_abs") is None or answer.get("grad_h_log10_norm") is None:
        return None
    panels = _panels(answer)
    domains = columns(len(panels), 0.05, 0.92)
    traces, shapes, annotations, axes = [], [], [], {}
    for i, panel in enumerate(panels):
        built, beyond = _panel_traces(i, panel)
        traces += built
        marks = _beyond_marks(i, beyond, domains[i])
        shapes += marks[0]
        annotations += [panel_title(panel["title"], domains[i], HEAT_DOMAIN[1] + 0.01), *marks[1]]
        axes.update(_panel_axes(i, len(panel["strip"]), domains[i]))
    low, high = finite_range(*(p["z"] for p in panels), *(p["strip"] for p in panels)) or (0, 1)
    coloraxis = {
        "colorscale": check_palette(palette),
        "cmin": low,
        "cmax": high,
        "colorbar": colorbar(VIEW["colorbar"], 0.935, sum(HEAT_DOMAIN) / 2, HEAT_DOMAIN[1] - HEAT_DOMAIN[0]),
    }
    return figure(
        TITLE,
        traces,
        460,
        showlegend=False,
        margin={"r": 8},
        coloraxis=coloraxis,
        shapes=shapes,
        annotations=annotations,
        **axes,
    )
