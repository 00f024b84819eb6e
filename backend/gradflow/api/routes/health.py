"""GET /api/health: liveness for people, load balancers and compose healthchecks."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

import gradflow

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


@router.get("/health", response_model=Health, summary="Is the service up, and which version")
async def health() -> Health:
    """Answers at once, on the event loop, even while simulations fill the thread pool."""
    return Health(version=gradflow.__version__)
