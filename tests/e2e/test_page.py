"""The page in headless Chromium against the real app: every view draws the API's numbers, controls drive
the URL and the plots, shared URLs restore, errors read in words, compare mode shows three cells."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from gradflow.theme import theme
from gradflow.theme import view as theme_view

from tests.e2e.conftest import VIEWS, page_arrays, trace

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def close(a, b, tol=1e-9) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def query_of(probe) -> dict[str, list[str]]:
    return parse_qs(urlparse(probe.page.url).query)


def f4_close(a, b) -> bool:
    """The page's float32 number `a` (NaN where the JSON has null) against the exact JSON number `b`."""
    if b is None or a is None:
        return (a is None or math.isnan(a)) and b is None
    return math.isclose(a, b, rel_tol=2**-23, abs_tol=1e-37)


def unit_by_step(heat: dict) -> list[list]:
    """A heatmap's z as drawn, unit (rows) by step (columns): the page hands Plotly the API's step-by-unit rows
    with `transpose`."""
    z = heat["z"]
    return [list(column) for column in zip(*z, strict=True)] if heat.get("transpose") else z


def test_loads_with_every_view_and_no_error_or_foreign_request(probe):
    probe.open()
    for view in VIEWS:
        assert probe.page.get_by_test_id(view).locator(".main-svg").count() > 0, f"{view} has no plot"
    # the views in the window are drawn first, the ones below the fold after them, and every one counts
    body = probe.page.locator("body")
    assert float(body.get_attribute("data-on-screen-drawn-at")) <= float(body.get_attribute("data-drawn-at"))
    below = [v for v in VIEWS if probe.page.get_by_test_id(v).bounding_box()["y"] > 1000]
    assert below, "the 1400 x 1000 window shows every view: nothing is drawn later"
    drawn = probe.page.evaluate("() => performance.getEntriesByType('measure').map((m) => m.name)")
    assert all(f"draw:{v.removeprefix('plot-')}" in drawn for v in VIEWS), drawn
    assert probe.page.get_by_test_id("error").is_hidden()
    # one control per request field, each labelled
    for field in [
        "cell",
        "activation",
        "seq_len",
        "hidden_size",
        "input_size",
        "init",
        "recurrent_scale",
        "forget_bias",
        "input_kind",
        "batch_size",
        "seed",
        "loss",
        "clip_mode",
        "clip_threshold",
        "clip_scope",
        "flow_steps",
    ]:
        control = probe.page.get_by_test_id(f"control-{field}")
        assert control.count() == 1, field
        control_id = control.get_attribute("id")
        assert probe.page.locator(f"label[for='{control_id}']").count() == 1, f"{field} has no label"


