"""Numbers written as the page's lib/format.js writes them."""

from __future__ import annotations

import math

import numpy as np
import pytest
from gradflow.figures.format import fmt, format_log10, format_sig, horizon_text, norm_hover


@pytest.mark.parametrize(
    ("log10", "text"),
    [
        (412.5, "3.16e+412"),
        (-12.0, "1.00e-12"),
        (2.99999, "1.00e+3"),  # the mantissa rounds to 10.00
        (0.0, "1.00e+0"),
        (math.nan, "0 (exact)"),
        (None, "0 (exact)"),
    ],
)
def test_format_log10(log10, text):
    assert format_log10(log10) == text


@pytest.mark.parametrize(
    ("x", "digits", "text"),
    [
        (0.123456, 3, "0.123"),
        (1 / 6, 3, "0.167"),
        (123456.0, 3, "1.23e+5"),
        (9.999, 3, "10.0"),
        (0.0000012345, 3, "0.00000123"),
        (2.0, 3, "2.00"),
        (1.0, 4, "1.000"),
    ],
)
def test_format_sig_is_javascripts_to_precision(x, digits, text):
    assert format_sig(x, digits) == text


def test_fmt_says_beyond_float64_for_null():
    assert fmt(math.nan) == "beyond float64"
    assert fmt(None) == "beyond float64"
    assert fmt(0.98765) == "0.9877"


def test_horizon_text():
    assert horizon_text(1, 50) == "1 step"
    assert horizon_text(12, 50) == "12 steps"
    assert horizon_text(None, 50) == "beyond the sequence (all 50 steps)"


def test_norm_hover_marks_steps_past_float64():
    hover = norm_hover(np.array([412.5, 1.0, math.nan]), np.array([0]), "|dL/dh_t|")
    assert hover[0] == "t = 1<br>|dL/dh_t| = 3.16e+412 (beyond float64)<br>log10 = 412.500"
    assert hover[1] == "t = 2<br>|dL/dh_t| = 1.00e+1<br>log10 = 1.000"
    assert hover[2] == "t = 3<br>|dL/dh_t| = 0 (exact)<br>log10 = none (zero)"
