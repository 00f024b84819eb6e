"""Every null in an answer comes with a warning that names the field (and the steps, over time)."""

import dataclasses

import numpy as np
import pytest
from gradflow.core.config import SimConfig
from gradflow.core.nulls import null_warnings
from gradflow.core.simulate import simulate

EXPLODING = SimConfig(cell="rnn", activation="linear", init="orthogonal", recurrent_scale=2.5, seq_len=800)


def _null_paths(value, path=""):
    """Dotted paths of every NaN (JSON null) in an answer, skipping the flow matrix's t > t' half."""
    if isinstance(value, dict):
        for key, item in value.items():
            if path or key not in ("config", "warnings", "elapsed_ms", "flow"):
                yield from _null_paths(item, f"{path}.{key}" if path else key)
    elif isinstance(value, float | np.ndarray) and np.isnan(value).any():
        yield path


def test_a_time_array_names_its_steps_and_points_at_its_exact_log10():
    answer = {
        "grad_h": np.array([[np.nan, 1.0], [1.0, 2.0], [np.nan, np.nan]]),
        "grad_h_log10_norm": np.array([400.0, 1.0, 500.0]),
    }
    (msg,) = null_warnings(answer)
    assert msg.startswith("grad_h is beyond float64's range at steps 1, 3")
    assert "grad_h_log10_norm" in msg and "10^500.0" in msg
    assert null_warnings({"grad_h": np.ones((2, 2))}) == []


def test_a_log10_null_is_an_exact_zero():
    (msg,) = null_warnings({"grad_h_log10_norm": np.array([np.nan, np.nan, 0.5])})
    assert "grad_h_log10_norm is null at steps 1-2" in msg and "exactly zero" in msg


def test_a_log10_null_that_is_not_finite_does_not_claim_an_exact_zero():
    """+inf in a log10 field marks a value that float64 arithmetic could not hold (it overflowed, or became
    NaN, before it was rescaled): its warning says that, and only the NaN steps are called exact zeros."""
    zero, lost = null_warnings({"grad_h_log10_norm": np.array([np.nan, 0.5, np.inf, np.inf])})
    assert zero.startswith("grad_h_log10_norm is null at steps 1:") and "exactly zero" in zero
    assert lost.startswith("grad_h_log10_norm is null at steps 3-4:") and "exactly zero" not in lost
    assert "not finite" in lost
    (msg,) = null_warnings({"grad_norm_log10": np.inf})
    assert "exactly zero" not in msg and "not finite" in msg
    flow = {"loss_steps": [2], "steps": [1, 2], "log10_norm": np.array([[np.inf, 0.0]])}
    (msg,) = null_warnings({"flow": flow})
    assert msg.startswith("flow.log10_norm is null in 1 entries with t <= t'") and "exactly zero" not in msg


def test_flow_nulls_above_the_diagonal_need_no_warning():
    flow = {
        "loss_steps": [2, 4],
        "steps": [1, 3, 4],
        "log10_norm": np.array([[0.0, np.nan, np.nan], [-1.0, -0.5, 0.0]]),
    }
    assert null_warnings({"flow": flow}) == []
    flow["log10_norm"][1, 0] = np.nan
    (msg,) = null_warnings({"flow": flow})
    assert msg.startswith("flow.log10_norm is null in 1 entries with t <= t'")


def test_the_exploding_preset_names_every_null():
    """rnn, linear, orthogonal, s = 2.5, T = 800: grad_h_norm passes float64 at step 25 while every component
    of grad_h there is still finite; the loss, its batch mean and the clipping totals are null too."""
    r = simulate(EXPLODING)
    assert np.isnan(r["grad_h_norm"][24]) and np.isfinite(r["grad_h"][24]).all()
    nulls = set(_null_paths(r))
    assert {"grad_h_norm", "loss", "loss_batch_mean", "clipping.total_norm", "clipping.clipped_total_norm"} <= nulls
    for path in nulls:
        assert any(w.startswith(f"{path} ") for w in r["warnings"]), (path, r["warnings"])
    (msg,) = [w for w in r["warnings"] if w.startswith("grad_h_norm ")]
    assert "at steps 1-25" in msg


@pytest.mark.parametrize(
    "cfg",
    [
        EXPLODING,
        SimConfig(cell="rnn", activation="relu", recurrent_scale=50.0, seq_len=400, batch_size=3, return_params=True),
        SimConfig(cell="lstm", recurrent_scale=100.0, seq_len=300, clip_mode="value", clip_scope="bptt"),
        SimConfig(
            cell="rnn",
            activation="linear",
            recurrent_scale=3.0,
            seq_len=1000,
            clip_mode="norm",
            return_params=True,
            input_kind="zeros",
        ),
    ],
)
def test_every_null_has_a_warning_naming_it(cfg):
    r = simulate(cfg)
    for path in _null_paths(r):
        assert any(w.startswith(f"{path} ") for w in r["warnings"]), (path, r["warnings"])


def test_a_memory_horizon_beyond_the_sequence_is_explained():
    r = simulate(SimConfig(cell="rnn", activation="linear", recurrent_scale=1.0, seq_len=100))
    assert r["memory_horizon"] is None
    assert any(w.startswith("memory_horizon is null") for w in r["warnings"])


def test_a_stack_fed_by_a_layer_that_left_float64_claims_no_false_exact_zero():
    """Two linear rnn layers, s = 2.5, T = 800: layer 0's state leaves float64, so layer 1 gets NaN inputs
    and its input-side gradients hold NaN. Every log10 null said to be an exact zero must be one."""
    r = simulate(dataclasses.replace(EXPLODING, num_layers=2, return_params=True))
    assert np.isnan(r["param_grads"]["weight_ih_l1"]).any()
    zeros = [w.split(" ")[0] for w in r["warnings"] if "exactly zero" in w]
    for path in zeros:
        name = path.removeprefix("param_grad_log10_norms.")
        assert name in r["param_grads"] and (r["param_grads"][name] == 0).all(), path
    assert any(w.startswith("param_grad_log10_norms.weight_ih_l1 is null") and "not finite" in w for w in r["warnings"])
