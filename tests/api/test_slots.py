import threading

import pytest
from gradflow.api.slots import Saturated, SimulationSlots


def test_holds_up_to_capacity_then_refuses():
    slots = SimulationSlots(capacity=2, timeout=0)
    with slots.hold(), slots.hold(), pytest.raises(Saturated, match="all 2 simulation slots are busy"), slots.hold():
        pass
    with slots.hold():  # released again
        pass


def test_a_waiting_request_gets_the_slot_when_it_frees():
    slots = SimulationSlots(capacity=1, timeout=5)
    holding, release, got_it = threading.Event(), threading.Event(), threading.Event()

    def holder():
        with slots.hold():
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    holding.wait(5)

    def waiter_body():
        with slots.hold():
            got_it.set()

    waiter = threading.Thread(target=waiter_body)
    waiter.start()
    assert not got_it.wait(0.05)
    release.set()
    assert got_it.wait(5)
    thread.join()
    waiter.join()


def test_a_failing_simulation_gives_its_slot_back():
    slots = SimulationSlots(capacity=1, timeout=0)
    with pytest.raises(RuntimeError), slots.hold():
        raise RuntimeError("boom")
    with slots.hold():
        pass
