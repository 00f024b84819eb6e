"""View 4: the gates, with the memory-carrying gate next to the gradient it multiplies."""

from __future__ import annotations

import numpy as np
from gradflow.figures.gates import gates_figure


def titles(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_lstm_forget_gate_beside_the_cell_path_then_the_other_gates(lstm):
    fig = gates_figure(lstm)
    assert fig.layout.title.text == "Gates"
    assert [t.name for t in fig.data] == ["f", "log10|dL/dc_t|", "i", "g", "o"]
    assert titles(fig) == [
        "lstm: forget gate f",
        "log10|dL/dc_t|, carried by f",
        "lstm: input gate i",
        "lstm: candidate g",
        "lstm: output gate o",
    ]
    np.testing.assert_array_equal(fig.data[0].z, lstm["gates"]["f"].T)
    np.testing.assert_array_equal(fig.data[1].z, lstm["grad_c_log10_abs"].T)
    assert [t.coloraxis for t in fig.data] == ["coloraxis", "coloraxis3", "coloraxis", "coloraxis2", "coloraxis"]
    assert (fig.layout.coloraxis.cmin, fig.layout.coloraxis.cmax) == (0, 1)
    assert (fig.layout.coloraxis2.cmin, fig.layout.coloraxis2.cmax) == (-1, 1)
    assert "%{z:.4f}" in fig.data[0].hovertemplate and "%{z:.3f}" in fig.data[1].hovertemplate
    assert fig.layout.xaxis.title.text == "time step t" and fig.layout.yaxis.title.text == "unit"


def test_gru_update_gate_beside_dl_dh(gru):
    fig = gates_figure(gru, palette="Cividis")
    assert [t.name for t in fig.data] == ["z", "log10|dL/dh_t|", "r", "n"]
    assert titles(fig)[1] == "log10|dL/dh_t|, carried by z"
    assert fig.layout.coloraxis3.colorscale[0][1] == "#00224e"


def test_an_rnn_has_no_gates(rnn):
    assert gates_figure(rnn) is None
