"""The replay of a captured step, without torch: what a snapshot holds, and the agreement check's verdicts."""

from __future__ import annotations

import numpy as np
import pytest
from gradflow.core.logscale import to_float
from gradflow.core.stack import stack_forward, stack_param_grads, stack_sweep_from_outputs
from gradflow.watching.replay import AGREEMENT_TOLERANCE, agreement, dL_dh, replay

from .runs_support import capture


def test_a_snapshot_holds_the_flow_per_layer_and_step_over_the_watched_sequences():
    c = capture(0, N=3)
    snapshot = replay(c)
    grad_h, grad_c = dL_dh(c)
    watched = grad_h[-1][:, : c.watched]  # the first max_sequences sequences
    expected = np.log10(np.linalg.norm(watched.reshape(len(watched), -1), axis=1))
    np.testing.assert_allclose(snapshot["grad_h_log10_norm"], expected, rtol=1e-12)
    np.testing.assert_allclose(
        snapshot["grad_c_log10_norm"],
        np.log10(np.linalg.norm(grad_c[-1][:, : c.watched].reshape(len(watched), -1), axis=1)),
        rtol=1e-12,
    )
    assert np.shape(snapshot["depth_flow"]) == (2, 6) and snapshot["sequences"] == 2 and snapshot["batch_size"] == 3
    assert len(snapshot["spectral_radius"]) == 2 and len(snapshot["forget_gate_mean"]) == 2
    assert snapshot["agreement"] == {
        "checked": False,
        "reason": "the module's .grad was not available at this step",
        "dtype": "float64",
    }


def test_the_weight_gradients_are_sums_over_the_batch():
    """What autograd puts in .grad for a loss whose gradient at the outputs is d_out: a sum, not a mean."""
    c = capture(1)
    traces = stack_forward(c.cell, c.activation, c.layers, c.x)
    deltas = stack_sweep_from_outputs(traces, c.layers, c.d_out, c.d_h_last, c.d_c_last)
    grads, _ = stack_param_grads(traces, c.layers, deltas)
    sums = {f"{k}": v * c.x.shape[1] for k, v in grads.values().items()}
    c.autograd_grads = sums
    assert replay(c)["agreement"]["max_rel_diff"] < 1e-15
    c.autograd_grads = {k: v / c.x.shape[1] for k, v in sums.items()}  # means would not agree
    assert not replay(c)["agreement"]["ok"]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_agreement_is_judged_by_the_dtype(dtype):
    ours = {"w": np.array([1.0, 2.0])}
    just_inside = AGREEMENT_TOLERANCE[dtype] * 0.5
    verdict = agreement(ours, {"w": np.array([1.0, 2.0 * (1 + just_inside)])}, dtype)
    assert verdict["ok"] and verdict["max_rel_diff"] == pytest.approx(
        2 * just_inside / np.hypot(1, 2 * (1 + just_inside)), rel=1e-6
    )
    assert not agreement(ours, {"w": np.array([1.0, 2.5])}, dtype)["ok"]


def test_gradients_past_float64_are_not_called_agreement():
    verdict = agreement({"w": np.array([np.nan])}, {"w": np.array([1.0])}, "float64")
    assert not verdict["ok"] and verdict["max_rel_diff"] is None and "float64's range" in verdict["statement"]


def test_dL_dh_is_the_total_gradient_of_every_layer():
    c = capture(2)
    grad_h, _ = dL_dh(c)
    traces = stack_forward(c.cell, c.activation, c.layers, c.x)
    deltas = stack_sweep_from_outputs(traces, c.layers, c.d_out, c.d_h_last, c.d_c_last)
    for got, d in zip(grad_h, deltas):
        np.testing.assert_array_equal(got, to_float(d.dh, d.exp))
