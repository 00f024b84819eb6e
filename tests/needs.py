"""What some tests need from the machine (a browser, nginx, torch), said once: without it a test is skipped on a
developer's machine, with the reason, and fails under CI (env CI set), where a test that cannot run must not
pass silently."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(what: str) -> None:
    """Skip (or fail in CI) because `what` (words that say what to install) is missing."""
    if in_ci():
        pytest.fail(f"{what} is missing: this test must run in CI")
    pytest.skip(f"{what} is missing")


def torch() -> ModuleType:
    """The torch module, or skip/fail: `make torch` (pip install torch==2.13.0, the CPU build) brings it."""
    try:
        return importlib.import_module("torch")
    except ImportError:
        missing("torch (make torch, or pip install 'gradflow[torch]')")
        raise
