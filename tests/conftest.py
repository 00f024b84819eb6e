"""Shared test setup: the package lives under backend/ (installed editable by `make test`)."""

import pytest


@pytest.fixture
def anyio_backend() -> str:
    """anyio-marked tests run on asyncio only."""
    return "asyncio"
