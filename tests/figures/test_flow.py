"""View 6: the gradient-flow matrix."""

from __future__ import annotations

import numpy as np
from gradflow.core.config import SimConfig
from gradflow.core.simulate import simulate
from gradflow.figures.flow import flow_figure


def test_matrix_loss_step_by_earlier_step(gru):
    fig = flow_figure(gru)
    assert fig.layout.title.text == "Gradient-flow matrix"
    (heat,) = fig.data
    assert heat.type == "heatmap"
    assert list(heat.y) == gru["flow"]["loss_steps"] and list(heat.x) == gru["flow"]["steps"]
    np.testing.assert_array_equal(heat.z, gru["flow"]["log10_norm"])
    assert np.isnan(heat.z[0, -1])  # the future stays empty
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("earlier step t", "loss at step t'")
    assert heat.colorscale[0][1] == "#440154"


def test_exploding_cells_say_beyond_float64(exploding):
    heat = flow_figure(exploding).data[0]
    assert "%{text}" in heat.hovertemplate
    assert heat.text[-1][0] == " (beyond float64)"


def test_absent_with_flow_steps_zero():
    assert flow_figure(simulate(SimConfig(seq_len=10, flow_steps=0))) is None
