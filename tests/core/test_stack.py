"""Stacked layers against central finite differences of the naive reference, layer by layer, every cell."""

import numpy as np
import pytest
from gradflow.core.bptt import seeds_for_loss
from gradflow.core.config import SimConfig
from gradflow.core.init import make_run
from gradflow.core.logscale import to_float
from gradflow.core.params import Params
from gradflow.core.simulate import simulate
from gradflow.core.stack import stack_forward, stack_param_grads, stack_sweep, state_dict_name

from .reference import central_difference, run

CASES = [("rnn", "tanh"), ("rnn", "relu"), ("rnn", "linear"), ("lstm", "tanh"), ("gru", "tanh")]
TOL = dict(rtol=1e-6, atol=1e-8)


def run_stack(cell, activation, layers, x, v, loss, bumps=None, cell_bumps=None):
    """Loss of one sequence through the stack; bumps: {(layer, t): (H,)} added to h_t (or c_t) of that layer."""
    bumps, cell_bumps = bumps or {}, cell_bumps or {}
    inputs = x
    for layer, p in enumerate(layers):
        top = layer == len(layers) - 1
        dh = {t: b for (l, t), b in bumps.items() if l == layer}
        dc = {t: b for (l, t), b in cell_bumps.items() if l == layer}
        total, inputs = run(cell, activation, p, inputs, v if top else np.zeros_like(v), loss, dh, dc)
    return total


def setup(cell, activation, loss, num_layers, T=5, H=3, I=2, B=2, seed=3):
    cfg = SimConfig(
        cell=cell,
        activation=activation,
        seq_len=T,
        hidden_size=H,
        input_size=I,
        batch_size=B,
        seed=seed,
        loss=loss,
        init="gaussian",
        recurrent_scale=1.2,
        forget_bias=0.5,
        num_layers=num_layers,
    )
    layers, v, x = make_run(cfg)
    traces = stack_forward(cell, activation, layers, x)
    deltas = stack_sweep(traces, layers, v, seeds_for_loss(loss, T, B))
    return cfg, layers, v, x, traces, deltas


@pytest.mark.parametrize("num_layers", [2, 3])
@pytest.mark.parametrize("loss", ["last", "all"])
@pytest.mark.parametrize("cell,activation", CASES)
def test_state_grads_of_every_layer_match_finite_differences(cell, activation, loss, num_layers):
    cfg, layers, v, x, traces, deltas = setup(cell, activation, loss, num_layers)
    ps = [p.as_dict() for p in layers]
    for layer, d in enumerate(deltas):
        for t in range(cfg.seq_len):
            bump = np.zeros(cfg.hidden_size)
            num = central_difference(
                lambda: run_stack(cell, activation, ps, x[:, 0], v, loss, {(layer, t): bump}), bump
            )
            np.testing.assert_allclose(
                to_float(d.dh[t, 0], d.exp[t, 0]), num, **TOL, err_msg=f"layer {layer}: dL/dh_{t + 1}"
            )
            if cell == "lstm":
                num_c = central_difference(
                    lambda: run_stack(cell, activation, ps, x[:, 0], v, loss, cell_bumps={(layer, t): bump}), bump
                )
                np.testing.assert_allclose(
                    to_float(d.dc[t, 0], d.exp[t, 0]), num_c, **TOL, err_msg=f"layer {layer}: dL/dc_{t + 1}"
                )


@pytest.mark.parametrize("loss", ["last", "all"])
@pytest.mark.parametrize("cell,activation", CASES)
def test_param_grads_of_every_layer_match_finite_differences(cell, activation, loss):
    cfg, layers, v, x, traces, deltas = setup(cell, activation, loss, 2)
    grads, grad_x = stack_param_grads(traces, layers, deltas)
    values = grads.values()
    ps = [{k: a.copy() for k, a in p.as_dict().items()} for p in layers]

    def mean_loss():
        return np.mean([run_stack(cell, activation, ps, x[:, b], v, loss) for b in range(x.shape[1])])

    for layer, p in enumerate(ps):
        for name in p:
            key = state_dict_name(name, layer, 2)
            np.testing.assert_allclose(values[key], central_difference(mean_loss, p[name]), **TOL, err_msg=f"dL/d{key}")
    x0 = x[:, 0].copy()
    num_x = central_difference(lambda: run_stack(cell, activation, ps, x0, v, loss), x0)
    np.testing.assert_allclose(grad_x, num_x, **TOL, err_msg="dL/dx_t of sequence 0")


