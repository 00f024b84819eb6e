"""Request and response models of `/api/simulate`: the one place where bounds live.

Defaults are `SimConfig`'s (the core's); bounds, enums and descriptions are here, in `Field`, and reach
the page through `/openapi.json` (`components.schemas.SimulateRequest.properties`).

`SimulateParams` holds every field a query string can carry (GET); `SimulateRequest` adds the POST-only
`inputs` matrix. Both share the same field definitions, so GET and POST cannot drift apart.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from gradflow.api.rounding import EXACT_DIGITS
from gradflow.core.config import (
    Activation,
    Cell,
    ClipMode,
    ClipScope,
    Init,
    InputKind,
    Loss,
    SimConfig,
)
from gradflow.core.simulate import RESPONSE_FIELDS

_DEFAULT = {f.name: f.default for f in dataclasses.fields(SimConfig)}

MAX_SEQ_LEN = 1000
MAX_INPUT_SIZE = 16
MAX_INPUT_ABS = 1e6

Number = float | None
"""A float64 from the core; `null` where it is not finite (the response's `warnings` says where)."""
Vector = list[Number]
Matrix = list[Vector]


class Flow(BaseModel):
    """Gradient-flow matrix: row j, column k = log10 |dL_{t'}/dh_t|, t' = loss_steps[j], t = steps[k]."""

    loss_steps: list[int] = Field(description="1-based loss positions t' (rows).")
    steps: list[int] = Field(description="1-based time steps t (columns).")
    log10_norm: Matrix = Field(description="len(loss_steps) x len(steps); null where t > t'.")


class BatchStats(BaseModel):
    """Per-step statistics of log10 |dL/dh_t| over the batch."""

    mean: Vector
    min: Vector
    max: Vector


class SpectrumBlock(BaseModel):
    """Eigenvalues and norms of one gate block of W_hh."""

    eigenvalues: Matrix = Field(description="H x 2: [re, im] pairs.")
    spectral_radius: Number = None
    max_singular_value: Number = None


class Spectrum(BaseModel):
    """Eigenvalues of W_hh per gate block (gate names: 'h' for rnn, i f g o for lstm, r z n for gru)."""

    blocks: dict[str, SpectrumBlock]
    spectral_radius: Number = Field(None, description="Largest over the blocks.")
    max_singular_value: Number = Field(None, description="Largest over the blocks.")


class Clipping(BaseModel):
    """What gradient clipping did."""

    mode: ClipMode
    scope: ClipScope
    threshold: Number = None
    total_norm: Number = Field(None, description="Global 2-norm of the parameter gradients before clipping.")
    total_norm_log10: Number = None
    scale: Number = Field(None, description="Factor applied (norm, parameters scope); 1 when not clipped.")
    scale_log10: Number = Field(
        None, description="log10 of `scale`, exact even when the scale underflows to 0 (total norm beyond float64)."
    )
    clipped_total_norm: Number = None
    clipped_steps: int | None = Field(None, description="bptt scope: how many steps were clipped.")
    clipped_at: list[int] | None = Field(None, description="bptt scope: 1-based steps clipped (sequence 0).")


class SimulateResponse(BaseModel):
    """One simulation. Arrays over time are lists of rows, row k = step t = k + 1. Float64 throughout;
    a value that is not finite is null and `warnings` says where. With `fields`, only those keys (plus
    `config`, `warnings`, `elapsed_ms`) are present."""

    config: SimulateRequest = Field(description="The request with every default filled in.")
    loss: Number = None
    loss_batch_mean: Number = None
    hidden: Matrix | None = Field(None, description="T x H hidden states h_t.")
    cell_state: Matrix | None = Field(None, description="lstm: T x H cell states c_t.")
    gates: dict[str, Matrix] | None = Field(None, description="lstm {i,f,g,o}, gru {r,z,n}: T x H each.")
    grad_h: Matrix | None = Field(None, description="T x H, dL/dh_t (total derivative).")
    grad_c: Matrix | None = Field(None, description="lstm: T x H, dL/dc_t.")
    grad_h_norm: Vector | None = Field(None, description="T: |dL/dh_t|; null beyond float64.")
    grad_c_norm: Vector | None = None
    grad_h_log10_norm: Vector | None = Field(
        None, description="T: log10 |dL/dh_t|, exact beyond float64's range; null only for an exact zero."
    )
    grad_c_log10_norm: Vector | None = None
    grad_h_log10_abs: Matrix | None = Field(None, description="T x H: log10 |dL/dh_t| per element.")
    grad_c_log10_abs: Matrix | None = None
    grad_x: Matrix | None = Field(None, description="T x I, dL/dx_t.")
    flow: Flow | None = None
    memory_horizon: int | None = Field(
        None, description="Steps back from the loss while |dL/dh_t| stays above 1e-3 of its value there."
    )
    grad_h_log10_norm_batch: BatchStats | None = None
    spectrum: Spectrum | None = None
    clipping: Clipping | None = None
    param_grad_norms: dict[str, Number] | None = None
    clipped_param_grad_norms: dict[str, Number] | None = None
    param_grad_log10_norms: dict[str, Number] | None = Field(
        None, description="log10 of each parameter gradient's 2-norm, exact beyond float64; null for an exact zero."
    )
    params: dict[str, Vector | Matrix] | None = Field(None, description="return_params only.")
    inputs: Matrix | None = Field(None, description="return_params only: T x I (sequence 0).")
    param_grads: dict[str, Vector | Matrix] | None = None
    clipped_param_grads: dict[str, Vector | Matrix] | None = None
    warnings: list[str] = Field(default_factory=list)
    elapsed_ms: Number = Field(None, description="Server compute time in milliseconds.")


class ErrorItem(BaseModel):
    """One reason a request was refused; `loc` names where (`["query", "seq_len"]`, `["body", "inputs", 3, 0]`)."""

    type: str
    loc: list[str | int]
    msg: str = Field(description="In words: the field, the value it got, and the limit.")
    input: Any = None
    ctx: dict[str, Any] | None = None


class ValidationErrors(BaseModel):
    """422: invalid fields, or a request over the compute budget (type `compute_budget`)."""

    detail: list[ErrorItem]


class Message(BaseModel):
    """413, 503 and other refusals that concern the whole request."""

    detail: str


ResponseField = Literal[RESPONSE_FIELDS]  # type: ignore[valid-type]
"""What `fields` may name: the core's list (tests check SimulateResponse describes each one)."""


class SimulateParams(BaseModel):
    """Every request field a query string can carry (GET /api/simulate)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    cell: Cell = Field(_DEFAULT["cell"], description="Recurrent cell, PyTorch's equations.")
    activation: Activation = Field(_DEFAULT["activation"], description="rnn only: the nonlinearity.")
    seq_len: int = Field(_DEFAULT["seq_len"], ge=1, le=MAX_SEQ_LEN, description="T: time steps.")
    hidden_size: int = Field(_DEFAULT["hidden_size"], ge=1, le=256, description="H: hidden units.")
    input_size: int = Field(_DEFAULT["input_size"], ge=1, le=MAX_INPUT_SIZE, description="I: input features.")
    init: Init = Field(
        _DEFAULT["init"],
        description="W_hh (each gate block) = s*Q with Q orthogonal, or s*N(0,1)/sqrt(H); s = recurrent_scale.",
    )
    recurrent_scale: float = Field(
        _DEFAULT["recurrent_scale"],
        gt=0,
        le=100,
        description="s: for rnn + orthogonal it is exactly every singular value of W_hh.",
    )
    forget_bias: float = Field(
        _DEFAULT["forget_bias"], ge=-20, le=20, description="lstm: added to the forget-gate bias."
    )
    input_kind: InputKind = Field(_DEFAULT["input_kind"], description="How x_1..x_T are drawn (seeded).")
    batch_size: int = Field(
        _DEFAULT["batch_size"],
        ge=1,
        le=64,
        description="Independent input sequences; per-step norms then also come as mean, min and max.",
    )
    seed: int = Field(
        _DEFAULT["seed"], ge=0, le=2**32 - 1, description="Seeds weights, readout and inputs: same request, same response."
    )
    loss: Loss = Field(_DEFAULT["loss"], description="'last': L = v.h_T; 'all': L = sum_t v.h_t.")
    clip_mode: ClipMode = Field(
        _DEFAULT["clip_mode"], description="torch clip_grad_norm_ ('norm') / clip_grad_value_ ('value') semantics."
    )
    clip_threshold: float = Field(
        _DEFAULT["clip_threshold"], gt=0, le=1e6, description="max_norm (norm) or clip value (value)."
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
        le=128,
        description="Loss positions in the flow matrix (strided over the sequence); 0 = no flow matrix.",
    )
    digits: int | None = Field(
        None,
        ge=1,
        le=EXACT_DIGITS,
        description="Round the answer's arrays for a smaller, faster answer: values to this many significant "
        "digits, arrays of log10 (every key containing `log10`) to this many decimal places, i.e. the quantity "
        "they stand for to a relative 1.2 x 10**-digits. Scalars stay exact. Absent or 17: every float64 exact.",
    )
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
            return [part.strip() for item in value for part in item.split(",")] if all(
                isinstance(item, str) for item in value
            ) else value
        return value

    def to_sim_config(self) -> SimConfig:
        """The core's config for this request (inputs and fields as tuples, as SimConfig keeps them)."""
        values = self.model_dump(exclude={"digits"})  # how the answer is written, not what the core computes
        if values.get("inputs") is not None:
            values["inputs"] = tuple(tuple(row) for row in values["inputs"])
        if values["fields"] is not None:
            values["fields"] = tuple(dict.fromkeys(values["fields"]))
        return SimConfig(**values)


NUMBER_FIELDS = ("seq_len", "hidden_size", "input_size", "recurrent_scale", "forget_bias", "batch_size", "seed",
                 "clip_threshold", "flow_steps", "digits")
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
        "(|x| <= 1e6); overrides input_kind; needs batch_size 1.",
    )

    @field_validator(*NUMBER_FIELDS, mode="before")
    @classmethod
    def _json_numbers_only(cls, value: Any) -> Any:
        """A JSON body says what it means: no `true` for 1 or `"5"` for 5 (query strings are all text and
        stay lax). 5.0 for an integer field stays valid, as JSON Schema has it."""
        if isinstance(value, bool | str):
            raise PydanticCustomError("number_type", "Input should be a JSON number, not {kind}", {"kind": type(value).__name__})
        return value

    @field_validator("return_params", mode="before")
    @classmethod
    def _json_bool_only(cls, value: Any) -> Any:
        if not isinstance(value, bool):
            raise PydanticCustomError("bool_type", "Input should be true or false")
        return value

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


SimulateResponse.model_rebuild()
