"""Server-Timing: each phase of an answer, in order."""

from gradflow.api.timing import ServerTiming


def test_server_timing_lists_each_lap_in_order():
    timing = ServerTiming()
    timing.lap("simulate")
    timing.lap("encode")
    names = [part.split(";dur=") for part in timing.header().split(", ")]
    assert [name for name, _ in names] == ["simulate", "encode"]
    assert all(float(ms) >= 0 for _, ms in names)
