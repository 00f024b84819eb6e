"""The configuration of one training run (training/config.py): the input size follows from the task, and
`to_dict` gives back every field as plain JSON values."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from gradflow.training.config import TrainConfig
from gradflow.training.tasks import TASKS


@pytest.mark.parametrize(("task", "channels"), [("adding", 2), ("recall", 9)])
def test_the_input_size_is_the_task_s_channels(task, channels):
    """adding: a value and a marker; recall: 8 symbols and a 'name it now' channel."""
    cfg = TrainConfig(task=task, seq_len=6)
    assert cfg.input_size == channels
    assert TASKS[task].batch(np.random.default_rng(0), 3, cfg.seq_len).x.shape == (6, 3, channels)


def test_the_input_size_is_not_a_field():
    assert "input_size" not in {f.name for f in dataclasses.fields(TrainConfig)}
    assert "input_size" not in TrainConfig().to_dict()


def test_to_dict_is_every_field_with_its_value():
    cfg = TrainConfig(cell="gru", task="recall", steps=7, learning_rate=0.5, optimizer="sgd", stop_when_solved=True)
    d = cfg.to_dict()
    assert list(d) == [f.name for f in dataclasses.fields(TrainConfig)]
    assert d["cell"] == "gru" and d["task"] == "recall" and d["steps"] == 7 and d["stop_when_solved"] is True
    assert json.loads(json.dumps(d)) == d
    assert TrainConfig(**d) == cfg


def test_a_config_cannot_be_changed():
    with pytest.raises(dataclasses.FrozenInstanceError):
        TrainConfig().steps = 3  # type: ignore[misc]
