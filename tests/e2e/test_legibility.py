"""What a newcomer hit (issue 20), checked in headless Chromium against the real app: the sidebar shows its
whole width, the schema's help shows code as code, and the words and colours that explain a view are there
and readable."""

from __future__ import annotations

import time

import pytest
from gradflow.theme import theme

pytestmark = pytest.mark.e2e

# Every box inside the sidebar, with how far its right edge passes the sidebar's inner right edge (px).
SIDEBAR_OVERFLOW = """() => {
  const bar = document.querySelector('.sidebar');
  const inner = bar.getBoundingClientRect().left + bar.clientLeft + bar.clientWidth;
  const over = [...bar.querySelectorAll('fieldset, .field, .drop, .exports, p')]
    .filter((el) => el.getClientRects().length > 0)
    .map((el) => ({ what: el.dataset.group || el.dataset.field || el.className || el.tagName,
                    past: el.getBoundingClientRect().right - inner }))
    .filter((o) => o.past > 0.5);
  return { scrollWidth: bar.scrollWidth, clientWidth: bar.clientWidth, over };
}"""


def test_the_sidebar_shows_its_whole_width(probe):
    probe.open()
    measured = probe.page.evaluate(SIDEBAR_OVERFLOW)
    assert measured["scrollWidth"] <= measured["clientWidth"], f"the sidebar scrolls sideways: {measured}"
    assert measured["over"] == [], f"boxes run past the sidebar's right edge: {measured['over']}"
    probe.page.screenshot(path="/tmp/gradflow-sidebar.png", clip={"x": 0, "y": 90, "width": 320, "height": 900})


def test_schema_help_shows_code_as_code_never_backticks(probe):
    probe.open()
    layers = probe.page.locator("#in-num_layers-help")
    assert layers.locator("code").all_inner_texts() == ["layers", "depth_flow"]
    helps = probe.page.locator(".field .help").all_text_contents()
    assert helps and not [h for h in helps if "`" in h], [h for h in helps if "`" in h]


BOXES = """([el, selector]) => [...el.querySelectorAll(selector)]
  .map((n) => n.getBoundingClientRect())
  .filter((b) => b.width > 0 && b.height > 0)
  .map((b) => ({ left: b.left, right: b.right, top: b.top, bottom: b.bottom }))"""


def gap(a: dict, b: dict) -> float:
    """How far apart two boxes are (px; negative when they overlap)."""
    return max(a["left"] - b["right"], b["left"] - a["right"], a["top"] - b["bottom"], b["top"] - a["bottom"])


def test_the_exploding_preset_labels_float64_clear_of_its_triangles_and_readable(probe):
    probe.open()
    drawn = probe.draws()
    probe.page.get_by_test_id("preset-exploding").click()
    probe.wait_drawn(drawn + 1)
    norms = probe.page.get_by_test_id("plot-norms")
    norms.scroll_into_view_if_needed()
    label = norms.locator(".annotation-text", has_text="float64 limit")
    assert label.count() == 1
    box = label.bounding_box()
    box = {"left": box["x"], "right": box["x"] + box["width"], "top": box["y"], "bottom": box["y"] + box["height"]}
    triangles = probe.page.evaluate(BOXES, [norms.element_handle(), ".scatterlayer path.point"])
    assert triangles, "the Exploding preset draws triangles past float64"
    # before, the label stood at the left under the line, 0.4 px from the last triangle and over the curve
    closest = min(gap(box, t) for t in triangles)
    assert closest >= 6, f"the float64 limit's label is {closest:.1f} px from a triangle past float64"
    norms.screenshot(path="/tmp/gradflow-exploding-norms.png")

    # "beyond float64" under the blue bars: on a box of the background, in the theme's text vermillion
    clipping = probe.page.get_by_test_id("plot-clipping")
    notes = clipping.locator(".annotation", has_text="beyond")
    assert notes.count() == 5
    layout = probe.layout("plot-clipping")
    beyond = [a for a in layout["annotations"] if a["text"] == "beyond<br>float64"]
    colours = theme()["colours"]
    assert {(a["font"]["color"], a["bgcolor"]) for a in beyond} == {(colours["mark_text"], colours["background"])}
    clipping.screenshot(path="/tmp/gradflow-exploding-clipping.png")


def test_the_clipping_rescues_preset_says_why_weight_hh_stays_large(probe, api):
    probe.open()
    drawn = probe.draws()
    probe.page.get_by_test_id("preset-clipping").click()
    probe.wait_drawn(drawn + 1)
    run = api(
        cell="rnn",
        activation="linear",
        init="orthogonal",
        recurrent_scale=1.2,
        seq_len=200,
        clip_mode="norm",
        clip_scope="bptt",
        clip_threshold=1,
    )
    after = run["clipped_param_grad_norms"]["weight_hh"]
    assert after > 1e16, "the preset's weight_hh gradient is far above the threshold after clipping"
    text = probe.page.get_by_test_id("clipping-readout").inner_text()
    assert f"weight_hh's is {after:.2e}" in text, text
    assert "bounds the backward flow dL/dh_t, not the weight gradients" in text, text
    assert "grow by s = 1.2 at every step" in text, text


def test_compare_mode_says_which_cell_the_spectrum_and_flow_matrix_show(probe):
    probe.open("?compare=true&cell=lstm&seq_len=30&hidden_size=6")
    for view in ("plot-spectrum", "plot-flow"):
        plot = probe.page.get_by_test_id(view)
        plot.scroll_into_view_if_needed()
        titles = [t.text_content() for t in plot.locator(".annotation-text").all()]
        assert titles == ["showing the lstm (chosen under Cell)"], (view, titles)
        plot.screenshot(path=f"/tmp/gradflow-compare-{view}.png")
    assert probe.page.get_by_test_id("spectrum-readout").inner_text().startswith("lstm: Spectral radius")


