"""The facts GET /api/meta serves (models/meta.py), built by `meta()` from the Python side's own sources:
core.config's GATES and MEMORY_GATE, training.tasks.TASKS, the sweep's metrics and the theme."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from gradflow.core.config import GATES, MEMORY_GATE
from gradflow.models.meta import Meta, meta
from gradflow.sweeping.points import CRITICAL_METRIC, METRICS
from gradflow.theme import theme
from gradflow.training.config import TrainConfig
from gradflow.training.tasks import SOLVED_FRACTION, TASKS

META = meta("9.9.9")


def test_the_version_is_the_one_given():
    assert META.version == "9.9.9" and meta("1.0").version == "1.0"


def test_each_cell_s_gates_and_memory_gate_are_core_config_s():
    assert set(META.cells) == set(GATES) == {"rnn", "lstm", "gru"}
    assert META.cells["rnn"].model_dump() == {"gates": [], "memory_gate": None, "memory_gate_mean": None}
    for cell, (gate, mean) in MEMORY_GATE.items():
        assert META.cells[cell].gates == list(GATES[cell])
        assert (META.cells[cell].memory_gate, META.cells[cell].memory_gate_mean) == (gate, mean)
        assert gate in META.cells[cell].gates


def test_each_task_is_what_training_draws_and_scores():
    rng = np.random.default_rng(0)
    assert set(META.tasks) == set(TASKS) == {"adding", "recall"}
    for name, task in META.tasks.items():
        assert task.input_size == TASKS[name].batch(rng, 3, 6).x.shape[-1] == TrainConfig(task=name).input_size
        assert task.solved_below == SOLVED_FRACTION * task.baseline
    assert META.tasks["adding"].baseline == pytest.approx(1 / 6, rel=1e-15) and META.tasks["adding"].metric == "mse"
    assert META.tasks["recall"].baseline == pytest.approx(math.log(8), rel=1e-15)
    assert META.tasks["recall"].metric == "accuracy"
    assert META.solved_fraction == SOLVED_FRACTION


def test_the_sweep_metrics_in_order_with_their_labels_and_cells():
    assert [m.name for m in META.sweep_metrics] == list(METRICS)
    labels = theme()["sweep_metric_labels"]
    assert all(m.label == labels[m.name] and m.label for m in META.sweep_metrics)
    only = {m.name: m.cell for m in META.sweep_metrics if m.cell is not None}
    assert only == {mean: cell for cell, (_, mean) in MEMORY_GATE.items()}
    assert META.critical_metric == CRITICAL_METRIC and CRITICAL_METRIC in METRICS


def test_the_theme_is_served_whole_and_the_answer_is_plain_json():
    assert META.theme == theme()
    assert Meta.model_validate(json.loads(META.model_dump_json())) == META
