"""Training: the global gradient norm before and after clipping, exact past float64."""

from __future__ import annotations

import numpy as np
from gradflow.figures.common import MARK
from gradflow.figures.train_grad import train_grad_figure
from gradflow.figures.train_runs import runs_of


def test_before_and_after_clipping_on_log10(lstm_run):
    fig = train_grad_figure(runs_of(lstm_run))
    assert fig.layout.title.text == "Gradient norm"
    assert [t.name for t in fig.data] == ["clip threshold 1", "lstm: before clipping", "lstm: after clipping"]
    np.testing.assert_allclose(fig.data[1].y, [e["grad_norm_log10"] for e in lstm_run[:-1]])
    np.testing.assert_allclose(fig.data[2].y, np.log10([e["clipped_grad_norm"] for e in lstm_run[:-1]]))
    assert fig.data[2].line.dash == "dash"
    assert fig.layout.yaxis.title.text == "global gradient norm (log scale)" and fig.layout.yaxis.tickmode == "array"
    assert fig.layout.xaxis.title.text == "training step"


def test_no_clipping_no_second_line(rnn_run):
    assert [t.name for t in train_grad_figure(runs_of(rnn_run)).data] == ["rnn: before clipping"]


def test_a_norm_beyond_float64_is_placed_by_its_log10_and_marked(diverging_run):
    fig = train_grad_figure(runs_of(diverging_run))
    beyond = diverging_run[1]["grad_norm_log10"]
    traces = {t.name: t for t in fig.data}
    marks = traces["rnn: beyond float64"]
    assert list(marks.x) == [2] and list(marks.y) == [beyond]
    assert marks.marker.symbol == "triangle-up" and marks.marker.color == MARK
    assert marks.text == ("3.16e+412 (beyond float64)",)
    assert list(traces["rnn: diverged at step 3"].y) == [beyond]
    assert fig.layout.annotations[0].text == "float64 limit (1.8e308)"
