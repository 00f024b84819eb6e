"""SGD and Adam against their update rules written out (torch.optim's defaults)."""

import numpy as np
from gradflow.training.optim import SGD, Adam


def test_sgd_steps_against_the_gradient():
    p = {"w": np.array([1.0, -2.0])}
    SGD(0.1).step(p, {"w": np.array([0.5, 0.25])})
    np.testing.assert_array_equal(p["w"], [1.0 - 0.1 * 0.5, -2.0 - 0.1 * 0.25])


def test_adam_matches_the_reference_formula_over_several_steps():
    """Kingma & Ba (2015), Algorithm 1, in torch's arrangement: m and v as exponential averages,
    p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)."""
    rng = np.random.default_rng(0)
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    p = {"a": rng.standard_normal((3, 2)), "b": rng.standard_normal(4)}
    ref = {k: v.copy() for k, v in p.items()}
    m = {k: np.zeros_like(v) for k, v in p.items()}
    v = {k: np.zeros_like(x) for k, x in p.items()}
    adam = Adam(lr)
    for t in range(1, 6):
        g = {k: rng.standard_normal(x.shape) * 10.0 ** (t - 3) for k, x in p.items()}
        adam.step(p, g)
        for k in ref:
            m[k] = b1 * m[k] + (1 - b1) * g[k]
            v[k] = b2 * v[k] + (1 - b2) * g[k] ** 2
            ref[k] = ref[k] - lr / (1 - b1**t) * m[k] / (np.sqrt(v[k]) / np.sqrt(1 - b2**t) + eps)
            np.testing.assert_allclose(p[k], ref[k], rtol=1e-13, atol=0, err_msg=f"step {t}, {k}")


def test_adam_first_step_moves_each_weight_by_about_lr():
    p = {"w": np.array([0.0, 0.0, 0.0])}
    Adam(0.5).step(p, {"w": np.array([1e-3, -2.0, 7e5])})
    np.testing.assert_allclose(p["w"], [-0.5, 0.5, -0.5], rtol=1e-4)
