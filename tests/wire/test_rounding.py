"""`digits` rounding: within the stated precision, short decimals from orjson, no warnings at the extremes."""

from __future__ import annotations

import numpy as np
import orjson
import pytest
from gradflow.wire.encoding import dumps
from gradflow.wire.rounding import EXACT_DIGITS, round_answer, round_decimals, round_significant

F64 = np.finfo(np.float64)
EDGES = np.array(
    [
        0.0,
        -0.0,
        np.nan,
        np.inf,
        -np.inf,
        F64.smallest_subnormal,
        -F64.smallest_subnormal,
        F64.smallest_normal,
        F64.max,
        -F64.max,
        999.9999999999999,
        1e22,
        1e23,
        0.1,
        9.5,
        0.95,
    ]
)


def spread(n: int, seed: int = 0) -> np.ndarray:
    """Signed values over the whole float64 range (mantissa 1..10 times 10**-323 .. 10**307)."""
    rng = np.random.default_rng(seed)
    mantissa = rng.uniform(1, 10, n) * rng.choice([-1.0, 1.0], n)
    return np.concatenate([mantissa * 10.0 ** rng.integers(-323, 308, n), EDGES])


def significant_digits(token: str) -> int:
    """How many significant digits a JSON number token spells out ('-0.00120' -> 2)."""
    mantissa = token.lstrip("-").split("e")[0].replace(".", "")
    return len(mantissa.strip("0"))


def within(rounded: np.ndarray, exact: np.ndarray, relative: float, absolute: float = 0.0) -> np.ndarray:
    """|rounded - exact| <= relative * |exact| + absolute + a few ulps, halved first so nothing overflows."""
    gap = np.abs(rounded / 2 - exact / 2)
    return gap <= (relative * np.abs(exact) + absolute) / 2 + 2 * np.spacing(np.abs(exact) / 2)


@pytest.mark.parametrize("digits", range(1, EXACT_DIGITS))
def test_significant_rounding_is_within_half_a_unit_of_the_last_digit(digits):
    x = spread(20_000, seed=digits)
    r = round_significant(x, digits)
    finite = np.isfinite(x)
    ok = within(r[finite], x[finite], 0.5 * 10.0 ** (1 - digits))
    assert ok.all(), f"digits={digits}: {x[finite][~ok][:3]} became {r[finite][~ok][:3]}"
    assert np.array_equal(np.isnan(r), np.isnan(x)) and np.array_equal(np.isinf(r), np.isinf(x))
    assert np.array_equal(r == 0, x == 0)


@pytest.mark.parametrize("digits", [1, 3, 4, 6, 9, 12, 15, 16])
def test_orjson_writes_the_short_decimal(digits):
    # float64's normal range, where the short decimal is a float64 of its own
    x = spread(20_000, seed=100 + digits)
    x = x[np.isfinite(x) & (np.abs(x) >= F64.smallest_normal)]
    tokens = orjson.dumps(round_significant(x, digits), option=orjson.OPT_SERIALIZE_NUMPY).decode()[1:-1].split(",")
    lengths = np.array([significant_digits(t) for t in tokens])
    assert (lengths <= digits).mean() > 0.999, [t for t, n in zip(tokens, lengths, strict=True) if n > digits][:5]
    moderate = (np.abs(x) > 1e-15) & (np.abs(x) < 1e6)  # one exact power of ten away: always the short form
    assert (lengths[moderate] <= digits).all()


def test_round_trip_examples():
    assert (
        orjson.dumps(
            round_significant(np.array([0.12340519843010317, -2.718281828, 123456.789]), 4),
            option=orjson.OPT_SERIALIZE_NUMPY,
        )
        == b"[0.1234,-2.718,123500.0]"
    )
    assert dumps(round_decimals(np.array([-3.2841937560412345, 412.49999, 0.0]), 4)) == b"[-3.2842,412.5,0.0]"


def test_extremes_neither_warn_nor_leave_float64():
    # pytest turns warnings into errors; the largest doubles round up past float64 and are kept exact
    r = round_significant(EDGES, 2)
    assert r[F64.max == EDGES] == F64.max and r[-F64.max == EDGES] == -F64.max
    assert r[F64.smallest_subnormal == EDGES] == F64.smallest_subnormal
    assert b"NaN" not in dumps(r) and b"Infinity" not in dumps(r)


@pytest.mark.parametrize("digits", range(0, EXACT_DIGITS + 1))
def test_decimal_rounding_of_logarithms(digits):
    y = np.concatenate([np.random.default_rng(digits).uniform(-3000, 3000, 20_000), [np.nan, 0.0, 1e300]])
    r = round_decimals(y, digits)
    finite = np.isfinite(y)
    assert within(r[finite], y[finite], 0.0, 0.5 * 10.0**-digits).all()
    assert np.isnan(r[-3]) and r[-1] == 1e300  # beyond 2**53 / 10**digits: exact


def test_round_answer_walks_the_answer_and_keeps_scalars_and_integers():
    answer = {
        "loss": 0.12345678912345,
        "grad_h": np.array([[1.23456789, -9.87654321]]),
        "grad_h_log10_norm": np.array([-123.456789]),
        "flow": {"steps": [1, 2], "log10_norm": np.array([[5.4321987]])},
        "grad_h_log10_norm_batch": {"mean": np.array([1.23456789])},
        "memory_horizon": 3,
        "counts": np.array([7]),
    }
    r = round_answer(answer, 3)
    assert r["loss"] == answer["loss"] and r["flow"]["steps"] == [1, 2] and r["memory_horizon"] == 3
    assert r["grad_h"].tolist() == [[1.23, -9.88]]
    assert r["grad_h_log10_norm"].tolist() == [-123.457]  # log10: decimal places
    assert r["flow"]["log10_norm"].tolist() == [[5.432]] and r["grad_h_log10_norm_batch"]["mean"].tolist() == [1.235]
    assert r["counts"].dtype.kind == "i" and answer["grad_h"][0, 0] == 1.23456789  # the input is untouched


def test_seventeen_digits_is_the_exact_answer():
    answer = {"grad_h": np.array([0.12340519843010317])}
    assert round_answer(answer, EXACT_DIGITS) is answer


def test_a_stack_s_layers_and_depth_flow_are_rounded_too():
    import gradflow

    exact = gradflow.simulate(cell="lstm", seq_len=20, hidden_size=4, num_layers=2)
    rounded = round_answer(exact._answer, 3)
    layer = rounded["layers"][0]
    assert layer["hidden"][0, 0] == float(f"{exact.layers[0]['hidden'][0, 0]:.3g}")
    assert layer["grad_h_log10_norm"][0] == round(exact.layers[0]["grad_h_log10_norm"][0], 3)
    assert rounded["depth_flow"][0, 0] == round(exact.depth_flow[0, 0], 3)
