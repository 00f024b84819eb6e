"""The one cost model: what a simulation, a training run and a sweep cost, before any work."""

import dataclasses

import pytest
from gradflow.api.settings import Settings
from gradflow.core.config import SimConfig
from gradflow.core.cost import estimate_cost, fits, simulation_cost, sweep_cost, training_cost
from gradflow.training.config import TrainConfig

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


def test_a_training_run_costs_its_steps_of_a_batch_forward_and_backward():
    cfg = TrainConfig(cell="gru", task="recall", steps=10, batch_size=4, seq_len=20, hidden_size=8)
    one_step = estimate_cost(
        SimConfig(cell="gru", hidden_size=8, input_size=cfg.input_size, seq_len=20, batch_size=4, flow_steps=0)
    ).sequences
    assert training_cost(cfg) == pytest.approx(10 * one_step)
    assert training_cost(dataclasses.replace(cfg, steps=20)) == pytest.approx(2 * training_cost(cfg))


def test_a_sweep_costs_the_sum_of_its_simulations():
    configs = [SimConfig(seq_len=t) for t in (10, 20, 40)]
    assert sweep_cost(configs) == pytest.approx(sum(simulation_cost(c) for c in configs))
    assert sweep_cost([]) == 0


def test_the_flow_matrix_costs_nothing_when_the_answer_leaves_it_out():
    """simulate computes it only for an answer that holds `flow` (the page asks for it only near its view)."""
    flowing = SimConfig(cell="lstm", seq_len=1000, hidden_size=256, flow_steps=128)
    assert estimate_cost(flowing).flow > 0
    assert estimate_cost(dataclasses.replace(flowing, fields=("flow", "loss"))).flow == estimate_cost(flowing).flow
    without = dataclasses.replace(flowing, fields=("loss", "grad_h_log10_abs"))
    assert estimate_cost(without).flow == 0.0
    assert estimate_cost(without).sequences == estimate_cost(flowing).sequences
