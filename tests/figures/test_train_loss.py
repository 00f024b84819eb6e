"""Training: the loss against the task's baseline."""

from __future__ import annotations

import numpy as np
import pytest
from gradflow.figures.train_loss import train_loss_figure
from gradflow.figures.train_runs import runs_of


def names(fig) -> list[str]:
    return [t.name for t in fig.data]


def test_loss_against_the_baseline_dashed(lstm_run):
    fig = train_loss_figure(runs_of(lstm_run))
    assert fig.layout.title.text == "Loss"
    assert names(fig)[:3] == ["baseline 0.167 (adding)", "solved below 0.0167", "lstm"]
    assert fig.data[0].line.dash == "dash" and fig.data[0].y == (1 / 6, 1 / 6)
    assert fig.data[1].line.dash == "dot"
    np.testing.assert_array_equal(fig.data[2].y, [e["loss"] for e in lstm_run[:-1]])
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis.title.text == "loss (log scale)"
    assert fig.layout.xaxis.title.text == "training step"


def test_linear_axis_and_a_bad_scale(lstm_run):
    fig = train_loss_figure(runs_of(lstm_run), yscale="linear")
    assert fig.layout.yaxis.type == "linear" and fig.layout.yaxis.title.text == "loss"
    with pytest.raises(ValueError, match="yscale: must be 'log' or 'linear', got 'ln'"):
        train_loss_figure(runs_of(lstm_run), yscale="ln")


def test_each_tasks_baseline_once(lstm_run, rnn_run):
    fig = train_loss_figure(runs_of({"lstm": lstm_run, "rnn": rnn_run}))
    assert names(fig)[:4] == [
        "baseline 0.167 (adding)",
        "solved below 0.0167",
        "baseline 2.08 (recall)",
        "solved below 0.208",
    ]


def test_a_loss_off_the_chart_and_a_divergence(diverging_run):
    traces = {t.name: t for t in train_loss_figure(runs_of(diverging_run)).data}
    above = traces["rnn: loss above the chart"]
    assert above.text == ("1.00e+30",) and above.marker.symbol == "triangle-up"
    assert list(above.y) == [pytest.approx(1 / 6 * 1e3)]  # at the ceiling, three decades over the baseline
    assert traces["rnn: diverged at step 3"].marker.symbol == "x"
