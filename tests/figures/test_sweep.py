"""The sweep's figures: a heatmap with the critical line for two axes, a mean line with its seed band for one."""

import gradflow
import numpy as np


def test_two_axes_give_a_heatmap_with_the_critical_contour_at_zero(tmp_path):
    r = gradflow.sweep(
        base={"cell": "rnn", "activation": "linear", "seq_len": 30},
        x={"field": "recurrent_scale", "start": 0.5, "stop": 2, "num": 7, "log": True},
        y={"field": "hidden_size", "values": [4, 8]},
    )
    figs = r.figures()
    assert set(figs) == {"log10_grad_first", "memory_horizon", "spectral_radius", "max_singular_value"}
    heat, contour, predicted = figs["log10_grad_first"].data
    assert heat.type == "heatmap" and contour.type == "contour"
    assert list(predicted.x) == [1.0, 1.0]  # linear: chi = s^2, so the mean field puts the edge at s* = 1
    assert contour.contours.start == contour.contours.end == 0 and contour.contours.coloring == "none"
    assert figs["log10_grad_first"].layout.xaxis.type == "log"
    np.testing.assert_array_equal(np.asarray(heat.z, dtype=float), r.grid["log10_grad_first"])
    assert r.write_html(tmp_path / "sweep.html").stat().st_size > 1_000_000


def test_one_axis_gives_the_mean_with_a_min_max_band_over_seeds():
    r = gradflow.sweep(base={"cell": "gru", "seq_len": 30}, x={"field": "forget_bias", "values": [0, 1, 2]}, seeds=3)
    fig = r.figures()["log10_grad_first"]
    high, low, mean = fig.data
    assert low.fill == "tonexty" and mean.name == "mean"
    table = r.table()
    for k in range(3):
        values = table["log10_grad_first"][table["ix"] == k]
        assert low.y[k] == values.min() and high.y[k] == values.max()
    assert fig.layout.shapes[0].y0 == 0  # the critical line
    assert "update_gate_mean" in r.figures()


def test_the_predicted_critical_line_is_drawn_over_the_phase_diagram():
    import gradflow

    result = gradflow.sweep(
        base={"seq_len": 20, "hidden_size": 8},
        x={"field": "recurrent_scale", "values": [0.5, 1.0, 2.0]},
        y={"field": "hidden_size", "values": [4, 16]},
    )
    fig = result.figures()["log10_grad_first"]
    (line,) = [t for t in fig.data if t.name == "mean field: s* (chi = 1)"]
    assert list(line.x) == result.to_dict()["theory"]["critical_scale"] and list(line.y) == [4, 16]
