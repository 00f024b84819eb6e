"""View 5, eigenvalues of W_hh: every gate block's eigenvalues in the complex plane with the unit circle,
on equal axis scales so the circle is round and 'outside the circle' means what it looks like. The
subtitle writes out the spectral radius and the largest singular value, as the page's readout does."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gradflow.theme import theme, view

from .common import CELL_COLOURS, MUTED, figure
from .format import fmt

VIEW = view("spectrum")
TITLE = VIEW["title"]
BLOCK_COLOURS: tuple[str, ...] = tuple(theme()["colours"]["blocks"])  # Okabe-Ito, one per gate block
ZERO_LINE: str = theme()["colours"]["zero_line"]
SYMBOLS = ("circle", "square", "diamond", "triangle-up")


def spectrum_text(spectrum: dict) -> str:
    """'Spectral radius ρ = 1.000 · largest singular value σ_max = 1.000', with each block's when several."""
    blocks = spectrum.get("blocks") or {}
    parts = [
        f"{g}: ρ {fmt(b['spectral_radius'])}, σ {fmt(b['max_singular_value'])}" for g, b in blocks.items() if g != "h"
    ]
    main = (
        f"Spectral radius ρ = {fmt(spectrum['spectral_radius'])} · "
        f"largest singular value σ_max = {fmt(spectrum['max_singular_value'])}"
    )
    return f"{main} (per block: {'; '.join(parts)})" if parts else main


def _block_trace(k: int, gate: str, block: dict, single_colour: str | None) -> dict:
    """One block's eigenvalues (H x 2: re, im) as markers."""
    name = "W_hh" if gate == "h" else f"W_h{gate}"
    ev = np.asarray(block["eigenvalues"], dtype=float).reshape(-1, 2)
    return {
        "type": "scatter",
        "mode": "markers",
        "x": ev[:, 0],
        "y": ev[:, 1],
        "name": f"{name} (ρ = {fmt(block['spectral_radius'])})",
        "marker": {
            "size": 6,
            "color": single_colour or BLOCK_COLOURS[k % len(BLOCK_COLOURS)],
            "symbol": SYMBOLS[k % 4],
            "opacity": 0.85,
        },
        "hovertemplate": f"{name}<br>λ = %{{x:.5~g}} %{{y:+.5~g}}i<extra></extra>",
    }


def spectrum_figure(answer: dict) -> go.Figure | None:
    """The eigenvalues of each W_hh gate block with the unit circle; None without a spectrum."""
    spectrum = answer.get("spectrum")
    if not spectrum:
        return None
    blocks = spectrum.get("blocks") or {"h": spectrum}
    angle = np.linspace(0, 2 * np.pi, 181)
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": np.cos(angle),
            "y": np.sin(angle),
            "name": "unit circle",
            "line": {"color": MUTED, "width": 1, "dash": "dot"},
            "hoverinfo": "skip",
        }
    ]
    single = CELL_COLOURS.get(answer.get("config", {}).get("cell"), BLOCK_COLOURS[0]) if len(blocks) == 1 else None
    traces += [_block_trace(k, g, b, single) for k, (g, b) in enumerate(blocks.items())]
    radii = [b.get("spectral_radius") or 0 for b in blocks.values()]
    reach = max([1.1, *(1.1 * r for r in radii if np.isfinite(r))])
    zero = {"zeroline": True, "zerolinecolor": ZERO_LINE, "range": [-reach, reach]}
    # square-ish, as on the page: a full-width plane would shrink the circle to a dot in the middle
    return figure(
        TITLE,
        traces,
        520,
        subtitle=spectrum_text(spectrum),
        width=720,
        xaxis={"title": {"text": VIEW["x"]}, **zero},
        yaxis={"title": {"text": VIEW["y"]}, "scaleanchor": "x", "scaleratio": 1, **zero},
        legend={"orientation": "h", "y": -0.28, "x": 0, "font": {"size": 11}},
        margin={"b": 90},
    )
