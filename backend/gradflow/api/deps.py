"""What endpoints get through `Depends`: the app's settings and its simulation slots.

`create_app` keeps both on `app.state`; these read it in one place, so a route declares what it needs
(`settings: SettingsDep`) instead of reaching into the app, and a test can override either one
(`app.dependency_overrides[get_settings] = ...`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gradflow.api.settings import Settings
from gradflow.api.slots import SimulationSlots


# async: on the event loop, a plain `def` would cost a trip to the thread pool to read an attribute
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_simulation_slots(request: Request) -> SimulationSlots:
    return request.app.state.simulation_slots


async def get_training_slots(request: Request) -> SimulationSlots:
    return request.app.state.training_slots


async def get_sweep_slots(request: Request) -> SimulationSlots:
    return request.app.state.sweep_slots


SettingsDep = Annotated[Settings, Depends(get_settings)]
SlotsDep = Annotated[SimulationSlots, Depends(get_simulation_slots)]
TrainingSlotsDep = Annotated[SimulationSlots, Depends(get_training_slots)]
SweepSlotsDep = Annotated[SimulationSlots, Depends(get_sweep_slots)]
