"""Error responses a person can act on, in FastAPI's shape (`{"detail": [{"loc", "msg", "type", ...}]}`).

Every validation message starts with the field and the value it got; pydantic's text then gives the limit.
Responses go through the strict encoder (a NaN echoed back from a request body becomes `null` rather than
crashing the error page), large inputs are not echoed back, and an unexpected failure answers a plain
500 with no stack trace.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match

from gradflow.api.responses import StrictJSONResponse
from gradflow.models.messages import describe

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


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
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL for route in request.app.router.routes
        )
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
