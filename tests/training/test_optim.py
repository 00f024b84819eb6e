"""SGD and Adam against their update rules written out (torch.optim's defaults)."""

import math

import numpy as np
from gradflow.training.optim import SGD, Adam

from tests import needs


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


def test_adam_in_place_is_its_update_rule_operation_for_operation():
    """The in-place update (scratch arrays, no temporaries) does torch's operations in torch's order: bit for bit
    the same as the rule written out with a new array for each."""
    rng = np.random.default_rng(4)
    lr, b1, b2, eps = 0.03, 0.9, 0.999, 1e-8
    p = {"a": rng.standard_normal((6, 4)), "b": rng.standard_normal(3)}
    ref = {k: v.copy() for k, v in p.items()}
    m = {k: np.zeros_like(v) for k, v in p.items()}
    v = {k: np.zeros_like(x) for k, x in p.items()}
    adam = Adam(lr)
    for t in range(1, 30):
        g = {k: rng.standard_normal(x.shape) * 10.0 ** rng.integers(-8, 8) for k, x in p.items()}
        adam.step(p, g)
        step_size, bias_correction2_sqrt = lr / (1.0 - b1**t), math.sqrt(1.0 - b2**t)
        for k in ref:
            m[k] = m[k] + (1.0 - b1) * (g[k] - m[k])  # exp_avg.lerp_(g, 1 - b1)
            v[k] = v[k] * b2 + ((1.0 - b2) * g[k]) * g[k]  # exp_avg_sq.mul_(b2).addcmul_(g, g, value=1 - b2)
            ref[k] = ref[k] + (-step_size * m[k]) / (np.sqrt(v[k]) / bias_correction2_sqrt + eps)  # addcdiv_
            assert p[k].tobytes() == ref[k].tobytes(), (t, k)


def test_adam_follows_torch_optim_adam():
    """Against torch.optim.Adam itself (float64, defaults but lr): equal to rounding. torch's CPU kernels may
    fuse a multiply and an add (one rounding instead of two), so the last bits can differ and the difference
    compounds a little from step to step."""
    torch = needs.torch()
    rng = np.random.default_rng(6)
    p = {"w": rng.standard_normal((8, 5)), "b": rng.standard_normal(8)}
    tp = {k: torch.tensor(x.copy(), requires_grad=True) for k, x in p.items()}
    opt, adam = torch.optim.Adam(list(tp.values()), lr=1e-2), Adam(1e-2)
    for t in range(1, 11):
        g = {k: rng.standard_normal(x.shape) * 10.0 ** rng.integers(-6, 4) for k, x in p.items()}
        for k, x in tp.items():
            x.grad = torch.tensor(g[k])
        opt.step()
        adam.step(p, g)
        for k in p:
            np.testing.assert_allclose(p[k], tp[k].detach().numpy(), rtol=1e-13, atol=0, err_msg=f"step {t}, {k}")
