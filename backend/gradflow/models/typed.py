"""The schema of a typed array (`arrays=binary`, gradflow/wire/typed.py): Plotly's own form."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class TypedArray(BaseModel):
    """A numeric array as Plotly's typed array: the base64 of its little-endian buffer. NaN in an f8/f4 buffer is
    a null (named in `warnings`)."""

    dtype: Literal["f8", "f4", "i4"] = Field(description="float64, float32 or int32.")
    bdata: str = Field(description="The buffer, base64-encoded, little-endian.")
    shape: str = Field(description="'n' or 'rows, columns'.")
