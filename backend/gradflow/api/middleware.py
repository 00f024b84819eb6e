"""Pure ASGI middleware: security headers on every response and a cap on request body size.

Pure ASGI (not BaseHTTPMiddleware) so streamed and large responses pass through untouched.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gradflow.api.responses import StrictJSONResponse

# Only this origin may supply scripts, styles, images, fonts and fetches. Plotly.js and the docs' UIs set
# inline `style` attributes (hence 'unsafe-inline' for styles only); Plotly draws heatmaps as data: images;
# ReDoc runs its search index in a blob: worker. No 'unsafe-eval', no inline scripts. docs/api.md explains.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeadersMiddleware:
    """Adds `SECURITY_HEADERS` to every HTTP response (those the app set itself win)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """Refuses request bodies over `max_bytes` with 413: at once when Content-Length says so, else as soon
    as the streamed body passes the limit (chunked uploads carry no length)."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger: dict[str, tuple[int, str]] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = larger or {}
        """path -> (limit, setting) for routes that take files."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, setting = self.larger.get(scope.get("path", ""), (self.max_bytes, "GRADFLOW_MAX_BODY_BYTES"))
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            response = StrictJSONResponse({"detail": self._message(limit, setting)}, status_code=413)
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # FastAPI re-raises HTTPException from body reading, so this becomes the 413.
                    raise HTTPException(status_code=413, detail=self._message(limit, setting))
            return message

        await self.app(scope, counting_receive, send)

    @staticmethod
    def _message(limit: int, setting: str) -> str:
        return f"Request body is over the limit of {limit} bytes (setting {setting})."
