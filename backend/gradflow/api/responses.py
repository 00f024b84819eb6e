"""The strict JSON response: `gradflow.wire.encoding.dumps` (orjson, numpy arrays native, non-finite as null)."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from gradflow.wire.encoding import dumps


class StrictJSONResponse(JSONResponse):
    """A JSON response encoded by `dumps`: numpy arrays welcome, non-finite numbers as null."""

    def render(self, content: Any) -> bytes:
        return dumps(content)
