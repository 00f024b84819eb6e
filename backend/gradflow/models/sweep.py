"""The request of a sweep (POST /api/sweep): the one definition, shared by the API, the library and the CLI.
Names and meanings: docs/api.md ("POST /api/sweep")."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from gradflow.sweeping import SweepSpec
from gradflow.wire.typed import DESCRIPTION as ARRAYS_DESCRIPTION
from gradflow.wire.typed import ArraysForm

from .bounds import MAX_AXIS_POINTS, MAX_SWEEP_SEEDS
from .messages import validation_errors
from .request import NUMBER_FIELDS, SimulateRequest
from .strict import json_number

AXIS_FIELDS = tuple(name for name in NUMBER_FIELDS if name not in ("digits", "seed"))
AxisField = Literal[AXIS_FIELDS]  # type: ignore[valid-type]


class Axis(BaseModel):
    """One axis: explicit `values`, or `start`, `stop`, `num` (and `log` for log spacing)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)  # a JSON body says what it means

    field: AxisField = Field(description="A numeric request field of /api/simulate.")  # type: ignore[valid-type]
    values: list[float] | None = Field(None, min_length=1, max_length=MAX_AXIS_POINTS)
    start: float | None = None
    stop: float | None = None
    num: int | None = Field(None, ge=1, le=MAX_AXIS_POINTS, strict=False)  # 16.0 is an integer, as JSON Schema has it
    log: bool = Field(False, description="Log-spaced from start to stop (both > 0).")

    @field_validator("num", mode="before")
    @classmethod
    def _json_number_only(cls, value: Any) -> Any:
        return json_number(value)

    @model_validator(mode="after")
    def _one_form(self) -> Axis:
        ranged = (self.start, self.stop, self.num)
        if (self.values is None) == (None in ranged):
            raise ValueError("give either values, or start, stop and num")
        if self.values is None and self.log and min(self.start, self.stop) <= 0:  # type: ignore[type-var]
            raise ValueError("a log axis needs start > 0 and stop > 0")
        return self

    def points(self) -> list[float | int]:
        """The axis values; whole numbers for an integer field."""
        if self.values is not None:
            raw = np.asarray(self.values, dtype=float)
        elif self.log:
            raw = np.geomspace(self.start, self.stop, self.num)
        else:
            raw = np.linspace(self.start, self.stop, self.num)
        integer = SimulateRequest.model_fields[self.field].annotation is int
        return [int(round(v)) for v in raw] if integer else [float(v) for v in raw]


class SweepRequest(BaseModel):
    """POST /api/sweep: a grid of simulations, seeds per point, metrics per point and seed."""

    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "base": {"cell": "rnn", "seq_len": 100},
                    "x": {"field": "recurrent_scale", "start": 0.5, "stop": 2, "num": 16, "log": True},
                    "seeds": 2,
                }
            ]
        },
    )

    base: dict[str, Any] = Field(default_factory=dict, description="Any /api/simulate fields (without params).")
    x: Axis
    y: Axis | None = None
    seeds: int = Field(
        1, ge=1, le=MAX_SWEEP_SEEDS, strict=False, description="Runs per point: seeds base.seed, base.seed + 1, ..."
    )

    @field_validator("seeds", mode="before")
    @classmethod
    def _json_number_only(cls, value: Any) -> Any:
        return json_number(value)

    stream: bool = Field(True, description="true: NDJSON points as they finish, then the summary; false: one JSON.")
    arrays: ArraysForm = Field("json", description=ARRAYS_DESCRIPTION)

    def to_spec(self) -> SweepSpec:
        """The sweep with every point's configuration checked by SimulateRequest (raises ValueError naming
        the axis value at fault)."""
        base = _checked({k: v for k, v in self.base.items() if k not in ("fields", "digits")}, "base")
        for axis, name in ((self.x, "x"), (self.y, "y")):
            if axis is not None:
                for k, value in enumerate(axis.points()):
                    _checked({**self.base, axis.field: value}, f"{name}.values[{k}]")
        if self.y is not None and self.y.field == self.x.field:
            raise ValueError(f"x and y both sweep {self.x.field}: choose two fields")
        return SweepSpec(
            base.to_sim_config(),
            self.x.field,
            tuple(self.x.points()),
            self.y.field if self.y else None,
            tuple(self.y.points()) if self.y else (),
            self.seeds,
        )


def _checked(fields: dict[str, Any], where: str) -> SimulateRequest:
    if "params" in fields:
        raise ValueError(f"{where}: explicit weights (params) are not swept; sweep seeded networks")
    try:
        return SimulateRequest.model_validate(fields)
    except ValidationError as exc:
        words = "; ".join(item["msg"] for item in validation_errors(exc.errors()))
        raise ValueError(f"{where}: {words}") from None
