"""The Sweep section in headless Chromium against the real app: a streamed POST /api/sweep fills the phase
diagram as points arrive, the mean equals the server's own grid, a real click on a heatmap cell loads that
network into the main views and the URL, Stop ends a longer sweep, the settings live in the URL, and the
API's refusals read in words."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from gradflow.theme import theme

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e

# A point's position on the page: Plotly's own axis conversions (data -> pixels inside the plot area).
PIXEL = """([el, x, y]) => {
  const { xaxis, yaxis } = el._fullLayout;
  const box = el.getBoundingClientRect();
  return {
    x: box.left + xaxis._offset + xaxis.l2p(xaxis.d2l(x)),
    y: box.top + yaxis._offset + yaxis.l2p(yaxis.d2l(y)),
  };
}"""

SMALL = "?sweep_x_num=8&sweep_y=seq_len&sweep_y_start=10&sweep_y_stop=40&sweep_y_num=3&sweep_seeds=2"
# About 25 s on two cores: long enough to stop halfway.
LONG = (
    "?cell=lstm&seq_len=1000&hidden_size=64&sweep_x_num=32&sweep_y=forget_bias&sweep_y_start=0&sweep_y_stop=3"
    "&sweep_y_num=8&sweep_y_log=false"
)


def section(probe):
    return probe.page.get_by_role("region", name="Sweep: the phase diagram")


def number(probe, key: str) -> int:
    return int(section(probe).get_attribute(f"data-{key}") or 0)


def wait_for(probe, what: str, check, timeout: float = 60.0) -> None:
    probe.wait_for(what, check, timeout, shown_error="sweep-error")


def wait_state(probe, *states: str, timeout: float = 60.0) -> None:
    def reached() -> bool:
        return section(probe).get_attribute("data-state") in states

    wait_for(probe, f"the sweep not {' or '.join(states)}", reached, timeout)


def heatmap(probe) -> dict:
    return next(t for t in probe.plot("plot-sweep") if t["type"] == "heatmap")


def server_grid(base_url: str, body: dict) -> dict:
    request = urllib.request.Request(
        f"{base_url}api/sweep",
        data=json.dumps({**body, "stream": False}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def test_a_sweep_fills_the_heatmap_and_a_click_loads_that_network(probe, base_url):
    probe.open(SMALL)
    page = probe.page
    page.get_by_test_id("sweep-start").click()
    wait_state(probe, "done", timeout=60)
    progress = page.get_by_test_id("sweep-progress")
    assert progress.inner_text() == "48 / 48 points"
    assert (progress.get_attribute("aria-valuenow"), progress.get_attribute("aria-valuemax")) == ("48", "48")
    assert (number(probe, "points"), number(probe, "cells")) == (48, 24)
    assert section(probe).get_attribute("data-executor") in page.get_by_test_id("sweep-status").inner_text()

    heat = heatmap(probe)
    assert len(heat["z"]) == 3 and all(len(row) == 8 and None not in row for row in heat["z"])
    contour = next(t for t in probe.plot("plot-sweep") if t["type"] == "contour")
    assert contour["contours"]["start"] == contour["contours"]["end"] == 0
    assert "log10 |dL/dh_1| = 0" in page.get_by_test_id("sweep-critical").inner_text()
    # the mean field's predicted edge of chaos, s* for each y, dashed over the measured diagram
    predicted = next(t for t in probe.plot("plot-sweep") if t.get("name") == theme()["theory_labels"]["critical_line"])
    assert predicted["line"]["dash"] == "dash" and len(predicted["x"]) == len(predicted["y"]) == 3
    assert all(1 < s < 2 for s in predicted["x"]), predicted["x"]  # tanh's s* lies above 1
    # the page's mean over the seeds is the server's own grid for the same request (base: the API's defaults)
    axis = {"field": "recurrent_scale", "start": 0.5, "stop": 2, "num": 8, "log": True}
    y_axis = {"field": "seq_len", "start": 10, "stop": 40, "num": 3, "log": True}
    answer = server_grid(base_url, {"x": axis, "y": y_axis, "seeds": 2})
    for mine, theirs in zip(heat["z"], answer["grid"]["log10_grad_first"], strict=True):
        assert mine == pytest.approx(theirs, rel=1e-12, abs=1e-12)

    ix, iy, x, y, _ = heat["customdata"][1][5]
    assert (ix, iy, y) == (5, 1, answer["y"]["values"][1])
    plot = page.get_by_test_id("plot-sweep")
    plot.scroll_into_view_if_needed()
    spot = page.evaluate(PIXEL, [plot.element_handle(), x, y])
    draws = probe.draws()
    page.mouse.move(spot["x"], spot["y"])
    page.mouse.click(spot["x"], spot["y"])
    probe.wait_drawn(draws + 1)

    query = parse_qs(urlparse(page.url).query)
    assert float(query["recurrent_scale"][0]) == x and query["seq_len"] == [str(y)]
    assert query["sweep_y"] == ["seq_len"], "the sweep's own settings stay"
    assert page.get_by_test_id("control-seq_len").input_value() == str(y)
    assert any("api/simulate?" in u and f"recurrent_scale={query['recurrent_scale'][0]}" in u for u in probe.requests)
    views_top = page.evaluate("() => document.getElementById('views').getBoundingClientRect().top")
    assert abs(views_top) < 2, "the views in sight"
    status = page.get_by_test_id("sweep-status").inner_text()
    assert "settings have changed" not in status, "the sweep shown is still current"


def test_stop_ends_a_longer_sweep_and_frees_the_server(probe):
    probe.open(LONG)
    page = probe.page
    page.get_by_test_id("sweep-start").click()
    total = 32 * 8
    wait_for(probe, "no points arrived", lambda: number(probe, "points") >= 3)
    first = number(probe, "points")
    wait_for(probe, "the heatmap did not grow", lambda: number(probe, "points") > first, timeout=30)
    filling = heatmap(probe)["z"]
    cells = [v for row in filling for v in row]
    assert any(v is None for v in cells) and any(v is not None for v in cells), "cells fill in as points arrive"
    page.get_by_test_id("sweep-stop").click()
    wait_state(probe, "stopped", timeout=10)

    ended, text = number(probe, "points"), page.get_by_test_id("sweep-progress").inner_text()
    page.wait_for_timeout(1000)
    assert (number(probe, "points"), page.get_by_test_id("sweep-progress").inner_text()) == (ended, text)
    assert 0 < ended < total and text == f"{ended} / {total} points"
    assert page.get_by_test_id("sweep-stop").is_disabled()
    assert page.get_by_test_id("sweep-status").inner_text().startswith("Stopped")

    # the server cancelled the rest: its one sweep slot takes the next sweep
    page.get_by_test_id("control-hidden_size").fill("8")
    page.get_by_test_id("control-hidden_size").dispatch_event("change")
    page.get_by_test_id("control-seq_len").fill("20")
    page.get_by_test_id("control-seq_len").dispatch_event("change")
    page.get_by_test_id("sweep-start").click()
    wait_state(probe, "done", timeout=60)
    assert number(probe, "points") == total


def test_a_preset_draws_the_border_and_is_quick(probe):
    probe.open("#sweep")  # the sweep's presets are built as it comes near: arrive at it
    page = probe.page
    draws = probe.draws()
    started = time.monotonic()
    page.get_by_test_id("preset-sweep-edge").click()
    wait_state(probe, "done", timeout=60)
    took = time.monotonic() - started
    assert page.get_by_test_id("preset-sweep-edge").get_attribute("aria-pressed") == "true"
    query = parse_qs(urlparse(page.url).query)
    assert (query["seq_len"], query["sweep_y"], query["sweep_x_num"]) == (["100"], ["seq_len"], ["24"])
    probe.wait_drawn(draws + 1)  # the preset set the views' network too

    heat = heatmap(probe)
    assert len(heat["z"]) == 7 and len(heat["z"][0]) == 24
    rows = heat["z"]
    assert all(row[0] < 0 < row[-1] for row in rows), "every sequence length vanishes at s = 0.5 and explodes at s = 2"
    assert any(t["type"] == "contour" for t in probe.plot("plot-sweep"))
    layout = probe.layout("plot-sweep")
    assert (layout["xaxis"]["type"], layout["yaxis"]["type"]) == ("log", "log")

    target = REPO / "test-results" / "sweep-edge.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    section(probe).screenshot(path=str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert took < 30, f"the preset took {took:.1f} s"


def test_sweep_settings_live_in_the_url_and_one_axis_draws_a_line(probe):
    probe.open("?sweep_metric=memory_horizon&sweep_seeds=3")
    page = probe.page
    assert page.get_by_test_id("control-sweep_metric").input_value() == "memory_horizon"
    page.get_by_test_id("control-sweep_y").select_option("forget_bias")
    query = parse_qs(urlparse(page.url).query)
    y_range = (query["sweep_y"], query["sweep_y_stop"], query["sweep_y_num"])
    assert y_range == (["forget_bias"], ["4"], ["9"]), "its own range"
    page.go_back()
    y_field = page.get_by_test_id("control-sweep_y")
    wait_for(probe, "back did not restore sweep_y", lambda: y_field.input_value() == "none", 10)
    assert page.get_by_test_id("control-sweep_y_stop").input_value() == "300"
    probe.wait_drawn(2)  # back/forward redraw the views once

    draws = probe.draws()

    page.get_by_test_id("control-sweep_metric").select_option("log10_grad_first")
    page.get_by_test_id("sweep-start").click()
    wait_state(probe, "done")
    names = [t.get("name") for t in probe.plot("plot-sweep")]
    assert "min..max over the seeds" in names and "log10 |dL/dh_1| = 0: no net growth" in names
    line = next(t for t in probe.plot("plot-sweep") if t.get("name") == "log10 |dL/dh_1|, mean over the seeds")
    assert len(line["x"]) == 16 and None not in line["y"]
    assert page.get_by_test_id("sweep-progress").inner_text() == "48 / 48 points"
    assert probe.draws() == draws, "the sweep's settings do not refetch the simulation"


def test_a_refused_sweep_reads_in_words(probe):
    probe.open("?sweep_x=hidden_size&sweep_x_start=100&sweep_x_stop=300&sweep_x_num=3&sweep_x_log=false")
    probe.page.get_by_test_id("sweep-start").click()
    error = probe.page.get_by_test_id("sweep-error")
    error.wait_for(state="visible")
    assert "hidden_size = 300" in error.inner_text() and "256" in error.inner_text(), error.inner_text()
    wait_state(probe, "failed", timeout=10)
    probe.errors.clear()  # the 422 itself is logged by Chromium as a failed resource load
