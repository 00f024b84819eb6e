import numpy as np
from gradflow.core.diagnostics import memory_horizon, saturation_warnings, step_ranges


def test_memory_horizon_counts_steps_within_three_decades():
    # log10 gains at t = 1..6, loss at t = 6: 0, -1, -2, -2.9 (still within), then -3.5 falls out
    g = np.array([-9.0, -3.5, -2.9, -2.0, -1.0, 0.0])
    assert memory_horizon(g) == 3
    assert memory_horizon(np.zeros(5)) is None  # never drops: beyond the sequence
    assert memory_horizon(np.array([np.nan, 0.0])) == 0  # an exact zero is below any threshold


def test_step_ranges():
    assert step_ranges(np.array([True, True, False, True, False, True, True, True])) == "1-2, 4, 6-8"
    assert step_ranges(np.zeros(3, dtype=bool)) == ""


def test_saturation_and_dead_units():
    h = np.full((10, 4), 0.999)
    assert any("saturated" in w for w in saturation_warnings("rnn", "tanh", h, {}, None))
    pre = np.ones((10, 4))
    pre[:, 1] = -1.0
    (msg,) = saturation_warnings("rnn", "relu", np.maximum(pre, 0), {}, pre)
    assert msg.startswith("1 of 4 relu units are dead")
    assert saturation_warnings("lstm", "tanh", np.zeros((3, 2)), {"f": np.full((3, 2), 0.5)}, None) == []
