"""Strict, fast JSON: orjson with native numpy arrays; nan and +-inf become `null`, never NaN/Infinity tokens.

orjson writes `null` for a non-finite float, whether a Python float, a numpy scalar or an element of a
float64 array (tests/api/test_encoding.py holds it to that), so the core's arrays go out without a
`.tolist()` copy. The only things it refuses are arrays that are not C-contiguous (slices, transposes):
`_default` hands those back as contiguous copies.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import orjson

OPTIONS = orjson.OPT_SERIALIZE_NUMPY


def _default(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return np.ascontiguousarray(value)
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def dumps(content: Any) -> bytes:
    """`content` as strict UTF-8 JSON bytes."""
    return orjson.dumps(content, option=OPTIONS, default=_default)


def dumps_in_parts(content: Any) -> bytes:
    """The same bytes as `dumps(content)`, written one dict entry at a time.

    orjson holds the GIL for a whole call: 30-70 ms for a 26 MB answer, during which the event loop cannot
    answer even /api/health. Between the calls for each array the interpreter can hand the GIL over, so the
    longest hold is one array's (a few ms). The pieces are joined once (every extra copy of 26 MB costs
    about 10 ms here).
    """
    return b"".join(_pieces(content))


def _pieces(content: Any) -> Iterator[bytes]:
    if not isinstance(content, dict) or not all(isinstance(key, str) for key in content):
        yield dumps(content)
        return
    yield b"{"
    for k, (key, value) in enumerate(content.items()):
        yield (b"," if k else b"") + dumps(key) + b":"
        yield from _pieces(value)
    yield b"}"


def to_jsonable(content: Any) -> Any:
    """`content` as the plain JSON values a client decodes from `dumps(content)`: lists, floats, None for
    every non-finite number. What the library's `to_dict()` returns, equal to the API's answer."""
    return orjson.loads(dumps(content))
