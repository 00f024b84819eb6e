"""Theory beside the measurement: Pascanu's bound is never exceeded, the mean-field chi and q* are what an
independent quadrature gives, s* solves chi = 1, the measured decay follows chi, and the lstm's cell path is
exactly dL/dc_t when nothing else carries the gradient."""

from __future__ import annotations

import math

import numpy as np
import pytest
from gradflow.core.config import SimConfig
from gradflow.core.simulate import simulate
from gradflow.core.theory import chi, critical_scale, fixed_point, gaussian_mean, input_variance


def trapezoid_mean(f, q: float) -> float:
    """E[f(sqrt(q) z)] by the trapezoid rule on a fine grid in z: independent of the code's quadrature."""
    z = np.linspace(-14.0, 14.0, 400_001)
    return float(np.trapezoid(f(math.sqrt(q) * z) * np.exp(-0.5 * z * z), z) / math.sqrt(2 * math.pi))


@pytest.mark.parametrize("q", [0.01, 0.3, 1.0, 4.0, 8.9, 9.2, 30.0, 400.0])
def test_gaussian_expectations_agree_with_an_independent_quadrature(q):
    for f in (lambda u: np.tanh(u) ** 2, lambda u: (1 - np.tanh(u) ** 2) ** 2):
        assert gaussian_mean(f, q) == pytest.approx(trapezoid_mean(f, q), rel=1e-10, abs=1e-13)


@pytest.mark.parametrize("s", [0.3, 1.0, 1.5, 2.5, 6.0])
@pytest.mark.parametrize("sigma_in2", [0.0, 0.01, 0.2])
def test_q_star_is_a_fixed_point_and_chi_follows_from_it(s, sigma_in2):
    q = fixed_point(s, sigma_in2, "tanh")
    assert q == pytest.approx(s * s * trapezoid_mean(lambda u: np.tanh(u) ** 2, q) + sigma_in2, rel=1e-10, abs=1e-14)
    expected = s * s * trapezoid_mean(lambda u: (1 - np.tanh(u) ** 2) ** 2, q) if q > 0 else s * s
    assert chi(s, sigma_in2, "tanh") == pytest.approx(expected, rel=1e-10)


def test_relu_and_linear_chi_are_exact():
    assert chi(1.3, 0.1, "relu") == 1.3**2 / 2 and chi(1.3, 0.1, "linear") == 1.3**2
    assert fixed_point(1.5, 0.1, "relu") is None and fixed_point(0.5, 0.1, "linear") == pytest.approx(0.1 / 0.75)
    assert critical_scale(0.1, "relu") == math.sqrt(2) and critical_scale(0.1, "linear") == 1.0


@pytest.mark.parametrize(("I", "H"), [(4, 32), (16, 8), (1, 256)])
def test_the_critical_scale_solves_chi_equals_one_above_one(I, H):
    cfg = SimConfig(input_size=I, hidden_size=H)
    sigma_in2 = input_variance(cfg)
    assert sigma_in2 == pytest.approx((I + 2) / (3 * H))
    s_star = critical_scale(sigma_in2, "tanh")
    assert abs(chi(s_star, sigma_in2, "tanh") - 1.0) < 1e-10 and s_star > 1.0


@pytest.mark.parametrize("s", [0.5, 1.0, 1.5, 2.0, 3.0])
def test_the_measured_decay_follows_chi(s):
    slopes = []
    for seed in range(4):
        r = simulate(SimConfig(hidden_size=256, seq_len=200, recurrent_scale=s, seed=seed, flow_steps=0))
        t = np.arange(1, 201)
        sel = (t >= 20) & (t <= 180)
        slopes.append(np.polyfit(t[sel], r["grad_h_log10_norm"][sel], 1)[0])
    predicted = -r["theory"]["mean_field"]["decay_per_step"]  # log10 |dL/dh_t| rises with t by this much a step
    assert abs(np.mean(slopes) - predicted) < 0.005, (np.mean(slopes), predicted)


