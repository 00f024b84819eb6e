import numpy as np
import pytest

from gradflow.core.spectrum import spectrum


def test_blocks_and_summary():
    rng = np.random.default_rng(1)
    H = 4
    w = rng.standard_normal((3 * H, H))
    s = spectrum("gru", w)
    assert list(s["blocks"]) == ["r", "z", "n"]
    for k, name in enumerate("rzn"):
        block = w[k * H:(k + 1) * H]
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
