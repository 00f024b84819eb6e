"""The refusals of work over a budget, in words: what it needs, the budget and its setting, and what fits."""

import dataclasses

import pytest
from fastapi import HTTPException
from gradflow.api.budget import refuse_over_budget, refuse_training_over_budget
from gradflow.api.settings import Settings
from gradflow.core.config import SimConfig
from gradflow.core.cost import estimate_cost, fits, training_cost
from gradflow.training.config import TrainConfig

BUDGET = Settings().compute_budget


def over_budget_message(cfg, budget):
    with pytest.raises(HTTPException) as refused:
        refuse_over_budget(cfg, budget, "body")
    assert refused.value.status_code == 422
    (item,) = refused.value.detail
    assert item["type"] == "compute_budget" and item["loc"] == ["body"]
    return item["msg"]


def test_work_within_the_budget_is_not_refused():
    refuse_over_budget(SimConfig(), BUDGET, "query")
    refuse_training_over_budget(TrainConfig(), Settings().train_budget)


def test_the_message_suggests_values_that_fit_and_are_the_largest_that_do():
    cfg = SimConfig(cell="lstm", seq_len=1000, hidden_size=256, batch_size=64)
    message = over_budget_message(cfg, BUDGET)
    assert f"{BUDGET:.3g}" in message
    for name in ("batch_size", "seq_len", "hidden_size"):
        best = int(message.split(f"{name} <= ")[1].split(";")[0].rstrip("."))
        assert fits(dataclasses.replace(cfg, **{name: best}), BUDGET)
        assert not fits(dataclasses.replace(cfg, **{name: best + 1}), BUDGET)
    assert "flow_steps <=" not in message  # dropping the flow matrix alone does not fit


def test_explicit_inputs_do_not_break_the_what_if():
    cfg = SimConfig(seq_len=2, input_size=1, inputs=((1.0,), (2.0,)), hidden_size=256, flow_steps=128)
    assert "seq_len <= 1" in over_budget_message(cfg, estimate_cost(dataclasses.replace(cfg, seq_len=1)).total)


def test_a_training_refusal_names_its_budget_and_the_most_steps_that_fit():
    cfg = TrainConfig(steps=5000, batch_size=64, seq_len=200, hidden_size=256)
    budget = training_cost(dataclasses.replace(cfg, steps=1234))
    with pytest.raises(HTTPException) as refused:
        refuse_training_over_budget(cfg, budget)
    msg = refused.value.detail[0]["msg"]
    assert "training budget" in msg and "GRADFLOW_TRAIN_BUDGET" in msg and "steps <= 1234;" in msg
