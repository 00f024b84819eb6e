"""The request and events of a training run (models/train.py): the request's defaults are TrainConfig's and it
carries every one of its fields, a task names its shortest sequence, and every event the engine yields fits
the model that describes it."""

from __future__ import annotations

import dataclasses
import json

import pytest
from gradflow.models.train import TrainProgress, TrainRequest, TrainResult, TrainSummary
from gradflow.training import TrainConfig, train
from gradflow.wire.encoding import dumps
from pydantic import ValidationError

CONFIG_FIELDS = [f.name for f in dataclasses.fields(TrainConfig)]


def test_the_request_is_train_config_s_fields_plus_how_the_answer_travels():
    assert list(TrainRequest.model_fields) == [*CONFIG_FIELDS, "stream", "arrays"]


def test_the_defaults_are_train_config_s():
    assert TrainRequest().to_train_config() == TrainConfig()
    for name in CONFIG_FIELDS:
        assert TrainRequest.model_fields[name].default == getattr(TrainConfig(), name), name
        assert TrainRequest.model_fields[name].description, name


def test_every_field_reaches_the_config_and_stream_does_not():
    fields = {
        "cell": "gru",
        "activation": "relu",
        "task": "recall",
        "seq_len": 7,
        "hidden_size": 5,
        "batch_size": 3,
        "steps": 11,
        "learning_rate": 0.5,
        "optimizer": "sgd",
        "clip_mode": "value",
        "clip_threshold": 0.25,
        "init": "gaussian",
        "recurrent_scale": 1.5,
        "forget_bias": -2.0,
        "seed": 9,
        "report_every": 4,
        "stop_when_solved": True,
        "return_weights": True,
    }
    assert set(fields) == set(CONFIG_FIELDS)
    assert TrainRequest(**fields, stream=False).to_train_config() == TrainConfig(**fields)


def test_the_adding_task_needs_one_marker_in_each_half():
    with pytest.raises(ValidationError) as caught:
        TrainRequest(task="adding", seq_len=1)
    [error] = caught.value.errors()
    assert error["loc"] == ("seq_len",)
    assert "seq_len 1 is too short for the adding task, which needs at least 2 steps" in error["msg"]
    assert TrainRequest(task="adding", seq_len=2).seq_len == 2
    assert TrainRequest(task="recall", seq_len=1).seq_len == 1


def test_an_unknown_task_is_named_once_not_twice():
    with pytest.raises(ValidationError) as caught:
        TrainRequest.model_validate({"task": "copy", "seq_len": 1})
    assert [e["loc"] for e in caught.value.errors()] == [("task",)]


@pytest.mark.parametrize(("field", "value"), [("optimizer", "rmsprop"), ("task", "copy"), ("steps", 0), ("nope", 1)])
def test_a_bad_field_is_refused(field, value):
    with pytest.raises(ValidationError, match=field):
        TrainRequest.model_validate({field: value})


@pytest.mark.parametrize(
    ("cell", "gate_mean"), [("lstm", "forget_gate_mean"), ("gru", "update_gate_mean"), ("rnn", None)]
)
def test_every_event_of_a_run_fits_its_model(cell, gate_mean):
    cfg = TrainConfig(cell=cell, seq_len=6, hidden_size=3, batch_size=2, steps=5, report_every=2)
    events = [json.loads(dumps(event)) for event in train(cfg)]
    *progress, summary = events
    assert [e["type"] for e in progress] == ["progress"] * 4 and summary["type"] == "summary"
    for event in progress:
        assert set(event) <= set(TrainProgress.model_fields)
        parsed = TrainProgress.model_validate(event)
        assert len(parsed.grad_h_log10_norm) == cfg.seq_len
        if gate_mean:
            assert getattr(parsed, gate_mean) is not None
    assert set(summary) <= set(TrainSummary.model_fields)
    assert TrainSummary.model_validate(summary).config == cfg.to_dict()
    result = TrainResult.model_validate({"events": progress, "summary": summary})
    assert [e.step for e in result.events] == [1, 2, 4, 5] and result.summary.steps_done == 5


def test_an_event_says_what_it_is():
    with pytest.raises(ValidationError, match="type"):
        TrainProgress.model_validate({"type": "summary", "step": 1, "clipped": False})
    with pytest.raises(ValidationError):
        TrainSummary.model_validate({"baseline_loss": 1.0, "solved": False, "diverged": False, "config": {}})
