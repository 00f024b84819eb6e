"""POST /api/simulate/upload: a simulation of your own network, its weights sent as a file.

multipart/form-data with a `weights` file part (.npz, .safetensors or .json; read by gradflow.io,
never unpickled), a `config` part holding the JSON request without `params`, and optionally an `inputs` file
part (T x I as .json, .csv or .npy). The answer is POST /api/simulate's for that request with those weights.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile
from pydantic import ValidationError

from gradflow.api.deps import SettingsDep, SlotsDep
from gradflow.api.http import refusals
from gradflow.api.responses import StrictJSONResponse
from gradflow.api.routes.simulate import answer
from gradflow.io import FileError, read_matrix, read_weights
from gradflow.models import SimulateRequest, SimulateResponse
from gradflow.models.messages import describe

PATH = "/api/simulate/upload"

router = APIRouter(tags=["simulate"])


@router.post(
    "/simulate/upload",
    response_model=SimulateResponse,
    response_class=StrictJSONResponse,
    responses=refusals("simulation", "the request"),
    summary="Simulate your own network (weights as a file)",
    description="Weights in PyTorch's state_dict names (or a Keras layer's kernel, recurrent_kernel, bias) as "
    ".npz, .safetensors or .json; `config` is the JSON request of POST /api/simulate without `params`. Every "
    "array's shape is checked against cell, hidden_size, input_size and num_layers; nothing is ever unpickled.",
)
def simulate_upload(
    request: Request,
    settings: SettingsDep,
    slots: SlotsDep,
    weights: Annotated[UploadFile, File(description="The weights: .npz, .safetensors or .json.")],
    config: Annotated[str, Form(description='The JSON request without `params`, e.g. {"cell": "lstm"}.')] = "{}",
    inputs: Annotated[UploadFile | None, File(description="Optional inputs, T x I: .json, .csv or .npy.")] = None,
) -> Response:
    fields = _config(config)
    fields["params"] = _read(weights, "weights", read_weights)
    if inputs is not None:
        fields["inputs"] = _read(inputs, "inputs", read_matrix).tolist()
    try:
        body = SimulateRequest.model_validate(fields)
    except ValidationError as exc:
        raise HTTPException(422, [describe({**e, "loc": ("body", *e["loc"])}) for e in exc.errors()]) from None
    return answer(body, "body", request, settings, slots)


def _config(text: str) -> dict[str, Any]:
    try:
        fields = json.loads(text)
    except ValueError as exc:
        raise HTTPException(422, [_error("config", f"config: not valid JSON ({exc})")]) from None
    if not isinstance(fields, dict):
        raise HTTPException(422, [_error("config", "config: must be a JSON object, the request's fields")])
    if "params" in fields:
        raise HTTPException(422, [_error("config", "config: send the weights as the `weights` file, not as params")])
    return fields


def _read(part: UploadFile, name: str, parse) -> Any:
    try:
        return parse(part.file.read(), part.filename or name)
    except FileError as exc:
        raise HTTPException(422, [_error(name, f"{name}: {exc}")]) from None


def _error(name: str, msg: str) -> dict[str, Any]:
    return {"type": "value_error", "loc": ["body", name], "msg": msg}