def flow_ranges(probe) -> dict[str, tuple[float, float, float, float]]:
    """Per panel of the lab's flow chart: (smallest value, largest, colour scale's low end, high end)."""
    layout = probe.layout("plot-train-flow")
    out = {}
    for trace in probe.plot("plot-train-flow"):
        values = [v for row in trace["z"] for v in row if v is not None]
        scale = layout[trace["coloraxis"]] if trace.get("coloraxis") else trace
        low, high = scale.get("cmin", scale.get("zmin")), scale.get("cmax", scale.get("zmax"))
        out[trace["name"]] = (min(values), max(values), low, high)
    return out


def test_the_training_clipping_preset_resolves_both_runs_flow(probe):
    probe.open("#lab")  # the lab's presets are built as it comes near: arrive at it
    probe.page.get_by_test_id("preset-train-clipping").click()
    lab = probe.page.get_by_role("region", name="Training lab")

    def exploded() -> bool:
        if int(lab.get_attribute("data-points") or 0) == 0:
            return False
        ranges = flow_ranges(probe)
        return "clip_mode none" in ranges and ranges["clip_mode none"][1] > 100

    deadline = time.monotonic() + 90
    while not exploded():
        assert time.monotonic() < deadline, "the unclipped run's gradient did not pass 1e100 within 90 s"
        probe.page.wait_for_timeout(100)
    # Stop, unless the runs ended on their own meanwhile (the button is then disabled, and a click would wait for
    # it to be enabled again: a CI run timed out on that)
    probe.page.get_by_test_id("train-stop").dispatch_event("click")
    probe.page.wait_for_timeout(300)
    for name, (low, high, cmin, cmax) in flow_ranges(probe).items():
        # a panel whose values fill under a tenth of its colour scale reads as one flat colour
        assert (high - low) / (cmax - cmin) > 0.5, (
            f"{name}: values {low:.1f}..{high:.1f} on a scale {cmin:.1f}..{cmax:.1f}"
        )
    flow = probe.page.get_by_test_id("plot-train-flow")
    flow.scroll_into_view_if_needed()
    flow.screenshot(path="/tmp/gradflow-train-clipping-flow.png")


def test_the_lstm_sweep_preset_shows_the_forget_bias_lengthening_memory(probe):
    probe.open("#sweep")
    page = probe.page
    page.get_by_test_id("preset-sweep-forget").click()
    sweep = page.get_by_role("region", name="Sweep: the phase diagram")
    deadline = time.monotonic() + 60
    while sweep.get_attribute("data-state") != "done":
        assert time.monotonic() < deadline and sweep.get_attribute("data-state") != "failed", "the sweep did not finish"
        page.wait_for_timeout(50)
    assert page.get_by_test_id("control-sweep_metric").input_value() == "memory_horizon"
    heat = next(t for t in probe.plot("plot-sweep") if t["type"] == "heatmap")
    rows = heat["z"]  # one row per forget bias, bottom (0) first; one column per recurrent scale
    assert len(rows) == 9 and all(None not in row for row in rows)
    # a clean picture: the horizon never falls as s grows along a row or as the bias grows up a column
    assert all(a <= b for row in rows for a, b in zip(row, row[1:])), "a row of the map falls back: an island"
    assert all(rows[j][i] <= rows[j + 1][i] for j in range(len(rows) - 1) for i in range(len(rows[0])))
    # and the edge where it reaches all 100 steps moves left as the bias grows: from s > 2 at bias 0 to s < 1 at bias 2
    edge = [heat["x"][row.index(100)] for row in rows]
    assert edge[0] > 2 and edge[-1] < 1 and edge == sorted(edge, reverse=True), edge
    sweep.screenshot(path="/tmp/gradflow-sweep-forget.png")


def test_the_idle_training_lab_says_what_will_appear_and_draws_no_empty_boxes(probe):
    probe.open("?train_cell=gru&train_seq_len=10&train_steps=20&train_report_every=5")
    page = probe.page
    lab = page.get_by_role("region", name="Training lab")
    idle = page.get_by_test_id("train-idle")
    assert idle.is_visible() and "appear here" in idle.inner_text()
    plots = ["plot-train-loss", "plot-train-grad", "plot-train-flow", "plot-train-memory"]
    assert not [p for p in plots if page.get_by_test_id(p).is_visible()], "empty chart boxes before any run"
    idle_height = lab.bounding_box()["height"]
    lab.screenshot(path="/tmp/gradflow-lab-idle.png")

    page.get_by_test_id("train-start").click()
    deadline = time.monotonic() + 60
    while lab.get_attribute("data-state") != "done":
        assert time.monotonic() < deadline, "the run did not finish"
        page.wait_for_timeout(50)
    assert idle.is_hidden()
    for p in plots:
        # drawn at its box's size: a chart drawn while hidden takes Plotly's default 700 px and keeps it
        div = page.get_by_test_id(p).bounding_box()
        svg = page.get_by_test_id(p).locator(".main-svg").first.bounding_box()
        assert svg and abs(svg["width"] - div["width"]) <= 2 and svg["height"] > 300, f"{p}: {svg} in {div}"
    assert lab.bounding_box()["height"] > idle_height + 600