def _random_configs(n: int):
    rng = np.random.default_rng(2013)
    for k in range(n):
        yield SimConfig(
            activation=("tanh", "relu", "linear")[k % 3],
            init=("orthogonal", "gaussian")[(k // 3) % 2],
            hidden_size=int(rng.choice([1, 2, 5, 16, 64, 256])),
            input_size=int(rng.integers(1, 6)),
            seq_len=int(rng.integers(1, 40)),
            recurrent_scale=float(np.exp(rng.uniform(np.log(0.2), np.log(4.0)))),
            loss=("last", "all")[(k // 6) % 2],
            num_layers=int(rng.choice([1, 1, 2])),
            seed=k,
            flow_steps=0,
        )


def test_the_bound_is_never_exceeded():
    for cfg in _random_configs(240):
        r = simulate(cfg)
        layers = r.get("layers") or [{"grad_h_log10_norm": r["grad_h_log10_norm"], "theory": r["theory"]}]
        for k, layer in enumerate(layers):
            measured, upper = np.asarray(layer["grad_h_log10_norm"]), layer["theory"]["bound"]["log10_norm"]
            ok = np.isnan(measured) | (measured <= upper + 1e-9)
            assert ok.all(), (cfg, k, np.flatnonzero(~ok))


def test_the_bound_holds_for_random_uploaded_weights():
    rng = np.random.default_rng(7)
    for k in range(60):
        H, I = int(rng.integers(1, 40)), int(rng.integers(1, 5))
        params = {
            "weight_ih": rng.standard_normal((H, I)),
            "weight_hh": rng.standard_normal((H, H)) * rng.uniform(0.1, 3) / math.sqrt(H),
            "bias_ih": rng.standard_normal(H),
            "bias_hh": rng.standard_normal(H),
        }
        cfg = SimConfig(
            activation=("tanh", "relu", "linear")[k % 3], hidden_size=H, input_size=I, seq_len=25, params=params
        )
        r = simulate(cfg)
        upper = r["theory"]["bound"]["log10_norm"]
        assert np.all(np.isnan(r["grad_h_log10_norm"]) | (r["grad_h_log10_norm"] <= upper + 1e-9)), k
        assert r["theory"]["mean_field"] is None and any("theory.mean_field is null" in w for w in r["warnings"])


@pytest.mark.parametrize("s", [0.5, 1.0, 1.7])
def test_the_bound_is_exact_for_a_linear_orthogonal_network(s):
    r = simulate(SimConfig(activation="linear", init="orthogonal", recurrent_scale=s, seq_len=60, hidden_size=8))
    np.testing.assert_allclose(r["grad_h_log10_norm"], r["theory"]["bound"]["log10_norm"], rtol=0, atol=1e-9)


def test_the_lstm_cell_path_is_all_of_dL_dc_when_nothing_else_carries_it():
    """W_hh = 0 under loss 'last': dL/dh_t = 0 for t < T, so dL/dc_t flows only along c_t -> c_(t-1), times f."""
    H, I, T = 5, 3, 30
    rng = np.random.default_rng(0)
    params = {
        "weight_ih": rng.standard_normal((4 * H, I)),
        "weight_hh": np.zeros((4 * H, H)),
        "bias_ih": rng.standard_normal(4 * H) + np.repeat([0, 2.0, 0, 0], H),
        "bias_hh": np.zeros(4 * H),
    }
    r = simulate(SimConfig(cell="lstm", hidden_size=H, input_size=I, seq_len=T, params=params))
    np.testing.assert_allclose(r["theory"]["cell_path"]["log10_norm"], r["grad_c_log10_norm"], rtol=0, atol=1e-10)
    assert r["theory"]["cell_path"]["gate"] == "forget gate f"


def test_with_w_hh_the_cell_path_is_a_share_not_the_whole():
    r = simulate(SimConfig(cell="lstm", hidden_size=16, seq_len=40, recurrent_scale=1.5, seed=3))
    path, measured = r["theory"]["cell_path"]["log10_norm"], r["grad_c_log10_norm"]
    assert path[-1] == pytest.approx(measured[-1], abs=1e-12) and not np.allclose(path, measured, atol=1e-3)


def test_gru_cell_path_carries_z_and_other_items_are_null_with_a_reason():
    r = simulate(SimConfig(cell="gru", hidden_size=4, seq_len=10, num_layers=2))
    assert r["theory"]["cell_path"]["gate"] == "update gate z"
    assert r["theory"]["bound"] is None and r["theory"]["mean_field"] is None
    assert {"theory.bound", "theory.mean_field"} <= {w.split(" is null")[0] for w in r["warnings"]}
    assert len(r["layers"]) == 2 and all(layer["theory"]["cell_path"] is not None for layer in r["layers"])