def test_views_draw_the_api_numbers(probe, api):
    probe.open("?cell=lstm&seq_len=40&hidden_size=6&batch_size=3&clip_mode=norm&clip_threshold=0.5")
    asked = {
        "cell": "lstm",
        "seq_len": 40,
        "hidden_size": 6,
        "batch_size": 3,
        "clip_mode": "norm",
        "clip_threshold": 0.5,
    }
    page_arrays(probe)
    run = api(**asked)

    norms = probe.plot("plot-norms")
    line = trace(norms, "|dL/dh_t| (lstm)")
    assert all(f4_close(a, b) for a, b in zip(line["y"], run["grad_h_log10_norm"], strict=True))
    cell_line = trace(norms, "|dL/dc_t| (cell path)")
    assert all(f4_close(a, b) for a, b in zip(cell_line["y"], run["grad_c_log10_norm"], strict=True))
    band = trace(norms, "lstm: batch min..max")
    assert all(f4_close(a, b) for a, b in zip(band["y"], run["grad_h_log10_norm_batch"]["min"], strict=True))

    heat = unit_by_step(trace(probe.plot("plot-unrolled"), "lstm"))
    for t in (0, 17, 39):
        for u in (0, 5):
            assert f4_close(heat[u][t], run["grad_h_log10_abs"][t][u]), (t, u)
    cell_heat = unit_by_step(trace(probe.plot("plot-unrolled"), "lstm cell"))
    assert f4_close(cell_heat[3][20], run["grad_c_log10_abs"][20][3])

    gates = {t["name"]: unit_by_step(t) for t in probe.plot("plot-gates")}
    for g in "ifgo":
        assert f4_close(gates[g][2][11], run["gates"][g][11][2]), g
    assert f4_close(gates["log10|dL/dc_t|"][1][7], run["grad_c_log10_abs"][7][1])

    spectrum = probe.plot("plot-spectrum")
    block = run["spectrum"]["blocks"]["f"]
    f_trace = next(t for t in spectrum if t["name"].startswith("W_hf"))
    assert all(
        f4_close(x, e[0]) and f4_close(y, e[1])
        for x, y, e in zip(f_trace["x"], f_trace["y"], block["eigenvalues"], strict=True)
    )
    readout = probe.page.get_by_test_id("spectrum-readout").inner_text()
    assert f"{run['spectrum']['spectral_radius']:.4g}"[:4] in readout

    probe.wait_view("plot-flow")
    flow = probe.plot("plot-flow")[0]
    assert flow["y"] == run["flow"]["loss_steps"] and flow["x"] == run["flow"]["steps"]
    assert all(
        f4_close(a, b)
        for ra, rb in zip(flow["z"], run["flow"]["log10_norm"], strict=True)
        for a, b in zip(ra, rb, strict=True)
    )

    clipping = probe.plot("plot-clipping")
    before, after = trace(clipping, "before clipping"), trace(clipping, "after clipping")
    for k, name in enumerate(before["x"][:4]):
        assert close(before["y"][k] + before["base"], math.log10(run["param_grad_norms"][name]), 1e-9)
        assert close(after["y"][k] + after["base"], math.log10(run["clipped_param_grad_norms"][name]), 1e-9)

    horizon = probe.page.get_by_test_id("memory-horizon").inner_text()
    expected = run["memory_horizon"]
    assert (f"{expected} step" in horizon) if expected is not None else ("beyond the sequence" in horizon)


def test_hover_shows_the_exact_value(probe, api):
    probe.open("?seq_len=30")
    run = api(seq_len=30)
    plot = probe.page.get_by_test_id("plot-norms")
    plot.scroll_into_view_if_needed()
    box = plot.locator(".nsewdrag").first.bounding_box()
    probe.page.mouse.move(box["x"] + 5, box["y"] + 5)
    probe.page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5, steps=5)
    # the measured line's label (the theory lines have theirs too, at the same t)
    hover = plot.locator(".hoverlayer .hovertext").filter(has_text="(rnn)").first
    hover.wait_for(state="attached")
    text = hover.text_content()  # SVG text: each <br> line is a tspan
    t = int(re.search(r"t = (\d+)", text).group(1))
    shown = float(re.search(r"log10 = (-?[\d.]+)", text).group(1))
    assert abs(shown - run["grad_h_log10_norm"][t - 1]) < 1e-3, text


def test_moving_a_control_changes_the_url_and_the_plots(probe):
    probe.open()
    drawn = probe.draws()
    box = probe.page.get_by_test_id("control-seq_len")
    box.fill("80")
    box.press("Enter")
    probe.wait_drawn(drawn + 1)
    assert query_of(probe)["seq_len"] == ["80"]
    assert len(probe.plot("plot-norms")[0]["x"]) == 80

    # the slider by keyboard: one step right is a new recurrent scale, in the URL and in the spectrum
    drawn = probe.draws()
    before = probe.page.get_by_test_id("spectrum-readout").inner_text()
    probe.page.get_by_test_id("slider-recurrent_scale").focus()
    for _ in range(20):
        probe.page.keyboard.press("ArrowRight")
    probe.wait_drawn(drawn + 1)
    probe.page.wait_for_timeout(300)
    probe.wait_drawn(probe.draws())
    scale = float(query_of(probe)["recurrent_scale"][0])
    assert scale > 1
    assert probe.page.get_by_test_id("spectrum-readout").inner_text() != before
    assert f"{scale:.4g}"[:3] in probe.page.get_by_test_id("spectrum-readout").inner_text()


