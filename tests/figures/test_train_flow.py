"""Training: log10 |dL/dh_t| by training step and time step, one panel per run."""

from __future__ import annotations

import numpy as np
from gradflow.figures.train_flow import train_flow_figure
from gradflow.figures.train_runs import runs_of


def test_time_step_by_training_step(lstm_run):
    fig = train_flow_figure(runs_of(lstm_run))
    assert fig.layout.title.text == "Gradient flow while learning"
    (heat,) = fig.data
    assert heat.z.shape == (12, 5)
    np.testing.assert_array_equal(heat.z[:, 0], lstm_run[0]["grad_h_log10_norm"])
    assert list(heat.x) == [1, 5, 10, 15, 20]
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("training step", "time step t")


def test_one_panel_per_run_on_one_colour_scale(lstm_run, rnn_run):
    fig = train_flow_figure(runs_of({"lstm": lstm_run, "rnn": rnn_run}), palette="Cividis")
    assert [t.coloraxis for t in fig.data] == ["coloraxis", "coloraxis"]
    assert [a.text for a in fig.layout.annotations] == ["lstm", "rnn"]
    assert fig.layout.coloraxis.colorscale[0][1] == "#00224e"
    assert fig.layout.yaxis2.matches == "y"


def test_past_float64_in_the_hover_and_a_diverged_step_empty(diverging_run):
    heat = train_flow_figure(runs_of(diverging_run)).data[0]
    assert "%{text}" in heat.hovertemplate and heat.text[0][1] == " (beyond float64)"
    assert np.isnan(heat.z[:, 2]).all()
