"""The request of a simulation: the one definition, shared by the API, the library and the CLI.

Defaults are `SimConfig`'s (the core's); bounds (`bounds.py`), enums and descriptions are here, in `Field`,
and reach the page through `/openapi.json` (`components.schemas.SimulateRequest.properties`).

`SimulateParams` holds every field a query string can carry (GET); `SimulateRequest` adds the POST-only
`inputs` matrix. Both share the same field definitions, so GET and POST cannot drift apart. Imports only
pydantic and the core, so a caller without a web server can validate a request.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from gradflow.core.config import Activation, Cell, ClipMode, ClipScope, Init, InputKind, Loss, SimConfig
from gradflow.core.params import Weights
from gradflow.core.simulate import RESPONSE_FIELDS
from gradflow.core.weights import from_arrays
from gradflow.wire.typed import DESCRIPTION as ARRAYS_DESCRIPTION
from gradflow.wire.typed import ArraysForm

from .bounds import (
    EXACT_DIGITS,
    MAX_BATCH_SIZE,
    MAX_CLIP_THRESHOLD,
    MAX_FLOW_STEPS,
    MAX_FORGET_BIAS_ABS,
    MAX_HIDDEN_SIZE,
    MAX_INPUT_ABS,
    MAX_INPUT_SIZE,
    MAX_LAYERS,
    MAX_RECURRENT_SCALE,
    MAX_SEED,
    MAX_SEQ_LEN,
)
from .inferred import fill_shape
from .strict import json_bool, json_number

_DEFAULT = {f.name: f.default for f in dataclasses.fields(SimConfig)}

ResponseField = Literal[RESPONSE_FIELDS]  # type: ignore[valid-type]
"""What `fields` may name: the core's list (tests check SimulateResponse describes each one)."""


