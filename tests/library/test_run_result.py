"""gradflow.load_run: a watched run as arrays, the training lab's figures and an offline report."""

from __future__ import annotations

import math

import numpy as np
import pytest
from gradflow.library.run_result import load_run
from gradflow.theme import view

from tests.watching.runs_support import write_run


def test_the_snapshot_fields_come_back_as_arrays_over_the_snapshots(tmp_path):
    run = load_run(write_run(tmp_path))
    assert list(run.steps) == [0, 10, 20]
    assert run.grad_h_log10_norm.shape == (3, 6) and run.depth_flow.shape == (3, 2, 6)
    np.testing.assert_array_equal(run.grad_h_log10_norm, run.depth_flow[:, -1])
    assert run.grad_c_log10_norm.shape == (3, 6)
    assert run.spectral_radius.shape == (3, 2) and run.memory_gate.shape == (3, 2)
    assert run.memory_horizon.shape == (3,) and np.isnan(run.agreement).all()  # no .grad in these snapshots
    steps, losses = run.scalars()["loss"]
    assert list(run.scalars()) == ["loss", "lr"] and len(steps) == 21 and losses[4] == pytest.approx(0.2)


def test_events_read_like_the_training_labs_and_carry_the_logged_loss(tmp_path):
    run = load_run(write_run(tmp_path))
    events = run.events()
    assert [e["step"] for e in events] == [0, 10, 20]
    assert events[1]["loss"] == pytest.approx(1 / 11) and events[1]["forget_gate_mean"] == run.memory_gate[1, -1]
    norms = list(run.snapshots[2]["param_grad_log10_norms"].values())
    assert math.log10(events[2]["grad_norm"]) == pytest.approx(0.5 * math.log10(sum(10 ** (2 * v) for v in norms)))


def test_figures_are_the_training_labs_with_every_logged_loss_and_the_depth_view(tmp_path):
    figs = load_run(write_run(tmp_path)).figures()
    assert list(figs) == ["loss", "grad", "flow", "memory", "depth_flow"]
    assert figs["flow"].layout.title.text == view("train_flow")["title"]
    (loss,) = [t for t in figs["loss"].data if t.name == "exp1"]
    assert len(loss.x) == 21  # every logged step, not only the snapshots
    assert figs["depth_flow"].data[0].z.shape == (2, 6)


def test_the_report_is_one_offline_file(tmp_path):
    path = load_run(write_run(tmp_path)).write_html(tmp_path / "r.html")
    text = path.read_text()
    assert "exp1: LSTM H=4 layers=2 (float64)" in text and "<script src=" not in text


def test_a_folder_that_is_not_a_run_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a run directory"):
        load_run(tmp_path)
