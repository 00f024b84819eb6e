"""The vendored Plotly.js in Chromium, on the page itself: it registers every trace type the page draws, and the
features the page relies on work in it: typed arrays ({dtype, bdata, shape}) decoded, log axes, shapes,
annotations, a colour axis with its bar, hover templates, Plotly.react, and toImage (the modebar's PNG export)."""

from __future__ import annotations

import base64
import struct

import pytest

from tests.plotly_bundle import page_trace_types, record

pytestmark = pytest.mark.e2e

REGISTERED = """() => ({
  version: Plotly.version,
  traces: Object.keys(Plotly.PlotSchema.get().traces),
  api: ['react', 'newPlot', 'purge', 'toImage', 'downloadImage'].filter((name) => typeof Plotly[name] === 'function'),
  resize: typeof Plotly.Plots.resize,
})"""

# One small figure with a trace of each type the page draws, in a div of its own, drawn with the page's Plotly.
DRAW = """async ([traces, layout]) => {
  const div = Object.assign(document.createElement('div'), { id: 'bundle-check' });
  div.style.cssText = 'width: 600px; height: 400px';
  document.body.append(div);
  try {
    await Plotly.react(div, traces, layout, { displaylogo: false, toImageButtonOptions: { format: 'png' } });
    const rows = (z) => Array.from(z, (row) => Array.from(row));
    const drawn = {
      types: div._fullData.map((t) => t.type),
      scatterY: Array.from(div._fullData[0].y),
      heatmapZ: rows(div._fullData.find((t) => t.type === 'heatmap').z),
      yaxisType: div._fullLayout.yaxis.type,
      shapes: div.querySelectorAll('.shapelayer path').length,
      annotations: div.querySelectorAll('.annotation').length,
      colorbars: div.querySelectorAll('.colorbar').length,
      modebarPng: div.querySelectorAll('.modebar-btn[data-title="Download plot as a PNG"]').length,
      hovertemplate: div._fullData[0].hovertemplate,
    };
    drawn.png = (await Plotly.toImage(div, { format: 'png', width: 300, height: 200 })).slice(0, 22);
    return drawn;
  } finally {
    Plotly.purge(div);
    div.remove();
  }
}"""


STRUCT = {"f8": "d", "f4": "f", "i4": "i"}


def typed(fmt: str, values: list[float], shape: list[int] | None = None) -> dict:
    """A typed array in plotly.js's wire form, as the API sends numeric arrays."""
    packed = struct.pack(f"<{len(values)}{STRUCT[fmt]}", *values)
    spec = {"dtype": fmt, "bdata": base64.b64encode(packed).decode()}
    return spec | ({"shape": ",".join(map(str, shape))} if shape else {})


SAMPLES = {
    "scatter": {"type": "scatter", "mode": "lines+markers", "x": [1, 2, 3], "y": typed("f8", [1.0, 10.0, 100.0])},
    "bar": {"type": "bar", "x": ["a", "b", "c"], "y": [2, 20, 200], "xaxis": "x2", "yaxis": "y2"},
    "heatmap": {
        "type": "heatmap",
        "z": typed("f4", [1, 2, 3, 4, 5, 6], [2, 3]),
        "coloraxis": "coloraxis",
        "xaxis": "x3",
        "yaxis": "y3",
    },
    "contour": {
        "type": "contour",
        "z": [[1, 2, 3], [4, 5, 6]],
        "contours": {"coloring": "none", "start": 3.5, "end": 3.5},
        "showscale": False,
        "xaxis": "x3",
        "yaxis": "y3",
    },
}
LAYOUT = {
    "grid": {"rows": 1, "columns": 3, "pattern": "independent"},
    "yaxis": {"type": "log"},
    "coloraxis": {"colorscale": "Viridis", "colorbar": {"title": {"text": "z"}, "thickness": 10}},
    "shapes": [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 1, "y1": 1}],
    "annotations": [{"text": "note", "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False}],
}


def test_the_page_s_plotly_registers_every_trace_type_the_page_draws(probe):
    probe.open()
    loaded = probe.page.evaluate(REGISTERED)
    built = record()
    assert loaded["version"] == built["plotly.js"]
    assert set(loaded["traces"]) == set(built["traces"]), "the browser's Plotly is not the recorded build"
    page = page_trace_types()
    assert page.keys() <= set(loaded["traces"]), f"not registered: {page.keys() - set(loaded['traces'])}"
    assert loaded["api"] == ["react", "newPlot", "purge", "toImage", "downloadImage"]
    assert loaded["resize"] == "function"


def test_every_trace_type_and_feature_the_page_uses_draws(probe):
    probe.open()
    page = page_trace_types()
    assert page.keys() <= SAMPLES.keys(), f"add a sample trace for {page.keys() - SAMPLES.keys()}"
    traces = [
        SAMPLES[name] | ({"hovertemplate": "%{y}<extra></extra>"} if name == "scatter" else {}) for name in SAMPLES
    ]
    drawn = probe.page.evaluate(DRAW, [traces, LAYOUT])
    assert drawn["types"] == list(SAMPLES)
    assert drawn["scatterY"] == [1.0, 10.0, 100.0], "typed arrays are decoded"
    assert drawn["heatmapZ"] == [[1, 2, 3], [4, 5, 6]], "2-D typed arrays keep their shape"
    assert drawn["yaxisType"] == "log"
    assert (drawn["shapes"], drawn["annotations"], drawn["colorbars"]) == (1, 1, 1)
    assert drawn["modebarPng"] == 1
    assert drawn["hovertemplate"] == "%{y}<extra></extra>"
    assert drawn["png"] == "data:image/png;base64,"
