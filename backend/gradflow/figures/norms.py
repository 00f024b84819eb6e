"""View 2, gradient norm through time: |dL/dh_t| (and the lstm's |dL/dc_t|) against t on a log axis.

The y values are the exact log10 norms with ticks at powers of ten (the page's log setting), so a norm past
float64 is placed where it belongs and marked with a triangle whose hover gives the exact figure
('3.16e+412 (beyond float64)'). Also drawn: the batch min..max band (batch_size > 1), the steps clipped in
bptt scope, the clipping threshold, the memory horizon and, when the answer holds `theory`, what theory
predicts (Pascanu's bound and the mean field for the rnn, the product of the carrying gate for the lstm's
f and the gru's z), dashed like the page's, each as a legend entry.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gradflow.core.config import MEMORY_GATE
from gradflow.theme import theme, view

from .common import CELL_COLOURS, MARK, MUTED, beyond_float64, figure, finite_range, float64_limit, floats, log_ticks
from .format import horizon_text, norm_hover

VIEW = view("norms")
TITLE = VIEW["title"]
CELL_PATH_COLOUR: str = theme()["colours"]["cell_path"]
HORIZON_COLOUR: str = theme()["colours"]["horizon"]
THEORY_COLOURS: dict = theme()["colours"]["theory"]
THEORY_LABELS: dict = theme()["theory_labels"]
THEORY_DASH = {"bound": "dash", "mean_field": "longdash", "cell_path": "longdashdot"}
"""Each theory line's dash, as on the page (frontend/js/charts/norms.js)."""


def _series(answer: dict) -> list[dict]:
    """{label, short, quantity, colour, dash, norm: T or None, log10: T, batch, clipped_at} per gradient."""
    cell = answer.get("config", {}).get("cell", "")
    clipping = answer.get("clipping") or {}
    out = [
        {
            "label": f"|dL/dh_t| ({cell})",
            "short": cell,
            "quantity": "|dL/dh_t|",
            "colour": CELL_COLOURS.get(cell, CELL_COLOURS["rnn"]),
            "dash": "solid",
            "norm": answer.get("grad_h_norm"),
            "log10": floats(answer["grad_h_log10_norm"]),
            "batch": answer.get("grad_h_log10_norm_batch"),
            "clipped_at": clipping.get("clipped_at") or [],
        }
    ]
    if answer.get("grad_c_log10_norm") is not None:
        out.append(
            {
                "label": "|dL/dc_t| (cell path)",
                "short": "cell path",
                "quantity": "|dL/dc_t|",
                "colour": CELL_PATH_COLOUR,
                "dash": "dash",
                "norm": answer.get("grad_c_norm"),
                "log10": floats(answer["grad_c_log10_norm"]),
                "batch": None,
                "clipped_at": [],
            }
        )
    return out


def _line_traces(s: dict) -> list[dict]:
    """The norm line, the triangles past float64 and the diamonds where bptt clipping acted."""
    t = np.arange(1, len(s["log10"]) + 1)
    beyond = beyond_float64(s["log10"], None if s["norm"] is None else floats(s["norm"]))
    hover = norm_hover(s["log10"], beyond, s["quantity"])
    out = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": s["label"],
            "x": t,
            "y": s["log10"],
            "line": {"color": s["colour"], "width": 2, "dash": s["dash"]},
            "text": hover,
            "hovertemplate": f"%{{text}}<extra>{s['label']}</extra>",
        }
    ]
    if len(beyond):
        out.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{s['label']}: beyond float64",
                "x": beyond + 1,
                "y": s["log10"][beyond],
                "marker": {"symbol": "triangle-up", "size": 7, "color": MARK},
                "text": [hover[k] for k in beyond],
                "hovertemplate": "%{text}<extra>beyond float64</extra>",
            }
        )
    if s["clipped_at"]:
        at = np.asarray(s["clipped_at"], dtype=int)
        out.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{s['label']}: clipped here",
                "x": at,
                "y": s["log10"][at - 1],
                "marker": {"symbol": "diamond-open", "size": 7, "color": s["colour"]},
                "hovertemplate": "t = %{x}: clipped<extra></extra>",
            }
        )
    return out


def _band_traces(s: dict) -> list[dict]:
    """The batch's min..max of log10 |dL/dh_t| as a filled band, and its mean dotted (batch_size > 1)."""
    b = s["batch"]
    if not b:
        return []
    lo, hi, mean = floats(b["min"]), floats(b["max"]), floats(b["mean"])
    t = np.arange(1, len(mean) + 1)
    return [
        {
            "type": "scatter",
            "mode": "lines",
            "x": t,
            "y": hi,
            "line": {"width": 0},
            "showlegend": False,
            "hoverinfo": "skip",
            "name": f"{s['short']}: batch max",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": t,
            "y": lo,
            "line": {"width": 0},
            "fill": "tonexty",
            "fillcolor": f"{s['colour']}33",
            "name": f"{s['short']}: batch min..max",
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": t,
            "y": mean,
            "name": f"{s['short']}: batch mean of log10",
            "line": {"color": s["colour"], "width": 1, "dash": "dot"},
            "hovertemplate": "t = %{x}<br>batch mean log10 = %{y:.3f}<extra></extra>",
        },
    ]


