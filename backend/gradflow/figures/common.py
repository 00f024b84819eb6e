"""What every figure shares: the page's colours, colour scales, base layout, subplot grid and log ticks.

What the page and the figures share is read from gradflow/theme/theme.json.
A Python twin of frontend/js/charts/common.js and the parts of frontend/js/lib/shape.js the charts use, so a
figure drawn here reads like the page's. Arrays follow docs/core-output.md: row k of a time array is step
t = k + 1, NaN is JSON null (beyond float64, or an exact zero in a log10 field).
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from gradflow.theme import theme

_COLOURS = theme()["colours"]
CELL_COLOURS: dict[str, str] = _COLOURS["cells"]
"""Okabe-Ito colours, distinguishable with every common colour-vision deficiency (the page's)."""
RUN_COLOURS: tuple[str, ...] = tuple(_COLOURS["runs"])
"""Runs that are not one per cell take these in order (Okabe-Ito, leaving out MARK's vermillion)."""
MARK: str = _COLOURS["mark"]  # vermillion: beyond float64, thresholds
MARK_TEXT: str = _COLOURS["mark_text"]
"""MARK darkened for words: 5.5:1 on BACKGROUND, WCAG AA for normal text (MARK itself is 3.9:1)."""
MUTED: str = _COLOURS["muted"]
TEXT: str = _COLOURS["text"]
BACKGROUND: str = _COLOURS["background"]
PALETTES: tuple[str, ...] = tuple(theme()["palettes"])
"""The page's two colour scales for heatmaps, both colour-blind safe."""

LOG10_FLOAT64_MAX = float(np.log10(sys.float_info.max))
"""log10 of the largest finite float64 (about 1.8e308): past it a magnitude exists only as its log10."""

FONT = {"family": theme()["font_family"], "size": 12, "color": TEXT}

PLOT_CONFIG = {
    "responsive": True,
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
"""The page's Plotly config: the PNG button stays, Plotly's logo and cloud buttons go (for `to_html`)."""


def check_palette(palette: str) -> str:
    """The palette if it is one of PALETTES, else a ValueError naming the value."""
    if palette not in PALETTES:
        raise ValueError(f"palette: must be one of {', '.join(PALETTES)}, got {palette!r}")
    return palette


SUBTITLE_CHARS = 105
"""A subtitle's line length: 105 characters of 12 px text fit the figures' default 700 px width and more."""
SUBTITLE_LINE_PX = 15


def figure(title: str, traces: list[dict], height: int, subtitle: str = "", **layout) -> go.Figure:
    """A Figure with the page's base layout: system font, white plot, a left-aligned title on top (and
    under it `subtitle`, the page's readout for the view, if any, a line per SUBTITLE_CHARS characters: each
    line after the first makes the figure and its top margin SUBTITLE_LINE_PX taller, the title then placed from
    the top down so the lines stay above the plot)."""
    lines = textwrap.wrap(subtitle, SUBTITLE_CHARS)
    extra = SUBTITLE_LINE_PX * max(len(lines) - 1, 0)
    margin = {"l": 56, "r": 16, "t": (76 if lines else 56) + extra, "b": 44, **layout.pop("margin", {})}
    heading = {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 15}}
    if lines:
        heading["subtitle"] = {"text": "<br>".join(lines), "font": {"size": 12, "color": MUTED}}
    if extra:
        heading.update(yref="container", y=1, yanchor="top", pad={"t": 12})
    base = {
        "title": heading,
        "template": "plotly_white",
        "font": FONT,
        "height": height + extra,
        "margin": margin,
        "paper_bgcolor": BACKGROUND,
        "plot_bgcolor": BACKGROUND,
        "hoverlabel": {"align": "left"},
        "legend": {"orientation": "h", "y": -0.22, "x": 0},
    }
    return go.Figure(data=traces, layout={**base, **layout})


def axis_id(letter: str, i: int) -> str:
    """Trace axis reference for panel i: 'x', 'x2', ..."""
    return letter if i == 0 else f"{letter}{i + 1}"


def axis_key(letter: str, i: int) -> str:
    """Layout key for panel i: 'xaxis', 'xaxis2', ..."""
    return f"{letter}axis" if i == 0 else f"{letter}axis{i + 1}"


def columns(n: int, gap: float = 0.05, right: float = 0.9) -> list[list[float]]:
    """Domains [x0, x1] (paper units) of n side-by-side panels; `right` leaves room for colour bars."""
    width = (right - gap * (n - 1)) / n
    return [[i * (width + gap), i * (width + gap) + width] for i in range(n)]


def panel_title(text: str, domain: list[float], y: float = 1.0, size: int = 13) -> dict:
    """An annotation centred above a subplot column."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": (domain[0] + domain[1]) / 2,
        "y": y,
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": size},
    }


def colorbar(title: str, x: float, y: float = 0.5, length: float = 1.0) -> dict:
    """A thin colour bar with its title on the side."""
    return {
        "title": {"text": title, "side": "right"},
        "thickness": 10,
        "x": x,
        "y": y,
        "len": length,
        "xpad": 4,
        "outlinewidth": 0,
    }


def floats(values) -> np.ndarray:
    """Any array-like of numbers (None for JSON null) as float64, None becoming NaN."""
    if values is None:
        return np.array([], dtype=float)
    return np.asarray(values if isinstance(values, np.ndarray) else _nan_for_none(values), dtype=float)


def _nan_for_none(values):
    if isinstance(values, (list, tuple)):
        return [_nan_for_none(v) for v in values]
    return np.nan if values is None else values


def finite_range(*arrays) -> tuple[float, float] | None:
    """Smallest and largest finite number over all the arrays, or None when there is none."""
    parts = [a[np.isfinite(a)] for a in (floats(x).ravel() for x in arrays) if a.size]
    values = np.concatenate(parts) if parts else np.array([])
    return (float(values.min()), float(values.max())) if values.size else None


def beyond_float64(log10s: np.ndarray, values: np.ndarray | None = None) -> np.ndarray:
    """Indices whose magnitude has no float64 but a known log10: the value is NaN (or, without values,
    the log10 passes float64's largest) while the log10 is finite."""
    known = np.isfinite(log10s)
    past = ~np.isfinite(values) if values is not None and len(values) else log10s > LOG10_FLOAT64_MAX
    return np.flatnonzero(known & past)


def power_of_ten(k: int) -> str:
    """Tick label for 10^k: '1', '10', '100', then '10<sup>k</sup>'."""
    return {0: "1", 1: "10", 2: "100"}.get(k, f"10<sup>{k}</sup>")


NICE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)


def log_ticks(lo: float, hi: float, target: int = 6) -> dict:
    """Ticks at whole powers of ten over [lo, hi] (log10 units), about `target` of them, for an axis whose
    values are log10s: {"tickmode": "array", "tickvals": [...], "ticktext": ["10<sup>k</sup>", ...]}."""
    a, b = int(np.floor(min(lo, hi))), int(np.ceil(max(lo, hi)))
    span = max(1, b - a)
    step = next((s for s in NICE_STEPS if span / s <= target), int(np.ceil(span / target)))
    vals = list(range(-(-a // step) * step, b + 1, step))
    return {"tickmode": "array", "tickvals": vals, "ticktext": [power_of_ten(v) for v in vals]}


def mark_note(text: str, size: int = 11, **props) -> dict:
    """A note in MARK_TEXT on a box of BACKGROUND, readable over bars, lines and grid lines (`props`: the rest of
    the annotation); the page's markNote."""
    return {
        "text": text,
        "showarrow": False,
        **props,
        "font": {"size": size, "color": MARK_TEXT},
        "bgcolor": BACKGROUND,
        "borderpad": 1,
    }


def float64_limit(y_top: float, beyond_at: Sequence[float] = ()) -> tuple[list[dict], list[dict]]:
    """A dotted line and label at float64's largest value on a log10 axis, when the axis reaches past it. The
    label goes under the line at the end of the axis away from the points past the limit (`beyond_at`: their x
    as fractions 0..1 of the axis), so it never covers their triangles."""
    if y_top <= LOG10_FLOAT64_MAX:
        return [], []
    right = (float(np.mean(beyond_at)) if len(beyond_at) else 0.5) < 0.5
    line = {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": LOG10_FLOAT64_MAX,
        "y1": LOG10_FLOAT64_MAX,
        "line": {"color": MARK, "width": 1, "dash": "dot"},
    }
    label = mark_note(
        "float64 limit (1.8e308)",
        xref="paper",
        x=0.99 if right else 0.01,
        xanchor="right" if right else "left",
        y=LOG10_FLOAT64_MAX,
        yanchor="top",
        yshift=-2,
    )
    return [line], [label]


def beyond_text(z: np.ndarray) -> np.ndarray | None:
    """Hover suffixes ' (beyond float64)' for the cells of a log10 heatmap past float64, or None when
    there are none (the common case, kept cheap)."""
    past = np.isfinite(z) & (z > LOG10_FLOAT64_MAX)
    if not past.any():
        return None
    return np.where(past, " (beyond float64)", "")
