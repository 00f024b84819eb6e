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


def test_bptt_clipping_says_under_the_bars_why_the_weight_gradients_stay_above_the_threshold():
    """The page's bptt preset (readouts.js bpttNote): clipping dL/dh_t leaves weight_hh's gradient as large as
    the states of a linear rnn that grow by s per step."""
    cfg = SimConfig(
        cell="rnn", activation="linear", init="orthogonal", recurrent_scale=1.2, seq_len=200,
        clip_mode="norm", clip_scope="bptt", clip_threshold=1,
    )  # fmt: skip
    answer = simulate(cfg)
    fig = clipping_figure(answer)
    note = fig.layout.title.subtitle.text
    words = note.replace("<br>", " ")
    assert "without clipping" in words and "with it. The gradients stay above 1 " in words
    after = answer["clipped_param_grad_norms"]
    largest = max(after, key=after.get)
    assert largest == "weight_hh" and f"({largest}'s is " in words
    assert "grow by s = 1.2 at every step" in words and "clip_scope='parameters'" in words
    lines = note.split("<br>")
    assert len(lines) > 2 and all(len(line) <= 105 for line in lines)
    assert fig.layout.height == 400 + 15 * (len(lines) - 1) and fig.layout.margin.t == 76 + 15 * (len(lines) - 1)
    assert (fig.layout.title.yref, fig.layout.title.yanchor) == ("container", "top"), "the lines clear the bars"


def test_no_bptt_note_when_the_clipped_gradients_are_under_the_threshold_or_clipping_is_by_parameter():
    small = simulate(SimConfig(seq_len=20, clip_mode="norm", clip_scope="bptt", clip_threshold=1e6))
    by_parameter = simulate(SimConfig(seq_len=20, clip_mode="norm", clip_threshold=0.01))
    for answer in (small, by_parameter):
        fig = clipping_figure(answer)
        assert "stay above" not in fig.layout.title.subtitle.text
        assert fig.layout.height == 400 + 15 * fig.layout.title.subtitle.text.count("<br>")
