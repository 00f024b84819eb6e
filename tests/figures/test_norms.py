"""View 2: gradient norms on a log10 axis, with the 'beyond float64' triangles of the exploding preset."""

from __future__ import annotations

import numpy as np
from gradflow.core.config import SimConfig
from gradflow.core.simulate import simulate
from gradflow.figures.common import LOG10_FLOAT64_MAX, MARK
from gradflow.figures.norms import norms_figure


def by_name(fig) -> dict:
    return {t.name: t for t in fig.data}


def test_rnn_norm_on_a_power_of_ten_axis(rnn):
    fig = norms_figure(rnn)
    assert fig.layout.title.text == "Gradient norm through time"
    assert fig.layout.xaxis.title.text == "time step t"
    assert fig.layout.yaxis.title.text == "norm (log scale)"
    assert fig.layout.yaxis.tickmode == "array"
    assert all(t == "1" or t == "10" or t == "100" or t.startswith("10<sup>") for t in fig.layout.yaxis.ticktext)
    line = by_name(fig)["|dL/dh_t| (rnn)"]
    np.testing.assert_array_equal(line.y, rnn["grad_h_log10_norm"])  # y is the exact log10
    assert line.line.color == "#0072B2"
    assert "clip threshold 1 (clipping off)" in by_name(fig)
    assert any(name.startswith("memory horizon: ") for name in by_name(fig))


def test_lstm_adds_the_cell_path_dashed(lstm):
    traces = by_name(norms_figure(lstm))
    assert traces["|dL/dc_t| (cell path)"].line.dash == "dash"
    np.testing.assert_array_equal(traces["|dL/dc_t| (cell path)"].y, lstm["grad_c_log10_norm"])


def test_exploding_marks_norms_beyond_float64(exploding):
    fig = norms_figure(exploding)
    marks = by_name(fig)["|dL/dh_t| (rnn): beyond float64"]
    beyond = np.flatnonzero(np.isnan(exploding["grad_h_norm"]))
    assert marks.marker.symbol == "triangle-up" and marks.marker.color == MARK
    np.testing.assert_array_equal(marks.x, beyond + 1)
    np.testing.assert_array_equal(marks.y, exploding["grad_h_log10_norm"][beyond])
    assert min(marks.y) > LOG10_FLOAT64_MAX  # placed above float64's largest value
    first = exploding["grad_h_log10_norm"][0]
    assert f"log10 = {first:.3f}" in marks.text[0]
    assert marks.text[0].split("<br>")[1].endswith("e+317 (beyond float64)")
    assert [s.y0 for s in fig.layout.shapes] == [LOG10_FLOAT64_MAX]
    assert fig.layout.annotations[0].text == "float64 limit (1.8e308)"
    assert "memory horizon: beyond the sequence (all 800 steps)" in by_name(fig)


def test_bptt_clipping_and_batch_band():
    answer = simulate(
        SimConfig(
            cell="rnn",
            activation="linear",
            recurrent_scale=1.2,
            seq_len=30,
            batch_size=3,
            clip_mode="norm",
            clip_scope="bptt",
            clip_threshold=1.0,
        )
    )
    traces = by_name(norms_figure(answer))
    clipped = traces["|dL/dh_t| (rnn): clipped here"]
    assert list(clipped.x) == answer["clipping"]["clipped_at"] and len(clipped.x) > 0
    assert traces["clip threshold 1, caps each dL/dh_t"].line.color == MARK
    assert traces["rnn: batch min..max"].fill == "tonexty"
    np.testing.assert_array_equal(traces["rnn: batch mean of log10"].y, answer["grad_h_log10_norm_batch"]["mean"])


def test_absent_without_norms(rnn):
    assert norms_figure({k: v for k, v in rnn.items() if k != "grad_h_log10_norm"}) is None


def test_theory_lines_are_the_answer_s_predictions_named_as_on_the_page(rnn, lstm, gru):
    """Pascanu's bound and the mean field for the rnn, the carrying gate's product for the lstm (f) and the gru
    (z): each line's y is the answer's theory log10_norm, its name and colour theme.json's."""
    from gradflow.theme import theme

    labels, colours = theme()["theory_labels"], theme()["colours"]["theory"]
    traces = by_name(norms_figure(rnn))
    bound = traces[labels["bound"]]
    np.testing.assert_array_equal(bound.y, np.asarray(rnn["theory"]["bound"]["log10_norm"], dtype=float))
    assert bound.line.color == colours["bound"] and bound.line.dash == "dash"
    chi = rnn["theory"]["mean_field"]["chi"]
    mean_field = traces[f"{labels['mean_field']} (chi = {chi:.3g})"]
    np.testing.assert_array_equal(mean_field.y, np.asarray(rnn["theory"]["mean_field"]["log10_norm"], dtype=float))
    for answer, gate in ((lstm, "f"), (gru, "z")):
        line = by_name(norms_figure(answer))[f"{labels['cell_path']} {gate}"]
        np.testing.assert_array_equal(line.y, np.asarray(answer["theory"]["cell_path"]["log10_norm"], dtype=float))
        assert line.line.dash == "longdashdot"


def test_a_null_theory_item_draws_nothing(rnn):
    """An item the answer leaves null (its warnings say why) and an answer without theory draw no line."""
    from gradflow.theme import theme

    labels = theme()["theory_labels"]
    answer = {**rnn, "theory": {**rnn["theory"], "bound": None}}
    names = list(by_name(norms_figure(answer)))
    assert labels["bound"] not in names and any(n.startswith(labels["mean_field"]) for n in names)
    bare = {k: v for k, v in rnn.items() if k != "theory"}
    assert not any(n.startswith((labels["bound"], labels["mean_field"])) for n in by_name(norms_figure(bare)))
