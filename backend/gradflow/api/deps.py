"""What endpoints get through `Depends`: the app's settings and its simulation slots.

`create_app` keeps both on `app.state`; these read it in one place, so a route declares what it needs
(`settings: SettingsDep`) instead of reaching into the app, and a test can override either one
(`app.dependency_overrides[get_settings] = ...`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from gradflow.api.settings import Settings
from gradflow.api.slots import SimulationSlots


def _from_state(name: str) -> Callable[[Request], Awaitable[Any]]:
    """The dependency that reads `app.state.<name>`."""

    # async: on the event loop, a plain `def` would cost a trip to the thread pool to read an attribute
    async def get(request: Request) -> Any:
        return getattr(request.app.state, name)

    get.__name__ = f"get_{name}"
    return get


get_settings = _from_state("settings")
get_simulation_slots = _from_state("simulation_slots")
get_training_slots = _from_state("training_slots")
get_sweep_slots = _from_state("sweep_slots")


SettingsDep = Annotated[Settings, Depends(get_settings)]
SlotsDep = Annotated[SimulationSlots, Depends(get_simulation_slots)]
TrainingSlotsDep = Annotated[SimulationSlots, Depends(get_training_slots)]
SweepSlotsDep = Annotated[SimulationSlots, Depends(get_sweep_slots)]
