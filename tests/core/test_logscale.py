import numpy as np
import pytest
from gradflow.core.logscale import (
    LOG10_2,
    log10_abs,
    log10_norm,
    norm2,
    pow10,
    rescale_rows,
    rows_in_range,
    to_float,
)

from .reference import assert_same_bits


def test_rescale_is_exact_and_keeps_the_true_value():
    rng = np.random.default_rng(0)
    m = rng.standard_normal((3, 5)) * np.array([[2.0**300], [1.0], [2.0**-300]])
    before = m.copy()
    exp = np.zeros(3, dtype=np.int64)
    rescale_rows([m], exp)
    assert exp[1] == 0 and exp[0] > 250 and exp[2] < -250
    np.testing.assert_array_equal(np.ldexp(m, exp[:, None]), before)  # bit for bit
    peaks = np.abs(m).max(axis=1)
    assert 0.5 <= peaks[0] < 1.0 and 0.5 <= peaks[2] < 1.0  # rescaled rows land in [1/2, 1)
    np.testing.assert_array_equal(m[1], before[1])  # rows in range are left alone


def test_zero_rows_stay_zero():
    m = np.zeros((2, 3))
    exp = np.zeros(2, dtype=np.int64)
    rescale_rows([m], exp)
    assert (exp == 0).all() and (m == 0).all()
    assert np.isnan(log10_norm(m, exp)).all() and np.isnan(log10_abs(m, exp)).all()


def test_log10_beyond_float_range():
    m = np.array([[0.75, -0.5]])
    exp = np.array([4000])
    assert log10_abs(m, exp)[0, 0] == np.log10(0.75) + 4000 * LOG10_2
    assert np.isnan(to_float(m, exp)).all()
    assert log10_norm(m, exp)[0] == np.log10(np.hypot(0.75, 0.5)) + 4000 * LOG10_2


def test_pow10_gives_nan_not_inf():
    out = pow10(np.array([2.0, 400.0, -400.0]))
    assert out[0] == 100.0 and np.isnan(out[1]) and out[2] == 0.0


def test_norm2_survives_squares_outside_float64():
    for scale in (1e-200, 1.0, 1e200):
        a = np.array([3.0, 4.0]) * scale
        assert norm2(a) == pytest.approx(5.0 * scale, rel=1e-15)
    assert norm2(np.zeros(3)) == 0.0
    assert np.isnan(norm2(np.array([1.0, np.nan])))
    assert norm2(np.array([1e308, 1e308])) == pytest.approx(2**0.5 * 1e308, rel=1e-15)
    assert norm2(np.array([1.5e308, 1.5e308])) == np.inf  # the norm itself is beyond float64


def test_log10_hypot_is_the_norm_of_values_given_by_their_log10():
    from gradflow.core.logscale import log10_hypot

    x = np.array(
        [
            [np.log10(3.0), np.log10(4.0)],
            [500.0 + np.log10(3.0), 500.0 + np.log10(4.0)],
            [np.nan, 2.0],
            [np.nan, np.nan],
        ]
    )
    out = log10_hypot(x, axis=1)
    np.testing.assert_allclose(out[:3], [np.log10(5.0), 500.0 + np.log10(5.0), 2.0], rtol=1e-15)
    assert np.isnan(out[3])


def test_rows_in_range_is_rescale_rows_decision_for_every_row_of_every_step():
    """The check a sweep makes once for many steps says "unchanged" exactly when rescale_rows, step by step,
    would leave every row as it is: rows at the edges 2**256 and 2**-256 and just past them, zero rows, NaN,
    infinities, and two arrays sharing each row's exponent (the lstm's dh and dc)."""
    rng = np.random.default_rng(3)
    K, N, H = 4, 6, 5
    edges = [1.0, 2.0**256, 2.0**256 * (1 + 2**-52), 2.0**-256, 2.0**-256 * (1 - 2**-53), 2.0**300, 2.0**-300]
    for trial in range(300):
        arrays = [rng.uniform(-1.0, 1.0, (K, N, H)) for _ in range(1 + trial % 2)]
        for _ in range(trial % 4):  # set some rows' peak exactly at an edge, or to zero, NaN or inf
            a, k, n = arrays[rng.integers(len(arrays))], rng.integers(K), rng.integers(N)
            row = rng.uniform(-1.0, 1.0, H)
            kind = rng.integers(len(edges) + 3)
            if kind < len(edges):
                a[k, n] = row / np.abs(row).max() * edges[kind]
            else:
                a[k, n] = [0.0, np.nan, np.inf][kind - len(edges)]
        one_by_one = True
        for k in range(K):
            rows = [a[k].copy() for a in arrays]
            one_by_one &= not rescale_rows(rows, np.zeros(N, dtype=np.int64))
        assert rows_in_range(arrays) == one_by_one, trial


