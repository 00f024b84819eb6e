"""The real app on a free loopback port, for the README's examples (as tests/e2e serves it to the browser)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.serving import serving


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """`create_app()` served on a free loopback port; the URL without a trailing slash."""
    from gradflow.api.main import create_app

    with serving(create_app()) as url:
        yield url
