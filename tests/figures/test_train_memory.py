"""Training: the memory horizon and the mean memory gate."""

from __future__ import annotations

import numpy as np
from gradflow.figures.train_memory import train_memory_figure
from gradflow.figures.train_runs import runs_of


def test_horizon_and_forget_gate(lstm_run):
    fig = train_memory_figure(runs_of(lstm_run))
    assert fig.layout.title.text == "Memory horizon and gates"
    assert fig.data[-1].name == "lstm: mean forget gate f" and fig.data[-1].yaxis == "y2"
    np.testing.assert_array_equal(fig.data[-1].y, [e["forget_gate_mean"] for e in lstm_run[:-1]])
    assert fig.layout.yaxis.title.text == "horizon (steps)" and fig.layout.yaxis2.title.text == "mean gate"
    assert fig.layout.xaxis2.title.text == "training step"


def test_an_rnn_has_no_gate(rnn_run):
    fig = train_memory_figure(runs_of(rnn_run))
    assert "A plain rnn has no gates" in fig.layout.annotations[0].text


def test_beyond_the_sequence_drawn_at_t_with_an_open_circle(diverging_run):
    horizon, beyond = train_memory_figure(runs_of(diverging_run)).data
    np.testing.assert_array_equal(horizon.y, [2, 4, np.nan])  # diverged at step 3: no point
    assert list(beyond.x) == [2] and beyond.marker.symbol == "circle-open"