class SimulateParams(BaseModel):
    """Every request field a query string can carry (GET /api/simulate)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    cell: Cell = Field(_DEFAULT["cell"], description="Recurrent cell, PyTorch's equations.")
    activation: Activation = Field(_DEFAULT["activation"], description="rnn only: the nonlinearity.")
    seq_len: int = Field(_DEFAULT["seq_len"], ge=1, le=MAX_SEQ_LEN, description="T: time steps.")
    hidden_size: int = Field(_DEFAULT["hidden_size"], ge=1, le=MAX_HIDDEN_SIZE, description="H: hidden units.")
    input_size: int = Field(_DEFAULT["input_size"], ge=1, le=MAX_INPUT_SIZE, description="I: input features.")
    init: Init = Field(
        _DEFAULT["init"],
        description="W_hh (each gate block) = s*Q with Q orthogonal, or s*N(0,1)/sqrt(H); s = recurrent_scale.",
    )
    recurrent_scale: float = Field(
        _DEFAULT["recurrent_scale"],
        gt=0,
        le=MAX_RECURRENT_SCALE,
        description="s: for rnn + orthogonal it is exactly every singular value of W_hh.",
    )
    forget_bias: float = Field(
        _DEFAULT["forget_bias"],
        ge=-MAX_FORGET_BIAS_ABS,
        le=MAX_FORGET_BIAS_ABS,
        description="lstm: added to the forget-gate bias.",
    )
    input_kind: InputKind = Field(_DEFAULT["input_kind"], description="How x_1..x_T are drawn (seeded).")
    batch_size: int = Field(
        _DEFAULT["batch_size"],
        ge=1,
        le=MAX_BATCH_SIZE,
        description="Independent input sequences; per-step norms then also come as mean, min and max.",
    )
    seed: int = Field(
        _DEFAULT["seed"],
        ge=0,
        le=MAX_SEED,
        description="Seeds weights, readout and inputs: same request, same response.",
    )
    loss: Loss = Field(_DEFAULT["loss"], description="'last': L = v.h_T; 'all': L = sum_t v.h_t.")
    clip_mode: ClipMode = Field(
        _DEFAULT["clip_mode"], description="torch clip_grad_norm_ ('norm') / clip_grad_value_ ('value') semantics."
    )
    clip_threshold: float = Field(
        _DEFAULT["clip_threshold"], gt=0, le=MAX_CLIP_THRESHOLD, description="max_norm (norm) or clip value (value)."
    )
    clip_scope: ClipScope = Field(
        _DEFAULT["clip_scope"],
        description="'parameters': clip the parameter gradients (global norm, as torch); "
        "'bptt': clip dL/dh_t at every step during backpropagation.",
    )
    return_params: bool = Field(
        _DEFAULT["return_params"], description="Also return the weights, inputs and full parameter gradients."
    )
    flow_steps: int = Field(
        _DEFAULT["flow_steps"],
        ge=0,
        le=MAX_FLOW_STEPS,
        description="Loss positions in the flow matrix (strided over the sequence); 0 = no flow matrix.",
    )
    num_layers: int = Field(
        _DEFAULT["num_layers"],
        ge=1,
        le=MAX_LAYERS,
        description="Stacked layers, as torch.nn.RNN/LSTM/GRU(num_layers=...): layer l reads layer l-1's h; the loss "
        "reads the top layer. Top-level fields then describe the top layer; `layers` and `depth_flow` all of them.",
    )
    digits: int | None = Field(
        None,
        ge=1,
        le=EXACT_DIGITS,
        description="Round the answer's arrays for a smaller, faster answer: values to this many significant "
        "digits, arrays of log10 (every key containing `log10`) to this many decimal places, i.e. the quantity "
        "they stand for to a relative 1.2 x 10**-digits. Scalars stay exact. Absent or 17: every float64 exact.",
    )
    arrays: ArraysForm = Field("json", description=ARRAYS_DESCRIPTION)
    fields: list[ResponseField] | None = Field(  # type: ignore[valid-type]
        _DEFAULT["fields"],
        description="Return only these response fields (plus config, warnings, elapsed_ms); absent = all. "
        "In a query string: fields=a&fields=b or fields=a,b.",
    )

    @field_validator("fields", mode="before")
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        """Accept `fields=a,b` as well as repeated `fields=a&fields=b`."""
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            # Non-strings pass through untouched for the Literal check to refuse with a 422.
            return (
                [part.strip() for item in value for part in item.split(",")]
                if all(isinstance(item, str) for item in value)
                else value
            )
        return value

    def to_sim_config(self) -> SimConfig:
        """The core's config for this request (inputs and fields as tuples, as SimConfig keeps them)."""
        # digits: how the answer is written, not what the core computes
        values = self.model_dump(exclude={"digits", "arrays", "params"})
        params = getattr(self, "params", None)
        values["params"] = params.weights if isinstance(params, CheckedParams) and params.weights else params
        if values.get("inputs") is not None:
            values["inputs"] = tuple(tuple(row) for row in values["inputs"])
        if values["fields"] is not None:
            values["fields"] = tuple(dict.fromkeys(values["fields"]))
        return SimConfig(**values)


class CheckedParams(dict):
    """The `params` arrays of a request, with the `Weights` they were checked into (None until the sizes are
    known), so the arrays are converted once."""

    weights: Weights | None = None


