"""Fixtures for the browser tests: the real app on a loopback port, and Debian's Chromium via Playwright.

The browser is /usr/bin/chromium (never a downloaded one). Without it the tests are skipped on a developer's
machine, but fail under CI (env CI set), where a browser test that cannot run must not pass silently.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.needs import missing
from tests.serving import serving

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """The real app (create_app) served by uvicorn in a background thread."""
    from gradflow.api.main import create_app

    with serving(create_app()) as url:
        yield f"{url}/"


# Module scope, not session: Playwright's sync API keeps an asyncio loop running in this thread while it is
# open, which would break the anyio-driven API tests if they ran after the browser tests.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageProbe:
    """A page plus what it logged: console errors, uncaught exceptions, and every URL it requested."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))

    def open(self, query: str = "") -> None:
        """Loads the page and waits until every view has drawn."""
        self.page.goto(self.base_url + query)
        self.wait_drawn(1)

    def draws(self) -> int:
        return int(self.page.locator("body").get_attribute("data-draws") or 0)

    def wait_drawn(self, at_least: int) -> None:
        # a selector wait, not wait_for_function: the page's CSP (no unsafe-eval) forbids evaluating strings
        deadline = time.monotonic() + 30
        while self.draws() < at_least:
            settled = self.page.locator("main[aria-busy='false']").count() == 1
            if settled and self.page.get_by_test_id("error").is_visible():
                raise AssertionError(f"the page shows an error: {self.page.get_by_test_id('error').inner_text()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"views not drawn {at_least} time(s) within 30 s; errors: {self.errors}")
            self.page.wait_for_timeout(25)
        self.page.wait_for_selector("main[aria-busy='false']", state="attached")

    def wait_for(self, what: str, check, timeout: float = 60.0, shown_error: str | None = None) -> None:
        """Polls `check()` until it holds (the page's CSP forbids wait_for_function's eval); fails with `what`
        after `timeout` s, or at once when the element with data-testid `shown_error` is visible, with its text."""
        deadline = time.monotonic() + timeout
        while not check():
            error = self.page.get_by_test_id(shown_error) if shown_error else None
            if error is not None and error.is_visible():
                raise AssertionError(f"{shown_error} shows: {error.inner_text()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} within {timeout} s; errors: {self.errors}")
            self.page.wait_for_timeout(25)

    def wait_view(self, testid: str) -> None:
        """Scrolls a view into sight and waits until it holds its numbers for the current settings: the page
        fetches the flow matrix only when its view comes near the window (docs/page.md)."""
        self.page.get_by_test_id(testid).scroll_into_view_if_needed()
        self.page.wait_for_selector(f"[data-testid='{testid}'][data-drawn='data']", state="attached", timeout=30000)

    def plot(self, testid: str) -> list[dict]:
        """The traces Plotly drew in a view (its div's `data`)."""
        return self.page.get_by_test_id(testid).evaluate("el => el.data")

    def layout(self, testid: str) -> dict:
        return self.page.get_by_test_id(testid).evaluate("el => el.layout")

    def foreign_requests(self) -> list[str]:
        own = urlparse(self.base_url).netloc
        return [
            u
            for u in self.requests
            if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).netloc != own
        ]


@pytest.fixture
def probe(browser, base_url) -> Iterator[PageProbe]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    probe = PageProbe(page, base_url)
    yield probe
    context.close()
    assert probe.errors == [], f"the page logged errors: {probe.errors}"
    assert probe.foreign_requests() == [], f"the page contacted other hosts: {probe.foreign_requests()}"


@pytest.fixture
def api(base_url):
    """GET /api/simulate with the page's own query, as JSON: the numbers the views must show."""

    def get(**params: object) -> dict:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        with urllib.request.urlopen(f"{base_url}api/simulate?{query}", timeout=30) as response:
            return json.load(response)

    return get


VIEWS = ["plot-unrolled", "plot-norms", "plot-gates", "plot-spectrum", "plot-flow", "plot-clipping"]
"""The views' chart elements by test id."""


def page_arrays(probe) -> str:
    """The `arrays` form every simulate request of the page asked for: float32 typed arrays, for drawing."""
    asked = {
        q.get("arrays", [None])[0]
        for u in probe.requests
        if "/api/simulate?" in u
        for q in [parse_qs(urlparse(u).query)]
    }
    assert asked == {"binary-f4"}, f"the page's simulate requests asked for arrays {asked}"
    return asked.pop()


def trace(traces: list[dict], name: str) -> dict:
    found = [t for t in traces if t.get("name") == name]
    assert found, f"no trace named {name!r} among {[t.get('name') for t in traces]}"
    return found[0]