def test_the_answer_describes_the_top_layer_and_every_layer_below():
    r = simulate(SimConfig(cell="lstm", seq_len=12, hidden_size=5, num_layers=3, return_params=True))
    assert len(r["layers"]) == 3 and r["depth_flow"].shape == (3, 12)
    top = r["layers"][-1]
    for key in ("hidden", "cell_state", "grad_h", "grad_h_log10_norm", "grad_c_log10_abs"):
        np.testing.assert_array_equal(r[key], top[key], err_msg=key)
    assert r["memory_horizon"] == top["memory_horizon"]
    np.testing.assert_array_equal(r["depth_flow"][0], r["layers"][0]["grad_h_log10_norm"])
    assert set(r["params"]) == {
        f"{n}_l{k}" for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh") for k in range(3)
    } | {"readout"}
    assert r["params"]["weight_ih_l1"].shape == (20, 5)
    np.testing.assert_allclose(r["spectrum"]["spectral_radius"], top["spectrum"]["spectral_radius"], rtol=1e-12)


def test_a_stack_starts_with_the_one_layer_weights():
    one = make_run(SimConfig(cell="gru", num_layers=1))[0]
    three = make_run(SimConfig(cell="gru", num_layers=3))[0]
    for name, value in one[0].as_dict().items():
        np.testing.assert_array_equal(three[0].as_dict()[name], value)


@pytest.mark.parametrize("mode", ["norm", "value"])
def test_clipping_covers_every_layer(mode):
    r = simulate(
        SimConfig(
            cell="rnn",
            activation="linear",
            recurrent_scale=1.5,
            seq_len=30,
            hidden_size=4,
            num_layers=2,
            clip_mode=mode,
            clip_threshold=0.01,
            return_params=True,
        )
    )
    before = r["param_grads"]
    total = np.linalg.norm([np.linalg.norm(g) for g in before.values()])
    assert r["clipping"]["total_norm"] == pytest.approx(total, rel=1e-14)
    assert {k for k in before} == {k for k in r["params"] if k != "readout"}
    for k, g in r["clipped_param_grads"].items():
        expected = np.clip(before[k], -0.01, 0.01) if mode == "value" else before[k] * r["clipping"]["scale"]
        np.testing.assert_array_equal(g, expected, err_msg=k)


TORCH_CASES = [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")]


@pytest.mark.parametrize(("cell", "activation"), TORCH_CASES)
@pytest.mark.parametrize("num_layers", [1, 3])
def test_gradients_given_at_the_outputs_match_torch_autograd(cell, activation, num_layers):
    """The loss's gradient enters at the top layer's every output, at each layer's final h_T (and c_T), from
    non-zero initial states: every layer's total dL/dh_t and dL/dc_t, and every weight's gradient, equal torch's
    autograd of the same network unrolled cell by cell in float64."""
    from gradflow.core.stack import stack_sweep_from_outputs

    from tests import needs
    from tests.torch_reference import unrolled

    torch = needs.torch()
    torch.manual_seed(7)
    T, N, I, H = 6, 3, 2, 4
    kind = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
    extra = {"nonlinearity": activation} if cell == "rnn" else {}
    module = kind(I, H, num_layers=num_layers, dtype=torch.float64, **extra)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((T, N, I))
    h0, c0 = rng.standard_normal((num_layers, N, H)), rng.standard_normal((num_layers, N, H))
    d_out, d_h, d_c = rng.standard_normal((T, N, H)), rng.standard_normal((num_layers, N, H)), None
    if cell == "lstm":
        d_c = rng.standard_normal((num_layers, N, H))
    ref = unrolled(module, x, h0, c0 if cell == "lstm" else None, d_out, d_h, d_c)

    layers = [
        Params(*(getattr(module, f"{name}_l{k}").detach().numpy().copy() for name in Params.NAMES))
        for k in range(num_layers)
    ]
    traces = stack_forward(cell, activation, layers, x, h0, c0 if cell == "lstm" else None)
    np.testing.assert_allclose(to_float(traces[-1].h, traces[-1].h_exp), ref.outputs, rtol=1e-12, atol=1e-14)
    deltas = stack_sweep_from_outputs(traces, layers, d_out, d_h, d_c)
    for k, d in enumerate(deltas):
        got = to_float(d.dh, d.exp)
        np.testing.assert_allclose(got, ref.grad_h[k], rtol=1e-10, atol=1e-13, err_msg=f"layer {k}: dL/dh_t")
        if cell == "lstm":
            np.testing.assert_allclose(
                to_float(d.dc, d.exp), ref.grad_c[k], rtol=1e-10, atol=1e-13, err_msg=f"layer {k}: dL/dc_t"
            )
    grads, _ = stack_param_grads(traces, layers, deltas)
    for key, value in grads.values().items():
        name = key if num_layers > 1 else f"{key}_l0"
        np.testing.assert_allclose(value * N, ref.param_grads[name], rtol=1e-10, atol=1e-13, err_msg=name)