def number_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` that hold one number (int or float, optionally None); bool is not a number here,
    though Python counts it as an int."""

    def is_number(annotation: Any) -> bool:
        union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
        kinds = [a for a in typing.get_args(annotation) if a is not type(None)] if union else [annotation]
        return all(kind in (int, float) for kind in kinds)

    return tuple(name for name, field in model.model_fields.items() if is_number(field.annotation))


NUMBER_FIELDS = number_fields(SimulateParams)
"""The fields a JSON body must give as JSON numbers (see `SimulateRequest._json_numbers_only`)."""
InputValue = Annotated[float, Field(ge=-MAX_INPUT_ABS, le=MAX_INPUT_ABS)]


class SimulateRequest(SimulateParams):
    """POST /api/simulate body: every query field plus explicit `inputs`."""

    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={"examples": [{"cell": "lstm", "seq_len": 100, "hidden_size": 32, "recurrent_scale": 1.0}]},
    )

    inputs: list[Annotated[list[InputValue], Field(min_length=1, max_length=MAX_INPUT_SIZE)]] | None = Field(
        _DEFAULT["inputs"],
        min_length=1,
        max_length=MAX_SEQ_LEN,
        description="POST only: explicit inputs x_1..x_T, seq_len rows of input_size finite numbers "
        f"(|x| <= {MAX_INPUT_ABS:g}); overrides input_kind; needs batch_size 1.",
    )

    params: dict[str, Any] | None = Field(
        None,
        description="POST only: explicit weights instead of seeded ones, {name: array}. PyTorch state_dict names "
        "(weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ..._l1, ...; for one layer also weight_ih, ...) or a "
        "Keras layer's kernel, recurrent_kernel, bias; optional readout (H numbers, the loss's v). Every shape is "
        "checked against cell, hidden_size, input_size and num_layers; init, recurrent_scale and forget_bias then "
        "do not apply. Large networks: POST /api/simulate/upload takes the file (.npz, .safetensors, .json, .pt, .keras, .h5).",
    )

    @field_validator(*NUMBER_FIELDS, mode="before")
    @classmethod
    def _json_numbers_only(cls, value: Any) -> Any:
        return json_number(value)

    @model_validator(mode="wrap")
    @classmethod
    def _shape_from_the_weights(cls, data: Any, handler: Any) -> SimulateRequest:
        """With `params`, cell, hidden_size, input_size and num_layers may be left out: they are read from the
        arrays (models/inferred.py), and the answer's `weights.inferred` says which."""
        inferred, notes = {}, []
        if isinstance(data, dict) and isinstance(data.get("params"), dict):
            data, inferred, notes = fill_shape(data)
        model = handler(data)
        weights = getattr(model.params, "weights", None)
        if weights is not None:
            weights.inferred = inferred
            weights.notes = [*notes, *weights.notes]
        return model

    @field_validator("return_params", mode="before")
    @classmethod
    def _json_bool_only(cls, value: Any) -> Any:
        return json_bool(value)

    @field_validator("params")
    @classmethod
    def _params_fit_the_network(cls, params: dict[str, Any] | None, info: ValidationInfo) -> dict[str, Any] | None:
        """Every array numeric, finite and of the shape the cell, sizes and num_layers need (core/weights.py).
        The checked weights ride along (`CheckedParams.weights`), so the core does not convert them again."""
        if params is None:
            return None
        arrays = CheckedParams()
        for name, value in params.items():
            try:
                arrays[name] = np.asarray(value, dtype=np.float64)
            except (ValueError, TypeError):
                raise ValueError(f"{name}: expected an array of numbers (a list of equal-length rows)") from None
        sizes = [info.data.get(k) for k in ("cell", "hidden_size", "input_size", "num_layers")]
        if None not in sizes:
            arrays.weights = from_arrays(arrays, *sizes)  # raises WeightsError (a ValueError) naming the array
        return arrays

    @field_validator("inputs")
    @classmethod
    def _inputs_match_shape(cls, inputs: list[list[float]] | None, info: ValidationInfo) -> list[list[float]] | None:
        """`inputs` must be seq_len x input_size and come with batch_size 1 (it is one sequence)."""
        if inputs is None:
            return inputs
        seq_len, input_size, batch_size = (info.data.get(k) for k in ("seq_len", "input_size", "batch_size"))
        if seq_len is not None and len(inputs) != seq_len:
            raise ValueError(f"inputs has {len(inputs)} rows but seq_len is {seq_len}: give one row per time step")
        if input_size is not None:
            for k, row in enumerate(inputs):
                if len(row) != input_size:
                    raise ValueError(
                        f"inputs row {k} has {len(row)} numbers but input_size is {input_size}: "
                        "every row needs input_size numbers"
                    )
        if batch_size is not None and batch_size != 1:
            raise ValueError(f"explicit inputs are one sequence, so batch_size must be 1 (got {batch_size})")
        return inputs
