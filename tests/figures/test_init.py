"""simulation_figures and training_figures: which views come back, for which answers."""

from __future__ import annotations

import subprocess
import sys

import plotly.graph_objects as go
import pytest
from gradflow.core.config import SimConfig
from gradflow.core.simulate import simulate
from gradflow.figures import simulation_figures, training_figures
from gradflow.wire.encoding import to_jsonable

SIX = ["unrolled", "norms", "clipping", "gates", "spectrum", "flow"]


@pytest.mark.parametrize(
    ("answer", "views"),
    [
        ("rnn", [v for v in SIX if v != "gates"]),
        ("lstm", SIX),
        ("gru", SIX),
        ("stacked_lstm", [*SIX, "depth_flow"]),
        ("exploding", [v for v in SIX if v != "gates"]),
    ],
)
def test_views_present_for_each_answer(answer, views, request):
    figs = simulation_figures(request.getfixturevalue(answer))
    assert list(figs) == views
    assert all(isinstance(f, go.Figure) for f in figs.values())


def test_fields_filtered_out_leave_their_views_out():
    answer = simulate(SimConfig(cell="lstm", seq_len=10, fields=("grad_h_log10_norm", "grad_h_norm", "spectrum")))
    assert list(simulation_figures(answer)) == ["norms", "spectrum"]


def test_the_apis_json_answer_draws_the_same(exploding):
    """JSON nulls (None) in lists read as NaN: the same triangles as from the core's arrays."""
    from_json = simulation_figures(to_jsonable(exploding))
    from_core = simulation_figures(exploding)
    assert list(from_json) == list(from_core)
    marks = [
        next(t for t in figs["norms"].data if t.name.endswith("beyond float64")) for figs in (from_json, from_core)
    ]
    assert list(marks[0].x) == list(marks[1].x)


def test_a_palette_that_is_not_the_pages_is_refused(rnn):
    with pytest.raises(ValueError, match="palette"):
        simulation_figures(rnn, palette="Jet")


def test_the_core_never_imports_plotly():
    code = "import sys, gradflow, gradflow.core.simulate, gradflow.training; print('plotly' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_training_figures_four_charts_with_the_pages_titles(lstm_run):
    figs = training_figures(lstm_run)
    assert list(figs) == ["loss", "grad", "flow", "memory"]
    assert [f.layout.title.text for f in figs.values()] == [
        "Loss",
        "Gradient norm",
        "Gradient flow while learning",
        "Memory horizon and gates",
    ]


def test_training_figures_of_several_runs(lstm_run, rnn_run):
    figs = training_figures({"lstm": lstm_run, "rnn": rnn_run}, palette="Cividis", yscale="linear")
    assert len(figs["flow"].data) == 2
    assert figs["loss"].layout.yaxis.type == "linear"
    with pytest.raises(ValueError, match="palette"):
        training_figures(lstm_run, palette="Jet")
