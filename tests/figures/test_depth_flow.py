"""Gradient flow through the layers, for a stack of layers."""

from __future__ import annotations

import numpy as np
from gradflow.figures.depth_flow import depth_flow_figure


def test_stacked_lstm_layer_by_time(stacked_lstm):
    fig = depth_flow_figure(stacked_lstm)
    assert fig.layout.title.text == "Gradient flow through the layers"
    (heat,) = fig.data
    assert heat.z.shape == (3, 30)
    np.testing.assert_array_equal(heat.z[-1], stacked_lstm["layers"][-1]["grad_h_log10_norm"])
    assert list(heat.y) == [1, 2, 3]  # bottom layer first
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("time step t", "layer")


def test_absent_for_one_layer(lstm):
    assert depth_flow_figure(lstm) is None
