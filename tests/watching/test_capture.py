"""gradflow.watch on a real torch module: the hooks capture exactly what the replay needs, the replay equals the
module's own autograd, and what the replay cannot follow is refused in words."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests import needs
from tests.torch_reference import unrolled

CASES = [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")]


@pytest.fixture
def torch():
    return needs.torch()


def make(torch, cell, activation="tanh", dtype=None, **kw):
    kind = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
    extra = {"nonlinearity": activation} if cell == "rnn" else {}
    return kind(kw.pop("input_size", 3), kw.pop("hidden_size", 5), dtype=dtype or torch.float64, **extra, **kw)


def recorded(monkeypatch):
    """The captures the watcher hands to its replay, in order (the replay still runs, in a thread of this process
    so the test can see it)."""
    from gradflow.watching import capture

    monkeypatch.setattr(capture, "REPLAY_IN", "thread")
    seen = []
    real = capture.replay

    def keep(c):
        seen.append(c)
        return real(c)

    monkeypatch.setattr(capture, "replay", keep)
    return seen


@pytest.mark.parametrize(("cell", "activation"), CASES)
@pytest.mark.parametrize("num_layers", [1, 3])
@pytest.mark.parametrize("batch_first", [False, True])
def test_the_replay_equals_autograd_of_the_module_unrolled(
    torch, monkeypatch, tmp_path, cell, activation, num_layers, batch_first
):
    import gradflow
    from gradflow.watching.replay import dL_dh

    torch.manual_seed(3)
    captures = recorded(monkeypatch)
    module = make(torch, cell, activation, num_layers=num_layers, batch_first=batch_first)
    T, N, L, H = 7, 4, num_layers, 5
    rng = np.random.default_rng(5)
    x = rng.standard_normal((T, N, 3))
    h0 = rng.standard_normal((L, N, H))
    c0 = rng.standard_normal((L, N, H))
    w_out, w_h, w_c = rng.standard_normal((T, N, H)), rng.standard_normal((L, N, H)), rng.standard_normal((L, N, H))
    xt = torch.tensor(x.transpose(1, 0, 2) if batch_first else x)
    hx = (torch.tensor(h0), torch.tensor(c0)) if cell == "lstm" else torch.tensor(h0)
    with gradflow.watch(module, tmp_path, every=1, name="run") as w:
        y, final = module(xt, hx)
        h_n, c_n = final if cell == "lstm" else (final, None)
        y_tm = y.transpose(0, 1) if batch_first else y
        # every output step and the final state(s) reach the loss
        loss = (torch.tensor(w_out) * y_tm).sum() + (torch.tensor(w_h) * h_n).sum()
        if cell == "lstm":
            loss = loss + (torch.tensor(w_c) * c_n).sum()
        loss.backward()
        w.log(step=0, loss=loss.item())
    ref = unrolled(module, x, h0, c0 if cell == "lstm" else None, w_out, w_h, w_c if cell == "lstm" else None)
    (c,) = captures
    grad_h, grad_c = dL_dh(c)
    for k in range(L):
        np.testing.assert_allclose(grad_h[k], ref.grad_h[k], rtol=1e-10, atol=1e-12, err_msg=f"layer {k}: dL/dh_t")
        if cell == "lstm":
            np.testing.assert_allclose(grad_c[k], ref.grad_c[k], rtol=1e-10, atol=1e-12, err_msg=f"layer {k}: dL/dc_t")
    (snapshot,) = [json.loads(line) for line in (tmp_path / "run" / "snapshots.ndjson").read_text().splitlines()]
    for k in range(L):  # the snapshot's figure: the 2-norm over sequences and units, per layer and step
        expected = np.log10(np.linalg.norm(ref.grad_h[k].reshape(T, -1), axis=1))
        np.testing.assert_allclose(snapshot["depth_flow"][k], expected, rtol=1e-10, err_msg=f"depth_flow layer {k}")
    assert snapshot["grad_h_log10_norm"] == snapshot["depth_flow"][-1]
    assert snapshot["agreement"]["ok"] and snapshot["agreement"]["max_rel_diff"] < 1e-10
    assert set(snapshot["param_grad_log10_norms"]) == {n for n, _ in module.named_parameters()}
    for name, p in module.named_parameters():
        assert snapshot["param_grad_log10_norms"][name] == pytest.approx(np.log10(p.grad.norm().item()), abs=1e-9)


def test_a_float32_module_agrees_with_its_own_grad_and_says_so(torch, tmp_path):
    import gradflow

    torch.manual_seed(0)
    module = make(torch, "lstm", dtype=torch.float32, num_layers=2, hidden_size=16)
    head = torch.nn.Linear(16, 1)
    opt = torch.optim.Adam([*module.parameters(), *head.parameters()], lr=1e-2)
    with gradflow.watch(module, tmp_path, every=5, name="f32") as w:
        for step in range(20):
            x = torch.randn(30, 8, 3)
            y, _ = module(x)
            loss = (head(y[-1]) - x[0, :, :1]).pow(2).mean()
            opt.zero_grad()  # after the forward, as many loops do: the check must not count the old .grad
            loss.backward()
            opt.step()
            w.log(step=step, loss=loss.item())
    snapshots = [json.loads(s) for s in (tmp_path / "f32" / "snapshots.ndjson").read_text().splitlines()]
    # a replay that falls behind on a loaded machine drops a step and counts it, never queues without bound
    steps = [s["step"] for s in snapshots]
    assert set(steps) <= {0, 5, 10, 15} and steps == sorted(steps) and len(steps) + w.dropped == 4 and steps
    for s in snapshots:
        a = s["agreement"]
        assert a["ok"] and a["dtype"] == "float32" and a["max_rel_diff"] < 1e-4, a
        assert a["statement"].startswith("replay agrees with your autograd to") and "float32 run" in a["statement"]


def test_gradients_accumulated_over_two_backwards_are_this_backwards_share(torch, tmp_path):
    import gradflow

    module = make(torch, "gru", num_layers=1)
    with gradflow.watch(module, tmp_path, every=2, name="acc") as w:
        for _ in range(2):  # .grad accumulates: never zeroed
            y, _ = module(torch.randn(6, 2, 3, dtype=torch.float64))
            y.sum().backward()
        w.log(step=1)
    (s,) = [json.loads(line) for line in (tmp_path / "acc" / "snapshots.ndjson").read_text().splitlines()]
    assert s["agreement"]["ok"], s["agreement"]


def test_a_loss_the_replay_cannot_see_is_flagged_not_hidden(torch, tmp_path):
    import gradflow

    module = make(torch, "rnn")
    with gradflow.watch(module, tmp_path, every=1, name="penalty") as w:
        y, _ = module(torch.randn(5, 2, 3, dtype=torch.float64))
        (y.sum() + 10.0 * module.weight_hh_l0.pow(2).sum()).backward()  # a weight penalty bypasses the outputs
        w.log(step=0)
    (s,) = [json.loads(line) for line in (tmp_path / "penalty" / "snapshots.ndjson").read_text().splitlines()]
    assert not s["agreement"]["ok"] and "DIFFERS" in s["agreement"]["statement"]
    assert any(w.startswith("agreement:") for w in s["warnings"])


def test_only_every_nth_training_forward_with_grad_is_watched(torch, tmp_path):
    import gradflow

    module = make(torch, "lstm")
    x = torch.randn(4, 2, 3, dtype=torch.float64)
    with gradflow.watch(module, tmp_path, every=3, name="n") as w:
        for step in range(7):
            module(x)[0].sum().backward()
            w.log(step=step)
        module.eval()
        module(x)[0].sum().backward()  # evaluation mode: not a training forward
        module.train()
        with torch.no_grad():
            module(x)
    lines = (tmp_path / "n" / "snapshots.ndjson").read_text().splitlines()
    assert [json.loads(s)["step"] for s in lines] == [0, 3, 6]
    assert w.forwards == 7


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda t: t.nn.LSTM(3, 4, bidirectional=True), "bidirectional=True is not supported"),
        (lambda t: t.nn.LSTM(3, 4, proj_size=2), "proj_size=2 is not supported"),
        (lambda t: t.nn.LSTMCell(3, 4), "got LSTMCell"),
        (lambda t: t.nn.Linear(3, 4), "follows torch.nn.RNN, torch.nn.LSTM or torch.nn.GRU, got Linear"),
        (lambda t: t.nn.GRU(3, 4, num_layers=2, dropout=0.5), "dropout=0.5"),
    ],
)
def test_what_the_replay_cannot_follow_is_refused_at_watch(torch, tmp_path, build, words):
    import gradflow
    from gradflow.watching.capture import WatchError

    with pytest.raises(WatchError, match=words.replace("(", r"\(").replace(")", r"\)")):
        gradflow.watch(build(torch), tmp_path)


def test_packed_and_unbatched_inputs_are_refused_at_the_first_forward(torch, tmp_path):
    import gradflow
    from gradflow.watching.capture import WatchError

    module = make(torch, "gru")
    with gradflow.watch(module, tmp_path, name="p"):
        packed = torch.nn.utils.rnn.pack_padded_sequence(torch.randn(5, 2, 3, dtype=torch.float64), [5, 3])
        with pytest.raises(WatchError, match="PackedSequence input is not supported"):
            module(packed)
        with pytest.raises(WatchError, match="unbatched input"):
            module(torch.randn(5, 3, dtype=torch.float64))


def test_an_unwritable_logdir_is_one_clear_error(torch, tmp_path):
    import gradflow

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OSError, match="cannot write the run directory"):
        gradflow.watch(make(torch, "rnn"), blocker)


def test_a_full_queue_drops_and_counts_instead_of_waiting(torch, tmp_path, monkeypatch):
    import threading

    import gradflow
    from gradflow.watching import capture

    release = threading.Event()
    real = capture.replay

    def slow(c):
        release.wait(10)
        return real(c)

    monkeypatch.setattr(capture, "replay", slow)
    monkeypatch.setattr(capture, "REPLAY_IN", "thread")
    module = make(torch, "rnn")
    w = gradflow.watch(module, tmp_path, every=1, name="q")
    for _ in range(1 + capture.QUEUE_SIZE + 3):  # one in the replay, QUEUE_SIZE waiting, the rest dropped
        module(torch.randn(3, 1, 3, dtype=torch.float64))[0].sum().backward()
    assert w.dropped >= 3
    release.set()
    w.close()
    lines = [json.loads(s) for s in (tmp_path / "q" / "snapshots.ndjson").read_text().splitlines()]
    assert len(lines) == 1 + capture.QUEUE_SIZE + 3 - w.dropped
    assert lines[-1]["dropped"] == w.dropped


def test_the_replay_process_drops_and_counts_when_it_falls_behind(torch, tmp_path):
    """In the default replay process: a burst of watched steps faster than the replay is bounded, never queued
    without end, and every snapshot that is kept agrees."""
    import gradflow
    from gradflow.watching import capture

    module = make(torch, "lstm", hidden_size=64, num_layers=2)
    with gradflow.watch(module, tmp_path, every=1, name="burst") as w:
        for _ in range(12):
            module(torch.randn(200, 8, 3, dtype=torch.float64))[0].sum().backward()
    lines = [json.loads(s) for s in (tmp_path / "burst" / "snapshots.ndjson").read_text().splitlines()]
    assert len(lines) + w.dropped == 12 and len(lines) >= 1 + capture.QUEUE_SIZE
    assert all(s["agreement"]["ok"] for s in lines)
