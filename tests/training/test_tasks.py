"""The tasks: what the inputs hold, and that their baselines are what the docs say."""

import numpy as np
import pytest
from gradflow.training.tasks import RECALL_SYMBOLS, Adding, Recall


def test_adding_has_one_marker_in_each_half_and_sums_the_marked_values():
    T, N = 11, 200
    b = Adding.batch(np.random.default_rng(0), N, T)
    values, markers = b.x[..., 0], b.x[..., 1]
    assert b.x.shape == (T, N, 2) and ((values >= 0) & (values <= 1)).all()
    assert (markers[: T // 2].sum(axis=0) == 1).all() and (markers[T // 2 :].sum(axis=0) == 1).all()
    np.testing.assert_allclose(b.target, (values * markers).sum(axis=0), rtol=1e-15)


def test_adding_baseline_is_the_mse_of_always_answering_one():
    b = Adding.batch(np.random.default_rng(1), 200_000, 10)
    scored = Adding.score(np.ones((len(b.target), 1)), b.target)
    assert scored.loss == pytest.approx(Adding.baseline, rel=0.01)
    np.testing.assert_allclose(scored.dy[:, 0], 2 * (1 - b.target))


def test_recall_names_the_first_symbol_at_the_last_step():
    T, N = 7, 50
    b = Recall.batch(np.random.default_rng(2), N, T)
    assert b.x.shape == (T, N, RECALL_SYMBOLS + 1)
    np.testing.assert_array_equal(np.argmax(b.x[0, :, :RECALL_SYMBOLS], axis=1), b.target)
    assert (b.x[:, :, RECALL_SYMBOLS] == np.eye(T)[-1][:, None]).all()  # the "name it now" channel


def test_recall_baseline_is_a_uniform_guess_and_its_gradient_is_softmax_minus_onehot():
    target = np.array([0, 3, 7])
    uniform = Recall.score(np.zeros((3, RECALL_SYMBOLS)), target)
    assert uniform.loss == pytest.approx(Recall.baseline, rel=1e-15) == pytest.approx(np.log(8))
    y = np.random.default_rng(3).standard_normal((3, RECALL_SYMBOLS)) * 50  # large logits: no overflow
    scored = Recall.score(y, target)
    p = np.exp(y - y.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(scored.dy, p - np.eye(RECALL_SYMBOLS)[target], atol=1e-15)
    assert scored.metric == np.mean(np.argmax(y, axis=1) == target)
