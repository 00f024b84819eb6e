"""uvicorn's HTTP/1.1 protocol with TCP_NODELAY on every connection, whatever the listening socket.

asyncio turns Nagle's algorithm off only for sockets whose `proto` is IPPROTO_TCP. With `--workers` > 1,
uvicorn binds the listening socket itself with proto 0, so connections keep Nagle on: a response written in
two parts (headers, then body) then waits for the client's delayed ACK, and a client such as httpx saw every
answer 40 ms late (`/api/health` 44 ms instead of 1 ms). One worker was never affected.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


def set_nodelay(transport: asyncio.BaseTransport) -> None:
    """Turns Nagle's algorithm off on a TCP transport's socket (a Unix socket is left alone)."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayH11Protocol(H11Protocol):
    """H11Protocol whose connections never wait on Nagle's algorithm."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_nodelay(transport)
        super().connection_made(transport)
