"""Training: the memory horizon of every reported step (how many steps back |dL/dh_t| keeps a thousandth
of its size at the loss) in the top panel, and the mean of the gate that carries memory (the lstm's forget
gate f, the gru's update gate z) in the bottom one. A horizon beyond the sequence is drawn at T, the most
the chart can show, with an open circle."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gradflow.theme import view

from .common import MUTED, figure
from .train_runs import GATE_FIELDS, Run

VIEW = view("train_memory")
TITLE = VIEW["title"]
TOP = [0.56, 1]
BOTTOM = [0, 0.38]


def _horizon(run: Run) -> tuple[np.ndarray, np.ndarray]:
    """The horizon per event (T where beyond the sequence, NaN where the step diverged) and the indices
    beyond the sequence: a null horizon means that only where the step has a gradient profile."""
    beyond = np.array(
        [
            k
            for k, e in enumerate(run.events)
            if e.get("memory_horizon") is None and e.get("grad_h_log10_norm") is not None
        ],
        dtype=int,
    )
    horizon = run.column("memory_horizon")
    horizon[beyond] = run.seq_len
    return horizon, beyond


def _horizon_traces(run: Run) -> list[dict]:
    horizon, beyond = _horizon(run)
    out = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": f"{run.label}: memory horizon",
            "x": run.steps,
            "y": horizon,
            "legendgroup": run.label,
            "line": {"color": run.colour, "width": 2},
            "hovertemplate": f"step %{{x}}<br>memory horizon %{{y}} steps<extra>{run.label}</extra>",
        }
    ]
    if beyond.size:
        out.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{run.label}: beyond the sequence",
                "x": run.steps[beyond],
                "y": horizon[beyond],
                "legendgroup": run.label,
                "showlegend": False,
                "marker": {"symbol": "circle-open", "size": 7, "color": run.colour},
                "hovertemplate": f"step %{{x}}<br>memory horizon beyond the sequence (all {run.seq_len} steps)"
                f"<extra>{run.label}</extra>",
            }
        )
    return out


def _gate_trace(run: Run) -> list[dict]:
    key = next((k for k in GATE_FIELDS if any(k in e for e in run.events)), None)
    if key is None:
        return []
    name = GATE_FIELDS[key]
    return [
        {
            "type": "scatter",
            "mode": "lines",
            "name": f"{run.label}: mean {name}",
            "x": run.steps,
            "y": run.column(key),
            "xaxis": "x2",
            "yaxis": "y2",
            "legendgroup": run.label,
            "line": {"color": run.colour, "width": 2, "dash": "dot"},
            "hovertemplate": f"step %{{x}}<br>mean {name} %{{y:.4f}}<extra>{run.label}</extra>",
        }
    ]


def train_memory_figure(runs: list[Run]) -> go.Figure:
    """Memory horizon (top) and mean memory gate (bottom) against the training step."""
    gates = [tr for run in runs for tr in _gate_trace(run)]
    traces = [tr for run in runs for tr in _horizon_traces(run)] + gates
    seq_len = max([1, *(run.seq_len for run in runs)])
    note = (
        []
        if gates
        else [
            {
                "text": "A plain rnn has no gates: train an lstm or a gru to see one here.",
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": BOTTOM[1] / 2,
                "showarrow": False,
                "font": {"size": 13, "color": MUTED},
            }
        ]
    )
    return figure(
        TITLE,
        traces,
        440,
        annotations=note,
        hovermode="closest",
        margin={"l": 64, "b": 48},
        xaxis={"domain": [0, 1], "anchor": "y", "showticklabels": False, "rangemode": "tozero"},
        yaxis={"domain": TOP, "title": {"text": VIEW["y"]}, "range": [0, seq_len * 1.05], "autorange": False},
        xaxis2={"domain": [0, 1], "anchor": "y2", "matches": "x", "title": {"text": VIEW["x"]}},
        yaxis2={"domain": BOTTOM, "title": {"text": VIEW["y2"]}, "range": [0, 1], "autorange": False},
        legend={"orientation": "h", "y": -0.3, "x": 0, "font": {"size": 11}},
    )
