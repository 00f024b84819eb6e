"""The shared helpers: palettes, ranges, float64 detection and the power-of-ten ticks."""

from __future__ import annotations

import numpy as np
import pytest
from gradflow.figures.common import (
    LOG10_FLOAT64_MAX,
    beyond_float64,
    beyond_text,
    check_palette,
    columns,
    figure,
    finite_range,
    float64_limit,
    floats,
    log_ticks,
)


def test_palettes_are_the_pages_and_others_are_refused_by_name():
    assert check_palette("Cividis") == "Cividis"
    with pytest.raises(ValueError, match=r"palette: must be one of Viridis, Cividis, got 'Jet'"):
        check_palette("Jet")


def test_floats_reads_json_nulls_as_nan():
    out = floats([[1, None], [None, 2.5]])
    assert out.dtype == np.float64
    np.testing.assert_array_equal(np.isnan(out), [[False, True], [True, False]])


def test_finite_range_skips_nan_and_empty_arrays():
    assert finite_range([np.nan, 3.0], np.array([]), [[-1.0, None]]) == (-1.0, 3.0)
    assert finite_range([np.nan]) is None


def test_beyond_float64_needs_a_missing_value_and_a_known_log10():
    log10s = np.array([400.0, 2.0, np.nan, 309.0])
    values = np.array([np.nan, 100.0, 0.0, np.nan])
    np.testing.assert_array_equal(beyond_float64(log10s, values), [0, 3])
    # without the values, past float64's largest log10
    np.testing.assert_array_equal(beyond_float64(log10s), [0, 3])


def test_beyond_text_marks_only_cells_past_float64():
    assert beyond_text(np.array([[1.0, np.nan]])) is None
    text = beyond_text(np.array([[1.0, 400.0]]))
    assert text.tolist() == [["", " (beyond float64)"]]


@pytest.mark.parametrize(
    ("lo", "hi", "vals", "text"),
    [
        (-1.3, 0.7, [-2, -1, 0, 1], ["10<sup>-2</sup>", "10<sup>-1</sup>", "1", "10"]),
        (0.0, 330.0, [0, 100, 200, 300], ["1", "10<sup>100</sup>", "10<sup>200</sup>", "10<sup>300</sup>"]),
        (-12.5, -3.2, [-12, -10, -8, -6, -4], [f"10<sup>{k}</sup>" for k in (-12, -10, -8, -6, -4)]),
    ],
)
def test_log_ticks_at_powers_of_ten(lo, hi, vals, text):
    assert log_ticks(lo, hi) == {"tickmode": "array", "tickvals": vals, "ticktext": text}


def test_float64_limit_only_when_the_axis_passes_it():
    assert float64_limit(300.0) == ([], [])
    shapes, notes = float64_limit(400.0)
    assert shapes[0]["y0"] == pytest.approx(LOG10_FLOAT64_MAX)
    assert notes[0]["text"] == "float64 limit (1.8e308)"


def test_columns_split_the_width_with_gaps():
    (a0, a1), (b0, b1) = columns(2, gap=0.1, right=0.9)
    assert (a0, b1) == (0, pytest.approx(0.9))
    assert b0 - a1 == pytest.approx(0.1)


def test_a_long_subtitle_wraps_and_the_figure_grows_to_hold_it():
    """The lstm spectrum's readout (four blocks) and the bptt clipping note are longer than a figure is wide."""
    short = figure("T", [], 400, subtitle="one line")
    assert (short.layout.height, short.layout.margin.t, short.layout.title.subtitle.text) == (400, 76, "one line")
    assert short.layout.title.yref is None
    words = " ".join(f"word{k}" for k in range(60))
    tall = figure("T", [], 400, subtitle=words)
    lines = tall.layout.title.subtitle.text.split("<br>")
    assert len(lines) == 4 and all(len(line) <= 105 for line in lines) and " ".join(lines) == words
    assert (tall.layout.height, tall.layout.margin.t) == (400 + 3 * 15, 76 + 3 * 15)
    assert (tall.layout.title.yref, tall.layout.title.y, tall.layout.title.yanchor) == ("container", 1, "top")
    assert figure("T", [], 400).layout.margin.t == 56