def test_log10_norm_is_numpy_s_norm_bit_for_bit():
    """Its float64 sum of squares (with or without a scratch array) is np.linalg.norm's wherever that norm
    is plain (finite, above 1e-145; beyond, test_log10_norm_is_right_at_any_magnitude_of_the_entries)."""
    rng = np.random.default_rng(5)
    m = rng.standard_normal((7, 5, 9)) * 10.0 ** rng.integers(-100, 100, (7, 5, 1)).astype(float)
    m[0, 0] = 0.0
    exp = rng.integers(-2000, 2000, (7, 5))
    with np.errstate(divide="ignore", over="ignore", under="ignore"):
        want = np.log10(np.linalg.norm(m, axis=-1)) + LOG10_2 * exp
        want[np.isneginf(want)] = np.nan
        for scratch in (None, np.empty_like(m)):
            assert_same_bits(log10_norm(m, exp, scratch), want)


def _exact_log10_norm(values, exp: int = 0) -> float:
    """log10 sqrt(sum (x * 2**exp)**2), independently: the squares summed exactly as Fractions, the
    logarithm taken in 50-digit decimal arithmetic (which has no float64 range limits)."""
    import decimal
    from fractions import Fraction

    total = sum(Fraction(float(x)) ** 2 for x in values) * Fraction(2) ** (2 * exp)
    with decimal.localcontext() as ctx:
        ctx.prec = 50
        log10 = (decimal.Decimal(total.numerator).log10() - decimal.Decimal(total.denominator).log10()) / 2
    return float(log10)


HUGE_ROWS = np.array(
    [
        [1e200, -3e200, 2e200, -1e200],
        [1e308, 1e308, -1e308, 1e308],  # every square overflows and so does the sum of the values
        [-1.7e308, 5e307, 1e250, -1e300],
        [1e308, -1.0, 1e-300, 0.0],
        [1e154, -1e154, 1e154, 1e154],  # the squares are just past float64
        [1e-300, -2e-310, 3e-320, -1e-305],  # and at the other end, squares below the smallest subnormal
    ]
)


@pytest.mark.parametrize("exp", [0, -2000, 3000])
def test_log10_norm_is_right_at_any_magnitude_of_the_entries(exp):
    for scratch in (None, np.empty_like(HUGE_ROWS)):  # a scratch array for the squares changes nothing
        got = log10_norm(HUGE_ROWS, np.full(len(HUGE_ROWS), exp), scratch)
        for row, value in zip(HUGE_ROWS, got, strict=True):
            assert value == pytest.approx(_exact_log10_norm(row, exp), rel=1e-15), row


def test_norm2_is_right_at_any_magnitude_of_the_entries():
    for row in HUGE_ROWS[[0, 2, 4, 5]]:  # norms inside float64
        assert np.log10(norm2(row)) == pytest.approx(_exact_log10_norm(row), rel=1e-15), row
    assert norm2(HUGE_ROWS[1]) == np.inf  # 2e308: the norm itself is beyond float64
    both = HUGE_ROWS[:2, :2]  # a 2-d array: its Frobenius norm, 1.4e308
    assert np.log10(norm2(both)) == pytest.approx(_exact_log10_norm(both.ravel()), rel=1e-15)


def test_a_row_that_is_not_finite_is_not_an_exact_zero():
    """NaN stays the mark of an exact zero; a row holding inf or NaN (float64 arithmetic that overflowed
    before the row could be rescaled) gets +inf, so the two nulls can be told apart."""
    m = np.array([[np.inf, 1.0], [np.nan, 1.0], [0.0, 0.0], [3.0, 4.0]])
    out = log10_norm(m, np.zeros(4, dtype=np.int64))
    assert out[0] == out[1] == np.inf and np.isnan(out[2]) and out[3] == np.log10(5.0)
    out = log10_abs(m, np.zeros(4, dtype=np.int64))
    assert (out[:2, 0] == np.inf).all() and np.isnan(out[2]).all() and out[3, 1] == np.log10(4.0)


def test_log10_hypot_keeps_a_non_finite_entry_apart_from_zeros():
    from gradflow.core.logscale import log10_hypot

    out = log10_hypot(np.array([[np.inf, 2.0], [np.inf, np.nan], [np.nan, np.nan]]), axis=1)
    assert out[0] == out[1] == np.inf and np.isnan(out[2])
