"""TCP_NODELAY on every connection, even accepted from a listening socket bound with proto 0 (uvicorn's
several-worker mode), and `python -m gradflow.api` serves with that protocol."""

from __future__ import annotations

import socket

import pytest
from gradflow.api import __main__ as entry
from gradflow.api.protocol import NoDelayH11Protocol, set_nodelay


class FakeTransport:
    def __init__(self, sock: socket.socket | None) -> None:
        self.sock = sock

    def get_extra_info(self, name: str) -> socket.socket | None:
        return self.sock if name == "socket" else None


def test_a_connection_from_a_proto_0_listener_gets_nodelay():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:  # proto 0, as uvicorn binds it
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with socket.create_connection(listener.getsockname()) as _client:
            accepted, _ = listener.accept()
            with accepted:
                assert accepted.proto == 0 and accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
                set_nodelay(FakeTransport(accepted))
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_a_unix_socket_or_none_is_left_alone():
    left, right = socket.socketpair(socket.AF_UNIX)
    with left, right:
        set_nodelay(FakeTransport(left))
    set_nodelay(FakeTransport(None))


def test_the_entry_point_serves_with_the_nodelay_protocol(monkeypatch: pytest.MonkeyPatch):
    seen = {}
    monkeypatch.setattr(entry.uvicorn, "run", lambda app, **kwargs: seen.update(kwargs, app=app))
    entry.main(["--workers", "2", "--port", "8123"])
    assert seen["http"] is NoDelayH11Protocol and seen["workers"] == 2 and seen["port"] == 8123