def test_a_shared_url_restores_the_state_and_history_works(probe):
    probe.open("?cell=gru&seq_len=40&hidden_size=8&loss=all&yscale=linear")
    page = probe.page
    assert page.get_by_test_id("control-cell").input_value() == "gru"
    assert page.get_by_test_id("control-seq_len").input_value() == "40"
    assert page.get_by_test_id("control-loss").input_value() == "all"
    assert page.get_by_test_id("control-yscale").input_value() == "linear"
    assert len(unit_by_step(probe.plot("plot-unrolled")[0])) == 8
    assert {t["name"] for t in probe.plot("plot-gates")} >= {"r", "z", "n"}

    drawn = probe.draws()
    page.get_by_test_id("control-cell").select_option("lstm")
    probe.wait_drawn(drawn + 1)
    assert query_of(probe)["cell"] == ["lstm"]

    drawn = probe.draws()
    page.go_back()
    probe.wait_drawn(drawn + 1)
    assert page.get_by_test_id("control-cell").input_value() == "gru"
    assert {t["name"] for t in probe.plot("plot-gates")} >= {"r", "z", "n"}

    drawn = probe.draws()
    page.go_forward()
    probe.wait_drawn(drawn + 1)
    assert page.get_by_test_id("control-cell").input_value() == "lstm"


def test_a_bad_value_shows_the_error_in_words(probe):
    probe.open()
    box = probe.page.get_by_test_id("control-seq_len")
    box.fill("5000")
    box.press("Enter")
    error = probe.page.get_by_test_id("error")
    error.wait_for(state="visible")
    text = error.inner_text()
    assert "seq_len" in text and "1000" in text, text
    # a good value clears it
    drawn = probe.draws()
    box.fill("60")
    box.press("Enter")
    probe.wait_drawn(drawn + 1)
    assert error.is_hidden()
    probe.errors.clear()  # the 422 itself is logged by Chromium as a failed resource load


def test_the_page_reads_its_meta_once_before_it_draws_and_labels_the_charts_with_its_theme(probe):
    probe.open()
    asked = [u for u in probe.requests if urlparse(u).path.endswith("/api/meta")]
    assert len(asked) == 1, asked
    first_run = next(k for k, u in enumerate(probe.requests) if "/api/simulate" in u)
    assert probe.requests.index(asked[0]) < first_run, "the meta is asked for with the schema, before the first run"
    norms = theme_view("norms")
    layout = probe.layout("plot-norms")
    assert (layout["xaxis"]["title"]["text"], layout["yaxis"]["title"]["text"]) == (norms["x"], norms["y_log"])
    assert trace(probe.plot("plot-norms"), "|dL/dh_t| (rnn)")["line"]["color"] == theme()["colours"]["cells"]["rnn"]


def test_without_its_meta_the_page_says_so_in_words_and_draws_nothing(probe):
    probe.page.route(
        "**/api/meta",
        lambda route: route.fulfill(status=500, content_type="application/json", body='{"detail": "meta is down"}'),
    )
    probe.page.goto(probe.base_url)
    error = probe.page.get_by_test_id("error")
    error.wait_for(state="visible")
    text = error.inner_text()
    assert "GET /api/meta" in text and "meta is down" in text, text
    probe.page.wait_for_selector("main[aria-busy='false']", state="attached")
    assert probe.draws() == 0
    assert probe.page.get_by_test_id("plot-norms").locator(".main-svg").count() == 0
    assert not any("/api/simulate" in u for u in probe.requests), "nothing is run without the meta"
    probe.errors.clear()  # the 500 itself is logged by Chromium as a failed resource load


def test_compare_mode_shows_three_cells(probe, api):
    probe.open("?seq_len=60&hidden_size=8")
    drawn = probe.draws()
    probe.page.get_by_test_id("control-compare").check()
    probe.wait_drawn(drawn + 1)
    heatmaps = [t["name"] for t in probe.plot("plot-unrolled") if not t["name"].endswith("chain")]
    assert heatmaps == ["rnn", "lstm", "gru"]
    names = [t["name"] for t in probe.plot("plot-norms")]
    assert {"rnn", "lstm", "gru"} <= set(names)
    horizon = probe.page.get_by_test_id("memory-horizon").inner_text()
    for cell in ("rnn", "lstm", "gru"):
        h = api(cell=cell, seq_len=60, hidden_size=8, fields="memory_horizon")["memory_horizon"]
        words = f"{cell} {h} step" if h is not None else f"{cell} beyond the sequence"
        assert words in horizon, (words, horizon)
    assert query_of(probe)["compare"] == ["true"]


