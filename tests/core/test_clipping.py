"""Clipping against hand-computed cases and against torch's formulas written out."""

import numpy as np
import pytest
from gradflow.core.bptt import ScaledGrads
from gradflow.core.clipping import (
    clip_and_report,
    clip_grad_norm,
    clip_grad_value,
    clip_parameters,
    clip_params_by_norm,
    clip_params_by_value,
    clip_step_norm,
    clip_step_value,
)
from gradflow.core.config import SimConfig
from gradflow.core.simulate import simulate

from .reference import assert_same_bits


def test_norm_clipping_of_3_4():
    (g,), total, coef = clip_grad_norm([np.array([3.0, 4.0])], 1.0)
    assert total == 5.0
    assert coef == 1.0 / (5.0 + 1e-6)
    np.testing.assert_array_equal(g, np.array([3.0, 4.0]) * (1.0 / (5.0 + 1e-6)))
    np.testing.assert_allclose(g, [0.6 * 5 / (5 + 1e-6), 0.8 * 5 / (5 + 1e-6)], rtol=1e-15)


def test_norm_clipping_below_threshold_leaves_grads():
    (g,), total, coef = clip_grad_norm([np.array([0.3, 0.4])], 1.0)
    assert coef == 1.0 and (g == [0.3, 0.4]).all()


def test_global_norm_runs_over_all_tensors():
    grads = [np.array([3.0]), np.array([[4.0, 0.0]]), np.array([12.0])]
    clipped, total, coef = clip_grad_norm(grads, 6.5)
    assert total == 13.0 and coef == 6.5 / (13.0 + 1e-6)
    assert all((c == g * coef).all() for c, g in zip(clipped, grads))


def test_value_clipping():
    (g,) = clip_grad_value([np.array([-3.0, 0.5, 2.0])], 1.0)
    assert g.tolist() == [-1.0, 0.5, 1.0]


def test_scaled_norm_clipping_beyond_float_range():
    """A gradient of [3, 4] * 2^2000: torch would return NaN; the exact answer is [0.6, 0.8] * 1."""
    g = ScaledGrads({"w": np.array([3.0, 4.0])}, {"w": 2000})
    r = clip_params_by_norm(g, 1.0)
    assert r.total_norm is None
    assert r.total_norm_log10 == pytest.approx(np.log10(5) + 2000 * np.log10(2), rel=1e-15)
    np.testing.assert_allclose(r.clipped["w"], [0.6, 0.8], rtol=1e-15)


def test_scaled_norm_clipping_in_range_is_torch_exactly():
    g = ScaledGrads({"a": np.array([3.0, 4.0]), "b": np.array([12.0])}, {"a": 0, "b": 0})
    r = clip_params_by_norm(g, 1.0)
    assert r.total_norm == 13.0 and r.scale == 1.0 / (13.0 + 1e-6)
    np.testing.assert_array_equal(r.clipped["a"], np.array([3.0, 4.0]) * r.scale)


def test_norms_of_mantissas_past_1e154_do_not_overflow():
    """A mantissa may itself be huge (the readout's gradient is a plain float, exponent 0): squaring it
    overflows, yet the norms and the global norm are finite, and right (against Python's exact hypot)."""
    import math

    from gradflow.core.clipping import log10_norms, total_norm_log10

    big = np.array([1e300, -2e300, 1e299])
    g = ScaledGrads({"big": big, "small": np.array([3.0, 4.0])}, {"big": 0, "small": 500})
    exact_big = math.log10(math.hypot(*big.tolist()))  # hypot scales; its squares never overflow
    norms = log10_norms(g)
    assert norms["big"] == pytest.approx(exact_big, rel=1e-15)
    assert norms["small"] == pytest.approx(math.log10(5.0) + 500 * math.log10(2.0), rel=1e-15)
    assert total_norm_log10(g) == pytest.approx(exact_big, rel=1e-15)  # 5 * 2**500 is below its rounding
    r = clip_params_by_norm(g, 1.0)
    assert r.total_norm == pytest.approx(math.hypot(*big.tolist(), 5.0 * 2.0**500), rel=1e-15)
    np.testing.assert_allclose(r.clipped["big"], big / r.total_norm, rtol=1e-15)


def test_step_norm_clipping_of_a_row_past_1e154():
    """The row's norm is 1e200 * sqrt(6): clipped to the threshold, not to zero by 1 / inf."""
    dh = np.array([[1e200, -2e200, 1e200]])
    rows, exp = clip_step_norm(1.0)(dh, np.zeros(1, dtype=np.int64), False)
    assert rows.tolist() == [True]
    np.testing.assert_allclose(dh[0], np.array([1.0, -2.0, 1.0]) / 6**0.5, rtol=1e-15)


def test_a_gradient_that_is_not_finite_has_an_unknown_norm_not_a_zero_one():
    """A NaN in a gradient (a layer fed by one whose state left float64): its norm, the total and the
    scale are unknown (+inf log10, NaN scale), never an exact zero's None, and clipping does not fail."""
    from gradflow.core.clipping import log10_norms

    g = ScaledGrads(
        {"a": np.array([np.nan, 1.0]), "b": np.array([3.0, 4.0]), "c": np.zeros(2)}, {"a": 0, "b": 2000, "c": 0}
    )
    assert log10_norms(g) == {
        "a": np.inf,
        "b": pytest.approx(np.log10(5.0) + 2000 * np.log10(2.0), rel=1e-15),
        "c": None,
    }
    r = clip_params_by_norm(g, 1.0)
    assert r.total_norm_log10 == np.inf and r.total_norm is None and np.isnan(r.scale)


