"""The pydantic models of a request and its answer: the one definition the API, the library and the CLI share.

Imports only pydantic and gradflow.core (never FastAPI), so validating a request needs no web stack.
"""

from .request import SimulateParams, SimulateRequest
from .response import SimulateResponse
from .train import TrainProgress, TrainRequest, TrainResult, TrainSummary

__all__ = [
    "SimulateParams",
    "SimulateRequest",
    "SimulateResponse",
    "TrainProgress",
    "TrainRequest",
    "TrainResult",
    "TrainSummary",
]
