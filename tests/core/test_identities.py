"""Exact identities that pin the numerics down without finite differences."""

import numpy as np
import pytest
from gradflow.core.config import SimConfig
from gradflow.core.simulate import simulate


def linear_orthogonal(s, T, H=6, **kw):
    return simulate(
        SimConfig(
            cell="rnn",
            activation="linear",
            init="orthogonal",
            recurrent_scale=s,
            seq_len=T,
            hidden_size=H,
            input_size=3,
            seed=7,
            **kw,
        )
    )


@pytest.mark.parametrize("s", [0.9, 1.0, 1.1])
def test_linear_orthogonal_rnn_gain_is_s_to_the_distance(s):
    """|dL/dh_t| = s^(T-t) exactly: W_hh^T = s Q^T preserves norms up to the factor s, and |v| = 1."""
    T = 60
    r = linear_orthogonal(s, T)
    expected = s ** (T - np.arange(1, T + 1))
    np.testing.assert_allclose(r["grad_h_norm"], expected, rtol=1e-12)
    np.testing.assert_allclose(r["grad_h_log10_norm"], np.log10(expected), rtol=0, atol=1e-12)


def test_singular_values_of_orthogonal_rnn_are_the_scale():
    s = 1.7
    r = linear_orthogonal(s, 5, H=9, return_params=True)
    sv = np.linalg.svd(r["params"]["weight_hh"], compute_uv=False)
    np.testing.assert_allclose(sv, s, rtol=1e-13)
    assert r["spectrum"]["max_singular_value"] == pytest.approx(s, rel=1e-13)
    assert r["spectrum"]["spectral_radius"] == pytest.approx(s, rel=1e-13)


def test_overflow_is_exact_on_the_log_scale_and_null_in_floats():
    """s = 3, T = 1000: log10|dL/dh_1| = 999 log10 3 = 476.644..., far beyond float64."""
    r = linear_orthogonal(3.0, 1000)
    assert r["grad_h_log10_norm"][0] == pytest.approx(999 * np.log10(3.0), rel=1e-13)
    np.testing.assert_allclose(
        r["grad_h_log10_norm"], (1000 - np.arange(1, 1001)) * np.log10(3.0), rtol=1e-12, atol=1e-12
    )
    assert np.isnan(r["grad_h_norm"][0]) and np.isnan(r["grad_h"][0]).all()
    assert r["grad_h_norm"][-1] == pytest.approx(1.0, rel=1e-14)
    assert any("grad_h is beyond float64" in w for w in r["warnings"])
    # the forward overflows too (h grows like 3^t): null, with a warning, never inf
    assert np.isnan(r["hidden"][-1]).all() and np.isnan(r["loss"])
    assert any("hidden is beyond float64" in w for w in r["warnings"])


def test_elementwise_log10_abs_matches_values_where_finite():
    r = linear_orthogonal(3.0, 1000)
    finite = np.isfinite(r["grad_h"])
    np.testing.assert_allclose(r["grad_h_log10_abs"][finite], np.log10(np.abs(r["grad_h"][finite])), rtol=0, atol=1e-12)
    # beyond float64 each element is still exact: the elementwise log10s reassemble the norm
    big = r["grad_h_log10_abs"][0]
    top = big.max()
    norm = top + 0.5 * np.log10(np.sum(10.0 ** (2 * (big - top))))
    assert norm == pytest.approx(r["grad_h_log10_norm"][0], rel=1e-13)


def test_vanishing_is_exact_far_below_float64():
    r = linear_orthogonal(0.1, 1000)
    assert r["grad_h_log10_norm"][0] == pytest.approx(-999.0, abs=1e-9)
    assert r["grad_h_norm"][0] == 0.0 or np.isnan(r["grad_h_norm"][0]) or r["grad_h_norm"][0] < 1e-300


def test_memory_horizon_of_linear_orthogonal_rnn():
    """s^n >= 1e-3 while n <= 3 / -log10(s): the horizon is floor of that."""
    for s in (0.9, 0.5):
        r = linear_orthogonal(s, 200)
        assert r["memory_horizon"] == int(np.floor(3 / -np.log10(s)))
    assert linear_orthogonal(1.0, 200)["memory_horizon"] is None


def test_relu_rnn_forward_never_overflows_and_stays_exact():
    """relu is positively homogeneous, so the forward carries an exponent instead of overflowing."""
    r = simulate(
        SimConfig(
            cell="rnn",
            activation="relu",
            init="orthogonal",
            recurrent_scale=5.0,
            seq_len=800,
            hidden_size=8,
            input_size=2,
            seed=3,
        )
    )
    assert np.isfinite(r["grad_h_log10_norm"][~np.isnan(r["grad_h_log10_norm"])]).all()
    for key in ("hidden", "grad_h", "grad_x"):
        assert not np.isinf(r[key]).any()


def test_norm_clipping_of_an_overflowing_gradient_is_finite_and_exact():
    r = linear_orthogonal(3.0, 1000, clip_mode="norm", clip_threshold=2.0)
    c = r["clipping"]
    assert np.isnan(c["total_norm"]) and c["total_norm_log10"] > 470
    assert c["scale_log10"] == pytest.approx(np.log10(2.0) - c["total_norm_log10"], rel=1e-14)
    assert c["clipped_total_norm"] == pytest.approx(2.0, rel=1e-12)
    assert all(x is not None for x in r["clipped_param_grad_norms"].values())
