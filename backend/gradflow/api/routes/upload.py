"""POST /api/simulate/upload: a simulation of your own network, its weights sent as a file.

multipart/form-data with a `weights` file part (.npz, .safetensors, .json, .pt/.pth, .keras or .weights.h5; read by
gradflow.io, which never runs a file's code), a `config` part holding the JSON request without `params`, and optionally an `inputs` file
part (T x I as .json, .csv or .npy). The answer is POST /api/simulate's for that request with those weights.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from pydantic import ValidationError

from gradflow.api.deps import SettingsDep, SlotsDep
from gradflow.api.refusals import documented, invalid, unprocessable
from gradflow.api.responses import StrictJSONResponse
from gradflow.api.routes.simulate import answer
from gradflow.io import FileError, read_matrix, read_weights
from gradflow.models import SimulateRequest, SimulateResponse
from gradflow.models.messages import validation_errors

PATH = "/api/simulate/upload"

router = APIRouter(tags=["simulate"])


@router.post(
    "/simulate/upload",
    response_model=SimulateResponse,
    response_class=StrictJSONResponse,
    responses=documented("simulation", "the request"),
    summary="Simulate your own network (weights as a file)",
    description="Weights in PyTorch's state_dict names (or a Keras layer's kernel, recurrent_kernel, bias) as "
    ".npz, .safetensors, .json, .pt/.pth (torch.save of a state_dict, read without running it), .keras or .weights.h5; "
    "`config` is the JSON request of POST /api/simulate without `params`, and may leave out cell, hidden_size, "
    "input_size and num_layers, which are then read from the file. Every "
    "array's shape is checked against cell, hidden_size, input_size and num_layers; no file's code is ever run.",
)
def simulate_upload(
    request: Request,
    settings: SettingsDep,
    slots: SlotsDep,
    weights: Annotated[
        UploadFile, File(description="The weights: .npz, .safetensors, .json, .pt, .pth, .keras or .weights.h5.")
    ],
    config: Annotated[str, Form(description='The JSON request without `params`, e.g. {"cell": "lstm"}.')] = "{}",
    inputs: Annotated[UploadFile | None, File(description="Optional inputs, T x I: .json, .csv or .npy.")] = None,
) -> Response:
    fields = _config(config)
    fields["params"] = _read(weights, "weights", lambda data, name: read_weights(data, name, settings.max_upload_bytes))
    if inputs is not None:
        fields["inputs"] = _read(inputs, "inputs", read_matrix).tolist()
    try:
        body = SimulateRequest.model_validate(fields)
    except ValidationError as exc:
        raise invalid(validation_errors(exc.errors())) from None
    return answer(body, "body", request, settings, slots)


def _config(text: str) -> dict[str, Any]:
    try:
        fields = json.loads(text)
    except ValueError as exc:
        raise unprocessable(f"config: not valid JSON ({exc})", "body", "config") from None
    if not isinstance(fields, dict):
        raise unprocessable("config: must be a JSON object, the request's fields", "body", "config")
    if "params" in fields:
        raise unprocessable("config: send the weights as the `weights` file, not as params", "body", "config")
    return fields


def _read(part: UploadFile, name: str, parse) -> Any:
    try:
        return parse(part.file.read(), part.filename or name)
    except FileError as exc:
        raise unprocessable(f"{name}: {exc}", "body", name) from None
