"""Each activation's derivative against a central difference of its value."""

import numpy as np
import pytest
from gradflow.core import activations as act

A = np.linspace(-4, 4, 81)


@pytest.mark.parametrize(
    "fn,grad,from_output",
    [
        (act.tanh, act.tanh_grad, True),
        (act.sigmoid, act.sigmoid_grad, True),
        (act.relu, act.relu_grad, False),
    ],
)
def test_grad_matches_central_difference(fn, grad, from_output):
    a = A[np.abs(A) > 1e-3]  # relu has a kink at 0
    eps = 1e-6
    num = (fn(a + eps) - fn(a - eps)) / (2 * eps)
    got = grad(fn(a)) if from_output else grad(a)
    np.testing.assert_allclose(got, num, rtol=1e-8, atol=1e-10)


def test_sigmoid_is_exact_and_never_overflows():
    np.testing.assert_allclose(act.sigmoid(A), 1 / (1 + np.exp(-A)), rtol=1e-15, atol=1e-16)
    with np.errstate(all="raise"):
        out = act.sigmoid(np.array([-1e308, 1e308]))
    assert out.tolist() == [0.0, 1.0]
