"""View 4, gates: every gate's activation as time step x hidden unit, one heatmap per gate.

The gate that carries memory (the lstm's forget gate f, the gru's update gate z) sits top left next to the
gradient it multiplies (log10|dL/dc_t| for the lstm, log10|dL/dh_t| for the gru), so the two pictures read
against each other; the other gates fill the row below. Sigmoid gates share a 0..1 scale in the palette,
the candidates (g, n) a -1..1 red-blue one, the gradient its own log10 scale.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gradflow.core.config import GATES, MEMORY_GATE
from gradflow.theme import theme, view

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

VIEW = view("gates")
TITLE = VIEW["title"]
GATE_LABELS: dict[str, str] = theme()["gate_labels"]
TANH_GATES = frozenset(theme()["tanh_gates"])
TANH_PALETTE: str = theme()["tanh_palette"]
"""The candidates' -1..1 colour scale, red-blue whatever the palette."""
ROWS = ([0.58, 0.94], [0, 0.36])
"""y domains of the two rows: the carrying gate and its gradient on top, the other gates below."""


def _panels(answer: dict) -> tuple[list[dict], list[dict]]:
    """Top and bottom rows of panels {name, title, z: T x H, coloraxis, decimals}."""
    cell = answer["config"]["cell"]
    carrier = MEMORY_GATE[cell][0]
    quantity = "dL/dc_t" if cell == "lstm" else "dL/dh_t"

    def gate(g: str) -> dict:
        return {
            "name": g,
            "title": f"{cell}: {GATE_LABELS[g]}",
            "z": floats(answer["gates"][g]),
            "coloraxis": "coloraxis2" if g in TANH_GATES else "coloraxis",
            "decimals": 4,
        }

    grad = {
        "name": f"log10|{quantity}|",
        "title": f"log10|{quantity}|, carried by {carrier}",
        "z": floats(answer["grad_c_log10_abs" if cell == "lstm" else "grad_h_log10_abs"]),
        "coloraxis": "coloraxis3",
        "decimals": 3,
    }
    return [gate(carrier), grad], [gate(g) for g in GATES[cell] if g != carrier]


def _heat(i: int, panel: dict) -> dict:
    T, H = panel["z"].shape
    z = panel["z"].T  # time across, unit up
    text = beyond_text(z) if panel["coloraxis"] == "coloraxis3" else None
    trace = {
        "type": "heatmap",
        "x": np.arange(1, T + 1),
        "y": np.arange(1, H + 1),
        "z": z,
        "name": panel["name"],
        "xaxis": axis_id("x", i),
        "yaxis": axis_id("y", i),
        "coloraxis": panel["coloraxis"],
        "hovertemplate": f"t = %{{x}}, unit %{{y}}<br>{panel['name']} = %{{z:.{panel['decimals']}f}}"
        f"{'%{text}' if text is not None else ''}<extra></extra>",
    }
    if text is not None:
        trace["text"] = text
    return trace


def _axes(i: int, x_domain: list[float], y_domain: list[float], show_y: bool) -> dict:
    same = {"matches": "x"} if i else {}
    return {
        axis_key("x", i): {
            "domain": x_domain,
            "anchor": axis_id("y", i),
            "title": {"text": VIEW["x"], "standoff": 2},
            **same,
        },
        axis_key("y", i): {
            "domain": y_domain,
            "anchor": axis_id("x", i),
            "title": {"text": VIEW["y"] if show_y else ""},
            **({"matches": "y"} if i else {}),
        },
    }


def gates_figure(answer: dict, palette: str = "Viridis") -> go.Figure | None:
    """Heatmaps of every gate (unit x step) and of the gradient the carrying gate multiplies; None for an
    rnn (no gates) or when gates or that gradient are missing."""
    cell = answer.get("config", {}).get("cell")
    gradient = "grad_c_log10_abs" if cell == "lstm" else "grad_h_log10_abs"
    if cell not in GATES or not answer.get("gates") or answer.get(gradient) is None:
        return None
    rows = _panels(answer)
    traces, annotations, axes = [], [], {}
    for r, (row, gap) in enumerate(zip(rows, (0.08, 0.05))):
        for k, (panel, domain) in enumerate(zip(row, columns(len(row), gap, 0.9))):
            i = len(traces)
            traces.append(_heat(i, panel))
            annotations.append(panel_title(panel["title"], domain, ROWS[r][1] + 0.005))
            axes.update(_axes(i, domain, ROWS[r], k == 0))
    low, high = finite_range(rows[0][1]["z"]) or (0, 1)
    palette = check_palette(palette)
    return figure(
        TITLE,
        traces,
        560,
        showlegend=False,
        margin={"l": 48, "r": 8, "b": 40},
        annotations=annotations,
        **axes,
        coloraxis={
            "colorscale": palette,
            "cmin": 0,
            "cmax": 1,
            "colorbar": colorbar(VIEW["colorbar"], 0.92, 0.76, 0.4),
        },
        coloraxis2={
            "colorscale": TANH_PALETTE,
            "cmin": -1,
            "cmax": 1,
            "colorbar": colorbar(VIEW["colorbar_tanh"], 0.92, 0.18, 0.36),
        },
        coloraxis3={
            "colorscale": palette,
            "cmin": low,
            "cmax": high,
            "colorbar": colorbar(VIEW["colorbar_grad"], 0.985, 0.76, 0.4),
        },
    )
