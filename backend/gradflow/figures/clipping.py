"""View 3, clipping: each parameter's gradient norm, and the global norm, before and after clipping.

Bars stand on exact log10 figures over a base below the smallest (the page's log setting), so a norm past
float64 still gets its bar, with 'beyond float64' written under it; the threshold is a dashed line.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from gradflow.theme import theme, view

from .common import MARK, figure, log_ticks, mark_note
from .format import format_log10, format_sig

VIEW = view("clipping")
BAR_COLOURS: dict[str, str] = theme()["colours"]["clipping"]
TITLE = VIEW["title"]
GLOBAL = "all (global)"


def _log10(v: float | None) -> float | None:
    """log10 of a positive finite figure, else None (no bar)."""
    return math.log10(v) if v is not None and math.isfinite(v) and v > 0 else None


def _bar_logs(answer: dict) -> tuple[list[str], list, list, list[bool]]:
    """Bar names, log10 before and after clipping (None: no bar) and which befores are past float64."""
    before, after = answer["param_grad_norms"], answer.get("clipped_param_grad_norms") or {}
    exact = answer.get("param_grad_log10_norms") or {}
    c = answer["clipping"]
    names = list(before)
    exact_log = [exact.get(n) for n in names]
    before_log = [e if e is not None and math.isfinite(e) else _log10(before[n]) for n, e in zip(names, exact_log)]
    total_log = c.get("total_norm_log10")
    before_log.append(total_log if total_log is not None and math.isfinite(total_log) else _log10(c.get("total_norm")))
    # with clipping off the gradients after are those before, exact log10s included
    after_log = (
        before_log
        if c.get("mode") == "none"
        else [_log10(after.get(n)) for n in names] + [_log10(c.get("clipped_total_norm"))]
    )
    past = [not _finite(before[n]) for n in names] + [not _finite(c.get("total_norm"))]
    return [*names, GLOBAL], before_log, after_log, past


def _finite(v: float | None) -> bool:
    return v is not None and math.isfinite(v)


def bptt_note(c: dict, after: dict | None = None, config: dict | None = None) -> str:
    """Why clipping in the bptt scope left the gradients above the threshold, or '' when it did not (the page's
    readouts.js bpttNote): it bounds the backward flow dL/dh_t, and a weight's gradient adds up dL/da_t times
    its step's input (h_(t-1) for weight_hh), as large as the forward states. `after`: the answer's
    clipped_param_grad_norms; `config`: its config, to name a linear rnn's growth."""
    clipped = c.get("clipped_total_norm")
    if (
        c.get("scope") != "bptt"
        or c.get("mode", "none") == "none"
        or not (_finite(clipped) and clipped > c["threshold"])
    ):
        return ""
    norms = sorted(((v, k) for k, v in (after or {}).items() if _finite(v)), reverse=True)
    largest = f" ({norms[0][1]}'s is {format_log10(_log10(norms[0][0]))})" if norms else ""
    config = config or {}
    linear = config.get("cell") == "rnn" and config.get("activation") == "linear" and config.get("init") == "orthogonal"
    s = config.get("recurrent_scale")
    grows = f", which in this linear rnn grow by s = {s:g} at every step" if linear and s is not None and s > 1 else ""
    return (
        f"The gradients stay above {c['threshold']:g}{largest} because clipping in the bptt scope bounds the "
        "backward flow dL/dh_t, not the weight gradients: a weight's gradient adds up dL/da_t times its step's "
        f"input over every step (h_(t-1) for weight_hh), so it is as large as the forward states h_t{grows}. "
        "To bound the update itself, clip the parameters (clip_scope='parameters')."
    )


def clipping_text(c: dict) -> str:
    """What clipping did, in words, from the answer's `clipping` report (the page's readout; its bptt note is
    `bptt_note`, which the figure adds under its title)."""
    if c.get("mode", "none") == "none":
        return "Clipping is off: the gradients below are what backpropagation produced."
    total_log = c.get("total_norm_log10")
    total = format_log10(total_log if total_log is not None else _log10(c.get("total_norm")))
    if c.get("scope") == "bptt":
        clipped = c.get("clipped_total_norm")
        both = f" without clipping, {format_log10(_log10(clipped))} with it" if _finite(clipped) else ""
        return (
            f"Clipping dL/dh_t by {c['mode']} at {c['threshold']:g} during backpropagation: "
            f"{c.get('clipped_steps') or 0} of the steps were clipped; parameter gradient norm {total}{both}."
        )
    clipped = c.get("clipped_total_norm")
    after = format_log10(_log10(clipped)) if _finite(clipped) else "beyond float64"
    scale = f", scale ×{format_sig(c['scale'], 3)}" if _finite(c.get("scale")) else ""
    return f"Global gradient norm {total} before, {after} after clipping by {c['mode']} at {c['threshold']:g}{scale}."


def _bar(label: str, names: list[str], logs: list, base: float, colour: str) -> dict:
    return {
        "type": "bar",
        "name": label,
        "x": names,
        "marker": {"color": colour},
        "y": [None if v is None else v - base for v in logs],
        "base": base,
        "text": ["" if v is None else format_log10(v) for v in logs],
        "textposition": "none",
        "hovertemplate": f"%{{x}}<br>{label}: %{{text}}<extra></extra>",
    }


def clipping_figure(answer: dict) -> go.Figure | None:
    """Grouped bars of log10 gradient norms per parameter and overall, before and after clipping; None
    without param_grad_norms or clipping."""
    if not answer.get("param_grad_norms") or not answer.get("clipping"):
        return None
    c = answer["clipping"]
    names, before_log, after_log, past = _bar_logs(answer)
    th = c["threshold"] if c.get("mode") != "none" and (c.get("threshold") or 0) > 0 else None
    values = [v for v in before_log + after_log if v is not None] + ([math.log10(th)] if th else [])
    low = math.floor(min([*values, 0])) - 1
    high = max([*values, low + 1])
    traces = [
        _bar("before clipping", names, before_log, low, BAR_COLOURS["before"]),
        _bar("after clipping", names, after_log, low, BAR_COLOURS["after"]),
    ]
    # on a box of the background colour: the bars behind the words are blue
    annotations = [
        mark_note("beyond<br>float64", 10, x=n, xref="x", yref="paper", y=0.02, yanchor="bottom")
        for n, p in zip(names, past)
        if p
    ]
    shapes = []
    if th:
        y = float(np.log10(th))
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": y,
                "y1": y,
                "line": {"color": MARK, "width": 2, "dash": "dash"},
            }
        )
        annotations.append(
            mark_note(
                f"{'clip value' if c['mode'] == 'value' else 'max norm'} {th:g}",
                xref="paper",
                x=1,
                y=y,
                xanchor="right",
                yanchor="bottom",
            )
        )
    yaxis = {"title": {"text": VIEW["y_log"]}, **log_ticks(low, high), "range": [low, high + 0.5]}
    # the page's readout under its chart, here under the title; bptt clipping that left the gradients above the
    # threshold says why
    note = bptt_note(c, answer.get("clipped_param_grad_norms"), answer.get("config"))
    return figure(
        TITLE,
        traces,
        400,
        subtitle=" ".join(filter(None, (clipping_text(c), note))),
        barmode="group",
        yaxis=yaxis,
        xaxis={"type": "category"},
        shapes=shapes,
        annotations=annotations,
    )
