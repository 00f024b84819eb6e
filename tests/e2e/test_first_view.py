"""The first view in headless Chromium: the training lab's, the sweep's and the Runs section's code is not
loaded until the reader scrolls near them (or the URL holds their settings), then it loads and works; what the
first view needs is preloaded from index.html and fetched once; a Start pressed while the lab's code
is still on its way trains once the lab is built."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.e2e

# Each section's own module in the page's bundle (frontend/dist, tools/page-bundle: BUILD.json names the file built
# from each entry; which sources each holds: tests/js/bundle.test.mjs).
BUNDLE = json.loads((Path(__file__).resolve().parents[2] / "frontend" / "dist" / "BUILD.json").read_text())["entries"]
SECTIONS = {
    "lab": (f"dist/{BUNDLE['train/lab.js']}",),
    "sweep": (f"dist/{BUNDLE['sweep/lab.js']}",),
    "runs": (f"dist/{BUNDLE['runs/section.js']}",),
}
QUICK_LAB = {"train_steps": "20", "train_seq_len": "10", "train_report_every": "5"}


def loaded(probe) -> list[str]:
    """The paths of every resource the page has fetched so far (the Resource Timing entries)."""
    names = probe.page.evaluate("() => performance.getEntriesByType('resource').map((e) => e.name)")
    return [urlparse(name).path.lstrip("/") for name in names]


def module_state(probe, section: str) -> str | None:
    return probe.page.locator(f"#{section}").get_attribute("data-module")


def wait_ready(probe, section: str) -> None:
    probe.wait_for(f"the {section} section not built", lambda: module_state(probe, section) == "ready", 30)


def test_the_first_view_loads_no_section_below_it_until_scrolled_to_and_then_they_work(probe):
    probe.open()
    page = probe.page
    first = loaded(probe)
    for section, modules in SECTIONS.items():
        assert module_state(probe, section) == "waiting"
        assert not set(modules) & set(first), f"the {section} section's code is part of the first view"
    assert page.get_by_test_id("train-start").is_enabled() and page.locator("#train-controls select").count() == 0

    # what index.html preloads is what the page uses: each fetched once (a preload the page's own request does
    # not match would be fetched twice), the modules, Plotly.js, the schema and the meta
    links = "links => links.map((l) => l.href)"
    preloaded = page.locator("link[rel=modulepreload], link[rel=preload]").evaluate_all(links)
    paths = {urlparse(url).path for url in preloaded}
    assert {"/vendor/plotly.min.js", "/openapi.json", "/api/meta"} <= paths, paths
    assert any(path.startswith("/dist/chunks/") for path in paths), paths
    assert not any(path.startswith("/js/") for path in loaded(probe)), "a source module, not the bundle"
    for url in preloaded:
        assert probe.requests.count(url) == 1, f"{url} fetched {probe.requests.count(url)} times"

    # the lab: scrolled to, built, and its Start trains what its controls say
    page.locator("#lab").scroll_into_view_if_needed()
    wait_ready(probe, "lab")
    assert set(SECTIONS["lab"]) <= set(loaded(probe))
    for name, value in QUICK_LAB.items():
        page.get_by_test_id(f"control-{name}").fill(value)
        page.get_by_test_id(f"control-{name}").dispatch_event("change")
    page.get_by_test_id("train-start").click()
    lab = page.locator("#lab")
    probe.wait_for("the lab did not train", lambda: lab.get_attribute("data-state") == "done", 90)
    [line] = page.get_by_test_id("train-summary").locator("li").all_inner_texts()
    assert "20 steps" in line or "solved at step" in line, line
    run = next(t for t in probe.plot("plot-train-loss") if t.get("name") == line.split(":")[0])
    assert run["x"] == [1, 5, 10, 15, 20], "reported every 5 steps of 20, as the controls say"

    # the sweep: built when near, its empty chart drawn and saying how to start
    page.locator("#sweep").scroll_into_view_if_needed()
    wait_ready(probe, "sweep")
    assert set(SECTIONS["sweep"]) <= set(loaded(probe))
    probe.wait_for(
        "the sweep's chart not drawn", lambda: int(page.locator("#sweep").get_attribute("data-draws") or 0) > 0
    )
    assert page.get_by_test_id("sweep-status").inner_text() != "Loading…"

    # the Runs section: opening it reads the list (this server watches no directory)
    page.get_by_test_id("runs-section").locator("summary").click()
    wait_ready(probe, "runs")
    assert set(SECTIONS["runs"]) <= set(loaded(probe))
    status = page.get_by_test_id("runs-status")
    probe.wait_for("no word on the runs directory", lambda: "gradflow serve --runs DIR" in status.inner_text(), 10)


def test_settings_in_the_url_build_their_section_at_once_and_a_start_pressed_while_it_loads_trains(probe):
    page = probe.page
    held = []

    def hold(route) -> None:  # the lab's code held back until Start has been pressed
        held.append(route)

    page.route(f"**/{SECTIONS['lab'][0]}", hold)
    probe.open("?" + "&".join(f"{k}={v}" for k, v in QUICK_LAB.items()))
    probe.wait_for("the lab's code not asked for", lambda: len(held) == 1, 30)
    assert module_state(probe, "lab") == "loading", "settings of the lab in the URL load it without a scroll"
    assert module_state(probe, "sweep") == "waiting" and module_state(probe, "runs") == "waiting"
    page.get_by_test_id("train-start").click()
    assert page.locator("#lab").get_attribute("data-state") == "idle"
    held[0].continue_()
    page.unroute(f"**/{SECTIONS['lab'][0]}", hold)
    wait_ready(probe, "lab")
    assert page.get_by_test_id("control-train_steps").input_value() == "20", "the lab shows the URL's settings"
    lab = page.locator("#lab")
    probe.wait_for("the held Start did not train", lambda: lab.get_attribute("data-state") == "done", 90)
    assert len(page.get_by_test_id("train-summary").locator("li").all_inner_texts()) == 1


def test_a_link_to_a_section_builds_it(probe):
    probe.open("#sweep")
    wait_ready(probe, "sweep")
    assert set(SECTIONS["sweep"]) <= set(loaded(probe))
