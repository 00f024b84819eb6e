"""Typed arrays on the wire: `arrays=binary` turns every NumPy array of an answer into Plotly's own typed-array
form, `{"dtype": "f8" | "f4" | "i4", "bdata": <base64 of the little-endian buffer>, "shape": "r, c"}`, which
plotly.js decodes natively (and plotly.py writes): no decimal text to write, send or parse.

- "f8" (arrays=binary) is the float64 buffer itself: decoded, exactly the numbers the JSON answer holds.
- "f4" (arrays=binary-f4) rounds to float32, for drawing: half the bytes. A value beyond float32's range becomes
  NaN there, and a warning names the array (arrays=binary keeps it).
- A null (a value beyond float64, or the log10 of an exact zero) travels as NaN in the buffer, at the same place;
  the answer's `warnings` names it as in JSON. A decoder reads NaN as null.
- Integer arrays travel as "i4" when they fit, else as JSON. Arrays of more than two dimensions, and the small
  lists an answer builds itself (axis values), stay JSON. Scalars stay JSON numbers.
"""

from __future__ import annotations

import base64
from typing import Any, Literal

import numpy as np

ArraysForm = Literal["json", "binary", "binary-f4"]
DESCRIPTION = (
    "How numeric arrays travel. json (default): lists of numbers, null where a value has no float64. binary: "
    "Plotly's typed-array form {dtype, bdata, shape}: dtype f8 (exact float64) or i4, bdata the base64 of the "
    "little-endian buffer, shape 'n' or 'rows, columns'; a null is NaN in the buffer, named in `warnings` as in "
    "JSON. binary-f4: the same with float arrays rounded to f4 (float32), for drawing."
)
_I4 = np.iinfo(np.int32)


def typed_arrays(content: Any, form: ArraysForm) -> Any:
    """`content` with every NumPy array of 1 or 2 dimensions in typed form (`form` json: unchanged)."""
    if form == "json":
        return content
    lost: list[str] = []
    out = _walk(content, form == "binary-f4", "", lost)
    if lost and isinstance(out, dict) and isinstance(out.get("warnings"), list):
        out["warnings"] = [
            *out["warnings"],
            *(
                f"{path}: values beyond float32's range are null (NaN) in binary-f4; arrays=binary keeps them"
                for path in lost
            ),
        ]
    return out


def _walk(value: Any, f4: bool, path: str, lost: list[str]) -> Any:
    if isinstance(value, dict):
        return {k: _walk(v, f4, f"{path}.{k}" if path else str(k), lost) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_walk(v, f4, f"{path}[{i}]", lost) for i, v in enumerate(value)]
    if isinstance(value, np.ndarray) and value.ndim in (1, 2) and value.dtype.kind in "fiub":
        if f4 and value.dtype.kind == "f":
            with np.errstate(invalid="ignore"):
                beyond = np.abs(value) > np.finfo(np.float32).max
            if beyond.any():
                lost.append(path)
                value = np.where(beyond, np.nan, value)
        return encode(value, f4)
    return value


def encode(array: np.ndarray, f4: bool = False) -> dict[str, str] | list:
    """One array in Plotly's typed form; an integer array outside int32 stays a list."""
    if array.dtype.kind == "f":
        data = np.ascontiguousarray(array, dtype="<f4" if f4 else "<f8")
        dtype = "f4" if f4 else "f8"
    else:
        if array.size and (array.min() < _I4.min or array.max() > _I4.max):
            return array.tolist()
        data, dtype = np.ascontiguousarray(array, dtype="<i4"), "i4"
    shape = ", ".join(str(n) for n in array.shape)
    return {"dtype": dtype, "bdata": base64.b64encode(data.tobytes()).decode("ascii"), "shape": shape}


def decode(item: dict[str, str]) -> np.ndarray:
    """The array a typed item holds (for tests and Python clients)."""
    dtype = {"f8": "<f8", "f4": "<f4", "i4": "<i4"}[item["dtype"]]
    shape = tuple(int(n) for n in item["shape"].split(","))
    return np.frombuffer(base64.b64decode(item["bdata"]), dtype=dtype).reshape(shape)
