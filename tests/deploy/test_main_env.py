"""`python -m gradflow.api` reads PORT and WORKERS (what platforms and the Docker image set), flags win."""

from __future__ import annotations

from typing import Any

import pytest
from gradflow.api import __main__ as entry


@pytest.fixture
def served(monkeypatch) -> dict[str, Any]:
    """What `main` would hand to uvicorn, without serving."""
    calls: dict[str, Any] = {}
    monkeypatch.setattr(entry.uvicorn, "run", lambda app, **kwargs: calls.update(kwargs))
    for name in ("PORT", "WORKERS", "GRADFLOW_PORT", "GRADFLOW_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    return calls


def test_port_and_workers_come_from_the_environment(served, monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("WORKERS", "3")
    entry.main([])
    assert (served["port"], served["workers"]) == (8123, 3)


def test_they_win_over_the_gradflow_settings(served, monkeypatch):
    monkeypatch.setenv("GRADFLOW_PORT", "8001")
    monkeypatch.setenv("GRADFLOW_WORKERS", "2")
    entry.main([])
    assert (served["port"], served["workers"]) == (8001, 2)
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("WORKERS", "3")
    entry.main([])
    assert (served["port"], served["workers"]) == (8123, 3)


def test_flags_win_over_the_environment(served, monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("WORKERS", "3")
    entry.main(["--port", "9000", "--workers", "1"])
    assert (served["port"], served["workers"]) == (9000, 1)


def test_a_bad_port_is_named(served, monkeypatch, capsys):
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(SystemExit) as exit_info:
        entry.main([])
    assert exit_info.value.code == 2
    assert "argument --port: invalid int value: 'eighty'" in capsys.readouterr().err
