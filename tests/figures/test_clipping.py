"""View 3: parameter gradient norms before and after clipping, as bars on exact log10 figures."""

from __future__ import annotations

import math

import pytest
from gradflow.core.config import SimConfig
from gradflow.core.simulate import simulate
from gradflow.figures.clipping import clipping_figure

NAMES = ["weight_ih", "weight_hh", "bias_ih", "bias_hh", "all (global)"]


def test_clipping_off_bars_before_equal_after(rnn):
    fig = clipping_figure(rnn)
    assert fig.layout.title.text == "Clipping"
    assert fig.layout.title.subtitle.text == "Clipping is off: the gradients below are what backpropagation produced."
    before, after = fig.data
    assert (before.name, after.name) == ("before clipping", "after clipping")
    assert list(before.x) == NAMES
    assert before.y == after.y
    top = [b + before.base for b in before.y]
    assert top[-1] == pytest.approx(rnn["clipping"]["total_norm_log10"])
    assert fig.layout.yaxis.title.text == "gradient norm (log scale)"
    assert fig.layout.yaxis.tickmode == "array"


def test_norm_clipping_draws_the_threshold_and_the_smaller_bars():
    answer = simulate(SimConfig(cell="gru", seq_len=30, clip_mode="norm", clip_threshold=0.01))
    fig = clipping_figure(answer)
    before, after = fig.data
    assert after.y[-1] + after.base == pytest.approx(math.log10(0.01))
    assert after.y[-1] < before.y[-1]
    assert fig.layout.shapes[0].y0 == pytest.approx(-2.0)
    assert "max norm 0.01" in [a.text for a in fig.layout.annotations]
    assert fig.layout.title.subtitle.text.startswith("Global gradient norm ")
    assert "after clipping by norm at 0.01, scale ×" in fig.layout.title.subtitle.text


def test_exploding_bars_stand_on_exact_log10s_and_say_beyond_float64(exploding):
    fig = clipping_figure(exploding)
    before = fig.data[0]
    exact = [exploding["param_grad_log10_norms"][n] for n in NAMES[:-1]] + [exploding["clipping"]["total_norm_log10"]]
    assert [y + before.base for y in before.y] == pytest.approx(exact)
    assert [a.text for a in fig.layout.annotations].count("beyond<br>float64") == 5
    assert before.text[-1].endswith("e+319")


def test_absent_without_its_fields(rnn):
    assert clipping_figure({**rnn, "clipping": None}) is None
