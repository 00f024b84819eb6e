"""View 1: heatmaps of log10 |dL/dh_t| (and |dL/dc_t|) over their chain strips."""

from __future__ import annotations

import numpy as np
from gradflow.figures.unrolled import unrolled_figure


def annotation_texts(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_rnn_one_panel_heatmap_and_chain(rnn):
    fig = unrolled_figure(rnn)
    assert fig.layout.title.text == "The unrolled network"
    heat, strip = fig.data
    assert (heat.type, strip.type) == ("heatmap", "heatmap")
    assert heat.z.shape == (8, 40)  # unit x step: time across
    np.testing.assert_array_equal(heat.z, rnn["grad_h_log10_abs"].T)
    np.testing.assert_array_equal(strip.z[0], rnn["grad_h_log10_norm"])
    assert list(strip.y) == ["chain"]
    assert "rnn: log10|dL/dh_t|" in annotation_texts(fig)
    assert fig.layout.xaxis.title.text == "time step t"
    assert fig.layout.yaxis.title.text == "hidden unit"
    assert "log10|dL/dh_t| = %{z:.3f}" in heat.hovertemplate
    assert fig.layout.shapes == ()


def test_lstm_adds_the_cell_path_on_one_shared_colour_scale(lstm):
    fig = unrolled_figure(lstm)
    assert [t.name for t in fig.data] == ["lstm", "lstm chain", "lstm cell", "lstm cell chain"]
    assert {"log10|dL/dh_t|", "log10|dL/dc_t|"} <= set(annotation_texts(fig))
    assert {t.coloraxis for t in fig.data} == {"coloraxis"}
    low = min(np.nanmin(lstm["grad_h_log10_abs"]), np.nanmin(lstm["grad_c_log10_abs"]))
    assert fig.layout.coloraxis.cmin == low
    assert fig.layout.coloraxis.colorscale[0][1] == "#440154"  # Viridis starts dark purple
    assert fig.layout.xaxis2.matches == "x"


def test_palette_cividis(gru):
    fig = unrolled_figure(gru, palette="Cividis")
    assert fig.layout.coloraxis.colorscale[0][1] == "#00224e"  # Cividis starts dark blue


def test_exploding_outlines_the_chain_boxes_past_float64(exploding):
    fig = unrolled_figure(exploding)
    beyond = np.flatnonzero(np.isnan(exploding["grad_h_norm"]))
    assert len(beyond) > 0 and beyond[0] == 0
    (box,) = fig.layout.shapes  # one run of consecutive steps: one outline
    assert (box.x0, box.x1) == (0.5, beyond[-1] + 1.5)
    assert "outlined: beyond float64" in annotation_texts(fig)
    strip = fig.data[1]
    assert "(beyond float64)" in strip.text[0][0] and "e+3" in strip.text[0][0]
    assert "(beyond float64)" not in strip.text[0][-1]


def test_absent_without_the_gradient(rnn):
    assert unrolled_figure({**rnn, "grad_h_log10_abs": None}) is None