def test_compare_mode_shows_the_gates_of_lstm_and_gru(probe, api):
    probe.open("?compare=true&seq_len=30&hidden_size=6")
    gates = probe.page.get_by_test_id("plot-gates")
    # each cell's carrying gate titled by the cell, beside the gradient it multiplies (panel titles are SVG text)
    for title in (
        "gru: update gate z",
        "gru: log10|dL/dh_t|",
        "gru: reset gate r",
        "lstm: forget gate f",
        "lstm: log10|dL/dc_t|",
    ):
        panel_title = gates.get_by_text(title, exact=True)
        assert panel_title.count() == 1, f"no panel titled {title!r}"
        assert panel_title.text_content() == title
    traces = {t["name"]: unit_by_step(t) for t in probe.plot("plot-gates")}
    page_arrays(probe)
    for cell, gate, grad in (("lstm", "f", "grad_c_log10_abs"), ("gru", "z", "grad_h_log10_abs")):
        run = api(cell=cell, seq_len=30, hidden_size=6)
        assert f4_close(traces[f"{cell}: {gate}"][2][11], run["gates"][gate][11][2]), (cell, gate)
        quantity = "dL/dc_t" if cell == "lstm" else "dL/dh_t"
        assert f4_close(traces[f"{cell}: log10|{quantity}|"][4][20], run[grad][20][4]), (cell, grad)


def test_presets_hide_and_beyond_float64(probe):
    probe.open("?hide=seed,batch_size")
    assert probe.page.get_by_test_id("control-seed").is_hidden()
    assert probe.page.get_by_test_id("control-cell").is_visible()
    drawn = probe.draws()
    probe.page.get_by_test_id("preset-exploding").click()
    probe.wait_drawn(drawn + 1)
    q = query_of(probe)
    assert q["recurrent_scale"] == ["2.5"] and q["hide"] == ["seed,batch_size"]
    assert probe.page.get_by_test_id("preset-exploding").get_attribute("aria-pressed") == "true"
    beyond = trace(probe.plot("plot-norms"), "|dL/dh_t| (rnn): beyond float64")
    assert beyond["x"] and all(y > 308.25 for y in beyond["y"])
    assert any("beyond float64" in t for t in beyond["text"])


def test_exports(probe, api):
    probe.open("?seq_len=12&hidden_size=4")
    run = api(seq_len=12, hidden_size=4)
    with probe.page.expect_download() as info:
        probe.page.get_by_test_id("export-csv").click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text())))
    assert len(rows) == 12
    assert close(float(rows[5]["grad_h_log10_norm"]), run["grad_h_log10_norm"][5])
    with probe.page.expect_download() as info:
        probe.page.get_by_test_id("export-json").click()
    exported = json.loads(info.value.path().read_text())
    assert exported["grad_h_log10_norm"] == run["grad_h_log10_norm"]
    assert info.value.suggested_filename == "gradflow-rnn-T12-H4-seed0.json"


def test_phone_width_has_no_sideways_scroll(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(base_url + "?cell=lstm&seq_len=30")
        page.wait_for_selector("body[data-draws]", state="attached", timeout=30000)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        assert page.get_by_test_id("plot-norms").bounding_box()["width"] <= 390
    finally:
        context.close()


def test_screenshot_for_the_readme(probe):
    """Written under test-results/ (git-ignored); `make screenshot` sets GRADFLOW_SCREENSHOT=docs/screenshot.png
    to refresh the README's picture, so `make test` leaves the work tree clean."""
    target = REPO / os.environ.get("GRADFLOW_SCREENSHOT", "test-results/screenshot.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    probe.page.set_viewport_size({"width": 1440, "height": 1500})
    probe.open("?compare=true&seq_len=120&hidden_size=24&recurrent_scale=0.95&forget_bias=2")
    probe.page.wait_for_timeout(300)
    before = target.stat().st_mtime_ns if target.exists() else None
    probe.page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_mtime_ns != before and target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
