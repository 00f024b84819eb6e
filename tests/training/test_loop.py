"""The training loop: exact gradients of one step, the run's events, and outcomes that hold across seeds."""

import dataclasses

import numpy as np
import pytest
from gradflow.core.init import stream
from gradflow.training import TrainConfig, train
from gradflow.training.loop import init_network, step_gradients
from gradflow.training.optim import make_optimizer
from gradflow.training.tasks import TASKS

from tests.core.reference import assert_same_bits


def _fd_check(cfg: TrainConfig, picks: int = 6, eps: float = 1e-6) -> None:
    """Central differences of the batch loss against the backward, for `picks` entries of every array."""
    weights = init_network(cfg)
    batch = TASKS[cfg.task].batch(stream(cfg.seed, "task"), cfg.batch_size, cfg.seq_len)
    grads = step_gradients(cfg, weights, batch).grads.values()
    rng = np.random.default_rng(1)
    for name, w in weights.items():
        for flat in rng.choice(w.size, size=min(picks, w.size), replace=False):
            idx = np.unravel_index(flat, w.shape)
            keep = w[idx]
            w[idx] = keep + eps
            up = step_gradients(cfg, weights, batch).loss
            w[idx] = keep - eps
            down = step_gradients(cfg, weights, batch).loss
            w[idx] = keep
            fd = (up - down) / (2 * eps)
            assert grads[name][idx] == pytest.approx(fd, rel=1e-6, abs=1e-9), (name, idx, grads[name][idx], fd)


