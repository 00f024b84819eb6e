"""Error responses a person can act on, in FastAPI's shape (`{"detail": [{"loc", "msg", "type", ...}]}`).

Every validation message starts with the field and the value it got; pydantic's text then gives the limit.
Responses go through the strict encoder (a NaN echoed back from a request body becomes `null` rather than
crashing the error page), large inputs are not echoed back, and an unexpected failure answers a plain
500 with no stack trace.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match

from gradflow.api.encoding import StrictJSONResponse

_SCALAR = (str, int, float, bool, type(None))
_MAX_ECHO = 80
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def describe(error: dict[str, Any]) -> dict[str, Any]:
    """One pydantic/FastAPI error as `{"type", "loc", "msg", ["input"], ["ctx"]}` with a readable `msg`."""
    loc = list(error.get("loc", ()))
    where = loc[0] if loc else "request"
    field = ".".join(str(part) for part in loc[1:]) or str(where)
    kind = error.get("type", "")
    value = error.get("input")
    msg = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    ctx = {k: v if isinstance(v, _SCALAR) else str(v) for k, v in (error.get("ctx") or {}).items() if k != "error"}
    ctx_error = str((error.get("ctx") or {}).get("error", "decode error"))
    if kind == "extra_forbidden":
        msg = f"unknown field '{field}'"
        if field == "inputs" and where == "query":
            msg += ": explicit inputs can only be sent in a POST body"
        else:
            msg += ": the accepted fields are listed in /openapi.json (SimulateRequest)"
    elif kind == "json_invalid":
        msg = f"the request body is not valid JSON ({ctx_error} at character {field})"
    elif kind == "missing":
        msg = f"{field}: a value is required"
    elif msg.startswith(field):  # our own validators already name the field
        pass
    elif (isinstance(value, float) and not math.isfinite(value)) or (isinstance(value, int) and not _echoable(value)):
        msg = f"{field} = {value}: {msg}"
    elif _echoable(value):
        shown = value if where == "query" else repr(value)  # query values are all strings; no quotes
        msg = f"{field} = {shown}: {msg}"
    else:
        msg = f"{field}: {msg}"
    described: dict[str, Any] = {"type": kind, "loc": loc, "msg": msg}
    if _echoable(value):
        described["input"] = value
    if ctx:
        described["ctx"] = ctx
    return described


def _echoable(value: Any) -> bool:
    """Short, finite scalars are echoed back as `input`; lists (e.g. all of `inputs`) and NaN are not."""
    if isinstance(value, float) and not math.isfinite(value):
        return False
    if isinstance(value, int) and not -(2**63) <= value < 2**64:
        return False  # JSON allows it, but no 64-bit encoder does
    return isinstance(value, _SCALAR) and value is not None and len(str(value)) <= _MAX_ECHO


async def _validation_error(request: Request, exc: RequestValidationError) -> StrictJSONResponse:
    return StrictJSONResponse({"detail": [describe(e) for e in exc.errors()]}, status_code=422)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names only the first route that matched the path; list every method of the resource.
        headers["Allow"] = ", ".join(allowed_methods(request))
    if exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=headers)
    return StrictJSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app accepts at this request's path (asked of the routes themselves,
    so included routers and mounts count)."""
    methods = {
        method
        for method in _METHODS
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in request.app.router.routes)
    }
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


async def _unexpected_error(request: Request, exc: Exception) -> StrictJSONResponse:
    # ServerErrorMiddleware re-raises after this, so the server log still gets the traceback.
    return StrictJSONResponse({"detail": "Internal server error."}, status_code=500)


def add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected_error)