def test_scaled_value_clipping_clamps_infinite_values():
    g = ScaledGrads({"w": np.array([-0.5, 1e-3, 0.25])}, {"w": 3000})
    np.testing.assert_array_equal(clip_params_by_value(g, 2.0)["w"], [-2.0, 2.0, 2.0])


def test_step_clippers():
    dh = np.array([[3.0, 4.0], [0.3, 0.4]])
    exp = np.zeros(2, dtype=np.int64)
    rows, exp = clip_step_norm(1.0)(dh, exp, False)
    assert rows.tolist() == [True, False]
    np.testing.assert_array_equal(dh[0], np.array([3.0, 4.0]) * (1.0 / (5.0 + 1e-6)))
    dh = np.array([[0.75, -0.25]])
    exp = np.array([1000])
    rows, exp = clip_step_value(0.5)(dh, exp, False)
    assert rows.tolist() == [True] and exp[0] == 0 and dh[0].tolist() == [0.5, -0.5]


@pytest.mark.parametrize("mode", ["norm", "value"])
def test_bptt_clipping_bounds_every_step(mode):
    thr = 0.5
    r = simulate(
        SimConfig(
            cell="rnn",
            activation="linear",
            recurrent_scale=1.5,
            seq_len=40,
            hidden_size=6,
            clip_mode=mode,
            clip_scope="bptt",
            clip_threshold=thr,
        )
    )
    if mode == "norm":
        assert (r["grad_h_norm"] <= thr * (1 + 1e-12)).all()
    else:
        assert (np.abs(r["grad_h"]) <= thr).all()
    assert r["clipping"]["clipped_steps"] == len(r["clipping"]["clipped_at"]) > 0
    assert any("bptt clipping" in w for w in r["warnings"])


def test_parameter_clipping_report_matches_the_gradients():
    r = simulate(
        SimConfig(
            cell="lstm",
            seq_len=30,
            hidden_size=5,
            recurrent_scale=2.0,
            clip_mode="norm",
            clip_threshold=0.01,
            return_params=True,
        )
    )
    c = r["clipping"]
    grads = r["param_grads"]
    total = np.linalg.norm([np.linalg.norm(g) for g in grads.values()])
    assert c["total_norm"] == pytest.approx(total, rel=1e-14)
    assert c["scale"] == 0.01 / (total + 1e-6)
    for k in grads:
        np.testing.assert_array_equal(r["clipped_param_grads"][k], grads[k] * c["scale"])
    assert c["clipped_total_norm"] == pytest.approx(0.01 * total / (total + 1e-6), rel=1e-14)


def test_mode_and_scope_decide_the_per_step_clipper_and_the_sweeps():
    from gradflow.core.clipping import clips_bptt, step_clipper, sweeps_needed

    assert step_clipper("none", "bptt", 1.0) is None and step_clipper("norm", "parameters", 1.0) is None
    assert not clips_bptt("none", "bptt") and clips_bptt("value", "bptt")
    assert sweeps_needed("norm", "bptt") == 2 and sweeps_needed("norm", "parameters") == 1
    dh, exp = np.array([[3.0, 4.0]]), np.zeros(1, dtype=np.int64)
    rows, _ = step_clipper("value", "bptt", 1.0)(dh, exp, False)
    assert rows.tolist() == [True] and dh.tolist() == [[1.0, 1.0]]


@pytest.mark.parametrize("scope", ["parameters", "bptt"])
@pytest.mark.parametrize("mode", ["none", "norm", "value"])
def test_a_report_on_the_gradients_themselves_is_the_general_report(mode, scope):
    """Passing `before` itself as `after` (nothing clipped them during backpropagation: the training loop and
    simulations without bptt clipping) converts them once and reuses the total norm; the report, the warnings
    and every array are the same, bit for bit, as for an equal but separate `after`."""
    rng = np.random.default_rng(2)
    for exps in ((0, 0), (3, -2), (2000, 1990)):  # in range, and a total norm beyond float64
        m = {"a": rng.standard_normal((4, 3)), "b": rng.standard_normal(5)}
        grads = ScaledGrads(m, dict(zip(m, exps)))
        twin = ScaledGrads({k: a.copy() for k, a in m.items()}, dict(grads.exp))
        steps = np.array([False, True, False])
        fast = clip_and_report(mode, scope, 0.5, grads, grads, steps)
        general = clip_and_report(mode, scope, 0.5, grads, twin, steps)
        assert fast.report.keys() == general.report.keys() and fast.warnings == general.warnings
        for key, value in general.report.items():
            if isinstance(value, float):
                assert_same_bits(fast.report[key], value, key)
            else:
                assert fast.report[key] == value, key
        for name in m:
            assert_same_bits(fast.before[name], general.before[name], name)
            assert_same_bits(fast.after[name], general.after[name], name)
            assert fast.after[name] is not fast.before[name]


@pytest.mark.parametrize("mode", ["none", "norm", "value"])
def test_clip_parameters_is_the_report_s_after_without_the_report(mode):
    """What the training loop applies at a step it does not report: clip_and_report's `after`, bit for bit, in
    range, clipped, and with a total norm beyond float64."""
    rng = np.random.default_rng(9)
    for exps in ((0, 0), (5, -3), (2000, 1990)):
        m = {"a": rng.standard_normal((4, 3)), "b": rng.standard_normal(5)}
        grads = ScaledGrads(m, dict(zip(m, exps)))
        want = clip_and_report(mode, "parameters", 0.5, grads, grads, np.zeros(3, dtype=bool)).after
        got = clip_parameters(mode, 0.5, grads)
        assert got.keys() == want.keys()
        for name in want:
            assert_same_bits(got[name], want[name], name)
