import numpy as np
import pytest
from gradflow.core.config import SimConfig
from gradflow.core.init import make_run
from gradflow.core.spectrum import spectrum, spectrum_of


def test_blocks_and_summary():
    rng = np.random.default_rng(1)
    H = 4
    w = rng.standard_normal((3 * H, H))
    s = spectrum("gru", w)
    assert list(s["blocks"]) == ["r", "z", "n"]
    for k, name in enumerate("rzn"):
        block = w[k * H : (k + 1) * H]
        ev = np.linalg.eigvals(block)
        got = s["blocks"][name]["eigenvalues"]
        assert got.shape == (H, 2)
        np.testing.assert_allclose(sorted(np.hypot(*got.T)), sorted(np.abs(ev)), rtol=1e-12)
        assert s["blocks"][name]["spectral_radius"] == pytest.approx(np.abs(ev).max())
        assert s["blocks"][name]["max_singular_value"] == pytest.approx(np.linalg.svd(block)[1][0])
    assert s["spectral_radius"] == max(b["spectral_radius"] for b in s["blocks"].values())


def test_rotation_has_complex_pair_on_unit_circle():
    c, sn = np.cos(0.3), np.sin(0.3)
    s = spectrum("rnn", np.array([[c, -sn], [sn, c]]))
    ev = s["blocks"]["h"]["eigenvalues"]
    np.testing.assert_allclose(sorted(ev[:, 1]), [-sn, sn], atol=1e-15)
    assert s["spectral_radius"] == pytest.approx(1.0)


@pytest.mark.parametrize("cell,init", [("rnn", "gaussian"), ("lstm", "orthogonal"), ("gru", "gaussian")])
def test_cached_spectrum_equals_the_direct_one(cell, init):
    for s in (0.3, 1.0, 7.5):
        cfg = SimConfig(cell=cell, init=init, hidden_size=6, input_size=3, recurrent_scale=s, seed=11)
        direct = spectrum(cell, make_run(cfg)[0][0].weight_hh)
        cached = spectrum_of(cfg)
        assert cached["spectral_radius"] == pytest.approx(direct["spectral_radius"], rel=1e-12)
        for name, block in direct["blocks"].items():
            got = cached["blocks"][name]["eigenvalues"] @ [1, 1j]
            want = block["eigenvalues"] @ [1, 1j]
            # same multiset (the order of equal-modulus eigenvalues is not defined)
            gap = np.abs(got[:, None] - want[None, :]).min(axis=1)
            assert gap.max() < 1e-12 * s, f"{name}: eigenvalues differ by {gap.max()}"
            assert sorted(np.abs(got)) == pytest.approx(sorted(np.abs(want)), rel=1e-12)
            assert cached["blocks"][name]["max_singular_value"] == pytest.approx(block["max_singular_value"], rel=1e-12)


@pytest.mark.parametrize("exponent", [-300, -200, -139, 0, 139, 150, 200, 290])
def test_eigenvalues_stay_exact_far_from_one(exponent):
    """A power of ten times a fixed matrix has the fixed matrix's eigenvalues times that power: past 1.5e138 (or
    below 6.7e-139) LAPACK's own rescaling gave wrong ones here (off by 100 % at 1e139, by 1e61 at 1e-200)."""
    rng = np.random.default_rng(3)
    w = rng.standard_normal((8, 8))
    s = 10.0**exponent
    want = spectrum("rnn", w)["blocks"]["h"]
    got = spectrum("rnn", w * s)["blocks"]["h"]
    assert got["spectral_radius"] == pytest.approx(want["spectral_radius"] * s, rel=1e-12)
    assert got["max_singular_value"] == pytest.approx(want["max_singular_value"] * s, rel=1e-12)
    gap = np.abs((got["eigenvalues"] @ [1, 1j])[:, None] - (want["eigenvalues"] @ [1, 1j])[None, :] * s).min(axis=1)
    assert gap.max() < 1e-12 * want["spectral_radius"] * s


def test_eigenvalues_past_float64_are_nulls_and_the_rest_stay():
    w = np.diag([1.5e308, 1e308, 1.0, -2.0])
    w[0, 1] = 1.7e308  # the largest singular value passes float64's 1.8e308
    got = spectrum("rnn", w)["blocks"]["h"]
    assert got["spectral_radius"] == pytest.approx(1.5e308, rel=1e-12)
    assert np.isnan(got["max_singular_value"])
    moduli = np.hypot(*got["eigenvalues"].T)
    assert moduli == pytest.approx([1.5e308, 1e308, 2.0, 1.0], rel=1e-12)


def test_a_zero_matrix_has_zero_eigenvalues():
    got = spectrum("rnn", np.zeros((3, 3)))["blocks"]["h"]
    assert got["spectral_radius"] == 0.0 and got["max_singular_value"] == 0.0
    assert not got["eigenvalues"].any()
