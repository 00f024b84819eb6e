"""View 5: the eigenvalues of W_hh with the unit circle."""

from __future__ import annotations

import numpy as np
from gradflow.figures.spectrum import spectrum_figure


def test_rnn_one_block_in_the_cells_colour(rnn):
    fig = spectrum_figure(rnn)
    assert fig.layout.title.text == "Eigenvalues of W<sub>hh</sub>"
    circle, block = fig.data
    assert circle.name == "unit circle"
    assert np.allclose(np.hypot(circle.x, circle.y), 1.0)
    assert block.name.startswith("W_hh (ρ = ")
    assert block.marker.color == "#0072B2"
    np.testing.assert_array_equal(block.x, rnn["spectrum"]["blocks"]["h"]["eigenvalues"][:, 0])
    assert fig.layout.yaxis.scaleanchor == "x"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("real part", "imaginary part")
    assert fig.layout.title.subtitle.text.startswith("Spectral radius ρ = ")


def test_lstm_one_trace_per_gate_block(lstm):
    fig = spectrum_figure(lstm)
    assert [t.name.split(" ")[0] for t in fig.data[1:]] == ["W_hi", "W_hf", "W_hg", "W_ho"]
    assert len({t.marker.symbol for t in fig.data[1:]}) == 4
    assert "(per block: i: ρ " in fig.layout.title.subtitle.text


def test_absent_without_a_spectrum(rnn):
    assert spectrum_figure({**rnn, "spectrum": None}) is None