def _theory_traces(answer: dict) -> list[dict]:
    """The answer's theory lines (docs/api.md, "theory"): an item that is null draws nothing (the answer's
    warnings say why)."""
    theory = answer.get("theory") or {}
    gate = MEMORY_GATE.get(answer.get("config", {}).get("cell", ""), ("",))[0]
    names = {
        "bound": lambda item: THEORY_LABELS["bound"],
        "mean_field": lambda item: f"{THEORY_LABELS['mean_field']} (chi = {item['chi']:.3g})",
        "cell_path": lambda item: f"{THEORY_LABELS['cell_path']} {gate}",
    }
    out = []
    for kind, name in names.items():
        item = theory.get(kind)
        if not item or item.get("log10_norm") is None:
            continue
        y = floats(item["log10_norm"])
        label = name(item)
        out.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": label,
                "x": np.arange(1, len(y) + 1),
                "y": y,
                "line": {"color": THEORY_COLOURS[kind], "width": 1.5, "dash": THEORY_DASH[kind]},
                "hovertemplate": f"t = %{{x}}<br>predicted log10 = %{{y:.3f}}<extra>{label}</extra>",
            }
        )
    return out


def _threshold_trace(config: dict, t_max: int) -> list[dict]:
    """The clipping threshold as a legend entry: vermillion when clipping is on, grey dotted when off."""
    value, mode, scope = config.get("clip_threshold"), config.get("clip_mode", "none"), config.get("clip_scope")
    if not value or value <= 0:
        return []
    on = mode != "none"
    what = f"clip value {value:g} (per entry)" if mode == "value" else f"clip threshold {value:g}"
    where = "caps each dL/dh_t" if scope == "bptt" else "on the parameter gradient"
    y = float(np.log10(value))
    return [
        {
            "type": "scatter",
            "mode": "lines",
            "x": [1, t_max],
            "y": [y, y],
            "hoverinfo": "skip",
            "name": f"{what}, {where}" if on else f"clip threshold {value:g} (clipping off)",
            "line": {"color": MARK if on else MUTED, "width": 2 if on else 1, "dash": "dash" if on else "dot"},
        }
    ]


def _horizon_trace(answer: dict, y_range: tuple[float, float]) -> list[dict]:
    """A dash-dotted vertical line where the memory horizon ends (named only, when beyond the sequence)."""
    if "memory_horizon" not in answer:
        return []
    horizon, seq_len = answer["memory_horizon"], answer.get("config", {}).get("seq_len", 0)
    x = None if horizon is None else seq_len - horizon
    return [
        {
            "type": "scatter",
            "mode": "lines",
            "name": f"memory horizon: {horizon_text(horizon, seq_len)}",
            "x": [x, x],
            "y": list(y_range) if x is not None else [None, None],
            "hoverinfo": "skip",
            "line": {"color": HORIZON_COLOUR, "width": 1.5, "dash": "dashdot"},
        }
    ]


def norms_figure(answer: dict) -> go.Figure | None:
    """|dL/dh_t| (and |dL/dc_t|) against t on a log10 axis; None without grad_h_log10_norm."""
    if answer.get("grad_h_log10_norm") is None:
        return None
    series = _series(answer)
    config = answer.get("config", {})
    traces = [tr for s in series for tr in (*_band_traces(s), *_line_traces(s))]
    theory = _theory_traces(answer)
    traces += theory
    batch = [[s["batch"]["min"], s["batch"]["max"]] for s in series if s["batch"]]
    lines = [*(s["log10"] for s in series), *(a for pair in batch for a in pair), *(t["y"] for t in theory)]
    low, high = finite_range(*lines) or (0, 1)
    if config.get("clip_threshold", 0) > 0:
        th = float(np.log10(config["clip_threshold"]))
        low, high = min(low, th), max(high, th)
    traces += _threshold_trace(config, max(len(s["log10"]) for s in series)) + _horizon_trace(answer, (low, high))
    # the steps past float64 as fractions of the time axis: the limit's label keeps away from their triangles
    beyond_at = [
        k / max(1, len(s["log10"]) - 1)
        for s in series
        for k in beyond_float64(s["log10"], None if s["norm"] is None else floats(s["norm"])).tolist()
    ]
    shapes, annotations = float64_limit(high, beyond_at)
    yaxis = {"title": {"text": VIEW["y_log"]}, "zeroline": False, **log_ticks(low, high)}
    return figure(
        TITLE,
        traces,
        440,
        xaxis={"title": {"text": VIEW["x"]}},
        yaxis=yaxis,
        hovermode="x",
        shapes=shapes,
        annotations=annotations,
        margin={"l": 64, "b": 48},
        legend={"orientation": "h", "y": -0.22, "x": 0, "font": {"size": 11}, "traceorder": "normal"},
    )
