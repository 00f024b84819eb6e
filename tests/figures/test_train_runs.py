"""Reading training events: one run or a mapping of runs, with or without a summary."""

from __future__ import annotations

import numpy as np
import pytest
from gradflow.figures.common import CELL_COLOURS, RUN_COLOURS
from gradflow.figures.train_runs import runs_of


def test_one_run_is_labelled_by_its_cell(lstm_run):
    (run,) = runs_of(lstm_run)
    assert (run.label, run.colour) == ("lstm", CELL_COLOURS["lstm"])
    assert list(run.steps) == [1, 5, 10, 15, 20]
    assert run.summary["type"] == "summary" and run.config["seq_len"] == 12
    assert run.seq_len == 12


def test_a_generator_of_events_is_read_once(lstm_run):
    (run,) = runs_of(iter(lstm_run))
    assert len(run.events) == 5


def test_several_runs_take_cell_colours_or_the_run_palette(lstm_run, rnn_run):
    by_cell = runs_of({"lstm": lstm_run, "rnn": rnn_run})
    assert [r.colour for r in by_cell] == [CELL_COLOURS["lstm"], CELL_COLOURS["rnn"]]
    assert [r.colour for r in runs_of({"a": lstm_run, "b": rnn_run})] == list(RUN_COLOURS[:2])


def test_a_run_without_summary_reads_seq_len_from_its_profiles(lstm_run):
    (run,) = runs_of({"stopped": lstm_run[:-1]})
    assert run.summary is None and run.config == {}
    assert run.seq_len == 12 and run.ending() is None


def test_nulls_are_nan():
    (run,) = runs_of([{"type": "progress", "step": 1, "loss": None}, {"type": "progress", "step": 2, "loss": 0.5}])
    np.testing.assert_array_equal(np.isnan(run.column("loss")), [True, False])
    assert np.isnan(run.column("metric")).all()  # absent is null too


def test_no_runs_is_refused():
    with pytest.raises(ValueError, match="runs: no run given"):
        runs_of({})
