import dataclasses

import pytest
from gradflow.api.budget import over_budget_message
from gradflow.api.settings import Settings
from gradflow.core.config import SimConfig
from gradflow.core.cost import estimate_cost, fits

BUDGET = Settings().compute_budget
LARGEST = dict(seq_len=1000, hidden_size=256, input_size=16, batch_size=1, flow_steps=128)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize(("clip_mode", "clip_scope"), [("none", "parameters"), ("norm", "bptt"), ("value", "bptt")])
def test_the_default_budget_admits_every_cell_at_the_largest_single_sequence(cell, clip_mode, clip_scope):
    assert fits(SimConfig(cell=cell, clip_mode=clip_mode, clip_scope=clip_scope, **LARGEST), BUDGET)


@pytest.mark.parametrize("flow_steps", [0, 32])
def test_the_default_budget_refuses_a_full_batch_of_the_largest_lstm(flow_steps):
    assert not fits(SimConfig(cell="lstm", seq_len=1000, hidden_size=256, batch_size=64, flow_steps=flow_steps), BUDGET)


def test_cost_grows_with_every_size():
    base = SimConfig()
    for name in ("seq_len", "hidden_size", "input_size", "batch_size", "flow_steps"):
        bigger = dataclasses.replace(base, **{name: getattr(base, name) * 2})
        assert estimate_cost(bigger).total > estimate_cost(base).total, name
    assert estimate_cost(dataclasses.replace(base, cell="lstm")).total > estimate_cost(base).total
    bptt = dataclasses.replace(base, clip_mode="norm", clip_scope="bptt")
    assert estimate_cost(bptt).sequences > estimate_cost(base).sequences


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