@pytest.mark.parametrize("task", ["adding", "recall"])
@pytest.mark.parametrize(("cell", "activation"), [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")])
def test_one_step_gradients_equal_central_differences(cell, activation, task):
    cfg = TrainConfig(
        cell=cell,
        activation=activation,
        task=task,
        seq_len=6,
        hidden_size=4,
        batch_size=3,
        recurrent_scale=1.2,
        forget_bias=0.5,
        seed=7,
    )
    _fd_check(cfg)


def test_the_profile_is_the_batch_loss_gradient_per_step():
    """grad_h_log10_norm[t] = log10 of the 2-norm over sequences and units of dL/dh_t for L the batch mean."""
    cfg = TrainConfig(cell="gru", seq_len=5, hidden_size=3, batch_size=4, seed=3)
    weights = init_network(cfg)
    batch = TASKS[cfg.task].batch(stream(cfg.seed, "task"), cfg.batch_size, cfg.seq_len)
    r = step_gradients(cfg, weights, batch)
    # dL/dh_T through the readout alone: dy_n W_out / N for each sequence n
    h_T = _last_hidden(cfg, weights, batch.x)
    y = h_T @ weights["readout_weight"].T + weights["readout_bias"]
    dh_T = (2 * (y[:, 0] - batch.target))[:, None] * weights["readout_weight"] / cfg.batch_size
    assert r.grad_h_log10_norm[-1] == pytest.approx(np.log10(np.linalg.norm(dh_T)), rel=1e-13)


def _last_hidden(cfg, weights, x):
    from gradflow.core.cells import forward
    from gradflow.core.params import Params

    tr = forward(cfg.cell, cfg.activation, Params(*(weights[n] for n in Params.NAMES)), x)
    return tr.h[-1]


def test_same_seed_same_run():
    cfg = TrainConfig(cell="lstm", seq_len=8, hidden_size=6, steps=15, report_every=5)
    runs = [[e for e in train(cfg)] for _ in range(2)]
    assert [e.get("loss") for e in runs[0]] == [e.get("loss") for e in runs[1]]
    assert [e["step"] for e in runs[0][:-1]] == [1, 5, 10, 15]
    assert runs[0][-1]["type"] == "summary" and runs[0][-1]["steps_done"] == 15


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_an_lstm_learns_the_adding_problem_at_t10(seed):
    cfg = TrainConfig(
        cell="lstm",
        task="adding",
        seq_len=10,
        hidden_size=16,
        batch_size=32,
        steps=500,
        learning_rate=1e-2,
        optimizer="adam",
        forget_bias=1.0,
        seed=seed,
        report_every=50,
    )
    events = list(train(cfg))
    late = [e["loss"] for e in events if e["type"] == "progress" and e["step"] >= 400]
    assert np.mean(late) < 0.5 * TASKS["adding"].baseline, late


RESCUE = TrainConfig(
    cell="rnn",
    task="adding",
    seq_len=20,
    hidden_size=32,
    batch_size=32,
    learning_rate=0.1,
    optimizer="sgd",
    recurrent_scale=1.5,
    steps=600,
    report_every=50,
)


def test_clipping_rescues_an_exploding_rnn():
    """Without clipping the gradient norm climbs past 1e100 and the run goes non-finite; clipped by norm at
    1 the same runs stay finite and end under the baseline."""
    diverged = 0
    for seed in range(3):
        plain = list(train(dataclasses.replace(RESCUE, seed=seed)))
        summary = plain[-1]
        if summary["diverged"]:
            diverged += 1
            assert max(e["grad_norm_log10"] or 0 for e in plain[:-1]) > 100
            assert any("diverged" in w for w in plain[-2]["warnings"])
        clipped = list(train(dataclasses.replace(RESCUE, seed=seed, clip_mode="norm", clip_threshold=1.0, steps=1500)))
        assert not clipped[-1]["diverged"] and clipped[-1]["steps_done"] == 1500
        late = [e["loss"] for e in clipped[:-1] if e["step"] >= 1200]
        assert np.mean(late) < TASKS["adding"].baseline, late
        assert all(e["clipped_grad_norm"] <= 1.0 + 1e-12 for e in clipped[:-1])
    assert diverged >= 2


def _exact_log10_norm(values: np.ndarray) -> float:
    """log10 of the 2-norm of `values`, the squares summed exactly as Fractions and the logarithm taken in
    50-digit decimals: no float64 range limit anywhere."""
    import decimal
    from fractions import Fraction

    total = sum(Fraction(float(x)) ** 2 for x in values.ravel())
    with decimal.localcontext() as ctx:
        ctx.prec = 50
        return float((decimal.Decimal(total.numerator).log10() - decimal.Decimal(total.denominator).log10()) / 2)


def test_an_unclipped_exploding_rnn_still_reports_dl_dh_t_past_1e154():
    """The unclipped RESCUE run (seed 0) at step 200: loss 2.7e282 and dL/dh_T about 1e281, whose squares
    overflow. Its log10 norm is still reported, and equals the exact one (the weights of step 200 rebuilt
    here step by step); steps whose value is null are said to be exact zeros only where they are."""
    cfg = dataclasses.replace(RESCUE, steps=200, report_every=50, seed=0)
    event = [e for e in train(cfg) if e.get("step") == 200][0]
    profile = event["grad_h_log10_norm"]
    weights = init_network(cfg)
    rng = stream(cfg.seed, "task")
    for step in range(1, 201):
        batch = TASKS[cfg.task].batch(rng, cfg.batch_size, cfg.seq_len)
        if step < 200:
            make_optimizer(cfg.optimizer, cfg.learning_rate).step(
                weights, step_gradients(cfg, weights, batch).grads.values()
            )
    h_T = _last_hidden(cfg, weights, batch.x)
    y = h_T @ weights["readout_weight"].T + weights["readout_bias"]
    assert np.mean((y[:, 0] - batch.target) ** 2) == event["loss"] > 1e282
    # dL/dh_T of the batch-mean loss: row n is 2 (y_n - target_n) W_out / N
    dh_T = (2 * (y[:, 0] - batch.target))[:, None] * weights["readout_weight"]
    assert profile[-1] == pytest.approx(_exact_log10_norm(dh_T) - np.log10(cfg.batch_size), rel=1e-15)
    assert profile[-1] > 281
    (msg,) = [w for w in event["warnings"] if w.startswith("grad_h_log10_norm ")]
    nulls = (np.flatnonzero(np.isnan(profile)) + 1).tolist()
    assert msg.startswith(f"grad_h_log10_norm is null at steps 1-{cfg.seq_len - 1}:") and nulls == list(range(1, 20))
    # those are exact zeros in float64: every unit of h_T is tanh rounded to +-1, so 1 - h_T**2 = 0 passes
    # nothing back to step T - 1 (nor further)
    assert (1.0 - h_T**2 == 0).all() and "exactly zero" in msg


def test_stop_when_solved_ends_the_run_at_the_solving_step():
    cfg = TrainConfig(
        cell="gru",
        task="adding",
        seq_len=10,
        hidden_size=16,
        steps=1500,
        stop_when_solved=True,
        report_every=100,
        seed=1,
    )
    *progress, summary = train(cfg)
    assert summary["solved"] and summary["steps_done"] == summary["solved_at"] == progress[-1]["step"]
    assert progress[-1]["loss"] < 0.1 * summary["baseline_loss"]


def test_a_diverged_run_names_every_null():
    cfg = dataclasses.replace(RESCUE, steps=400, seed=0)
    *progress, summary = train(cfg)
    assert summary["diverged"] and summary["diverged_at"] == progress[-1]["step"]
    last = progress[-1]
    for key, value in {**last, **summary}.items():
        if value is None and key not in ("solved_at", "memory_horizon"):
            assert any(key in w for w in last["warnings"] + summary["warnings"]), key


@pytest.mark.parametrize("task", ["adding", "recall"])
@pytest.mark.parametrize(("cell", "activation"), [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")])
def test_a_step_in_the_run_s_workspace_is_the_step_without_it_bit_for_bit(cell, activation, task):
    """train() reuses one workspace for every step's large arrays: the loss, metric, gradients, profile and gate
    mean are those of a step computed on its own, bit for bit, also after the workspace held another step."""
    from gradflow.core.workspace import Workspace

    cfg = TrainConfig(cell=cell, activation=activation, task=task, seq_len=12, hidden_size=5, batch_size=4, seed=2)
    weights = init_network(cfg)
    rng = stream(cfg.seed, "task")
    ws = Workspace()
    for _ in range(3):
        batch = TASKS[cfg.task].batch(rng, cfg.batch_size, cfg.seq_len)
        alone, kept = step_gradients(cfg, weights, batch), step_gradients(cfg, weights, batch, ws)
        for field in ("loss", "metric", "gate_mean"):
            assert np.float64(getattr(kept, field)).tobytes() == np.float64(getattr(alone, field)).tobytes(), field
        assert kept.grad_h_log10_norm.tobytes() == alone.grad_h_log10_norm.tobytes()
        assert kept.grads.exp == alone.grads.exp and kept.grads.m.keys() == alone.grads.m.keys()
        for name, g in alone.grads.m.items():
            assert kept.grads.m[name].tobytes() == g.tobytes(), name
        for w in weights.values():
            w *= 1.1  # the next step has other weights


@pytest.mark.parametrize(
    "kw",
    [
        dict(cell="lstm", steps=23, report_every=5),
        dict(cell="gru", task="recall", clip_mode="norm", clip_threshold=0.1, steps=17, report_every=4),
        dict(cell="rnn", clip_mode="value", clip_threshold=0.01, steps=12, report_every=3),
        dict(cell="rnn", seq_len=8, learning_rate=0.05, steps=400, report_every=7, stop_when_solved=True),
        dict(cell="rnn", activation="linear", recurrent_scale=2.0, seq_len=50, optimizer="sgd", learning_rate=1.0),
    ],
)
def test_steps_that_report_nothing_skip_the_report_and_change_nothing(kw):
    """A step that is not reported computes no clipping report, profile or memory horizon, only the gradients
    it applies: the events of the steps that are reported (every report_every-th, the first, the last, one that
    solves or diverges) and the summary are those of the same run reporting every step, bit for bit."""
    cfg = TrainConfig(**{"seq_len": 10, "hidden_size": 6, "batch_size": 5, "seed": 4, "return_weights": True, **kw})
    every = {e.get("step", "summary"): e for e in train(dataclasses.replace(cfg, report_every=1))}
    some = list(train(cfg))
    assert some[-1]["type"] == "summary" and (len(some) < len(every) or some[-1]["diverged_at"] == 2)
    for event in some:
        want = every[event.get("step", "summary")]
        assert event.keys() == want.keys()
        for key, value in event.items():
            if key in ("elapsed_ms", "config"):
                continue
            if isinstance(value, dict):  # the summary's weights
                for name, a in value.items():
                    assert_same_bits(a, want[key][name], name)
            elif isinstance(value, (np.ndarray, float)):
                assert_same_bits(value, want[key], key)
            else:
                assert value == want[key], key
