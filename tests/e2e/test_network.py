"""Your own network and stacked layers in headless Chromium against the real app: a weights file made here with
NumPy is uploaded and every view shows that network, a stack's depth view and layer selector, the API's own
words for a bad file, an inputs file, and Clear (or a reload) back to seeded weights."""

from __future__ import annotations

import json
import math
import os
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e

STACK = {"cell": "lstm", "num_layers": 2, "seq_len": 30, "hidden_size": 6}


def close(a, b) -> bool:
    """The page's float32 number `a` (NaN where the JSON has null) against the exact JSON number `b`."""
    if a is None or b is None or math.isnan(a):
        return (a is None or math.isnan(a)) and b is None
    return math.isclose(a, b, rel_tol=2**-23, abs_tol=1e-37)


def same_grid(a, b) -> bool:
    return len(a) == len(b) and all(
        len(ra) == len(rb) and all(close(x, y) for x, y in zip(ra, rb)) for ra, rb in zip(a, b)
    )


def query_of(probe) -> dict[str, list[str]]:
    return parse_qs(urlparse(probe.page.url).query)


def post(base_url: str, body: dict) -> dict:
    """POST /api/simulate with a JSON body: the answer the page must show for explicit weights or inputs."""
    request = urllib.request.Request(
        f"{base_url}api/simulate", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def perturbed_params(api, cfg: dict) -> dict[str, np.ndarray]:
    """The seeded network's own weights (return_params), nudged so the views must change when they are loaded."""
    seeded = api(**cfg, return_params="true", fields="params")["params"]
    rng = np.random.default_rng(7)
    return {name: 1.3 * np.asarray(v) + 0.05 * rng.standard_normal(np.shape(v)) for name, v in seeded.items()}


def page_arrays(probe) -> None:
    """Every simulate request of the page asked for float32 typed arrays: its numbers are the exact run's to
    float32's precision."""
    asked = {q["arrays"][0] for u in probe.requests if "/api/simulate?" in u for q in [parse_qs(urlparse(u).query)]}
    assert asked == {"binary-f4"}, asked


def unit_by_step(heat: dict) -> list[list]:
    """A heatmap's z as drawn, unit by step: the page hands Plotly the API's step-by-unit rows with `transpose`."""
    return [list(column) for column in zip(*heat["z"], strict=True)] if heat.get("transpose") else heat["z"]


def uploads(probe) -> int:
    return sum(1 for u in probe.requests if u.endswith("/api/simulate/upload"))


def upload(probe, testid: str, path: Path) -> None:
    drawn = probe.draws()
    probe.page.get_by_test_id(testid).set_input_files(str(path))
    probe.wait_drawn(drawn + 1)


def test_an_uploaded_network_drives_every_view_and_is_sent_again_on_each_change(probe, api, base_url, tmp_path):
    probe.open("?" + urlencode(STACK))
    page_arrays(probe)
    seeded_depth = probe.plot("plot-depth-flow")[0]["z"]
    params = perturbed_params(api, STACK)
    np.savez(tmp_path / "mine.npz", **params, optimizer_step=np.zeros(1))
    upload(probe, "weights-file", tmp_path / "mine.npz")

    used = probe.page.get_by_test_id("weights-recognised").locator("li").all_inner_texts()
    assert set(params) | {"optimizer_step: not used"} == set(used), used
    assert "mine.npz" in probe.page.get_by_test_id("weights-status").inner_text()
    assert query_of(probe)["weights"] == ["file"]
    assert uploads(probe) == 1

    expected = post(base_url, {**STACK, "params": {k: v.tolist() for k, v in params.items()}})
    depth = probe.plot("plot-depth-flow")[0]["z"]
    assert same_grid(depth, expected["depth_flow"]) and not same_grid(depth, seeded_depth)
    probe.wait_view("plot-flow")  # the flow matrix is fetched (the file sent with it) when its view comes near
    assert uploads(probe) == 2
    assert same_grid(probe.plot("plot-flow")[0]["z"], expected["flow"]["log10_norm"])
    assert any("explicit weights" in w for w in probe.page.get_by_test_id("warnings").locator("li").all_inner_texts())
    # one network: compare is off and says why
    assert probe.page.get_by_test_id("control-compare").is_disabled()
    assert "your network" in probe.page.get_by_test_id("lock-compare").inner_text().lower()

    drawn, sent = probe.draws(), uploads(probe)
    box = probe.page.get_by_test_id("control-seq_len")
    box.fill("20")
    box.press("Enter")
    probe.wait_drawn(drawn + 1)
    assert uploads(probe) > sent, "a change of settings sends the same file again"
    assert len(probe.plot("plot-depth-flow")[0]["z"][0]) == 20
    assert query_of(probe)["weights"] == ["file"]


def test_a_three_layer_stack_shows_depth_and_the_chosen_layer(probe, api):
    cfg = {"cell": "gru", "num_layers": 3, "seq_len": 25, "hidden_size": 5}
    probe.open("?" + urlencode(cfg))
    page_arrays(probe)
    run = api(**cfg)
    depth_plot = probe.page.get_by_test_id("plot-depth-flow")
    assert depth_plot.is_visible()
    depth = probe.plot("plot-depth-flow")[0]
    assert len(depth["z"]) == 3 and same_grid(depth["z"], run["depth_flow"])
    ticks = [t.text_content() for t in depth_plot.locator("g.ytick text").all()]
    assert ticks == ["1 (bottom)", "2", "3 (top)"], ticks
    assert probe.layout("plot-depth-flow")["shapes"][0]["y0"] == 2.5, "the top layer, which the views show, is framed"

    select = probe.page.get_by_test_id("layer-select")
    assert select.is_visible() and select.input_value() == "top"
    heat = unit_by_step(next(t for t in probe.plot("plot-unrolled") if t["name"] == "gru"))
    assert close(heat[2][10], run["grad_h_log10_abs"][10][2])

    drawn = probe.draws()
    select.select_option("1")
    probe.wait_drawn(drawn + 1)
    assert query_of(probe)["layer"] == ["1"]
    bottom = api(**cfg, fields="layers")["layers"][0]
    heat = unit_by_step(next(t for t in probe.plot("plot-unrolled") if t["name"] == "gru"))
    for t, u in ((0, 0), (10, 2), (24, 4)):
        assert close(heat[u][t], bottom["grad_h_log10_abs"][t][u]), (t, u)
    title = probe.page.get_by_test_id("plot-unrolled").get_by_text("layer 1 of 3: gru: log10|dL/dh_t|", exact=True)
    assert title.count() == 1
    assert "(layer 1 of 3)" in probe.page.get_by_test_id("memory-horizon").inner_text()
    assert probe.layout("plot-depth-flow")["shapes"][0]["y0"] == 0.5

    drawn = probe.draws()
    box = probe.page.get_by_test_id("control-num_layers")
    box.fill("1")
    box.press("Enter")
    probe.wait_drawn(drawn + 1)
    assert depth_plot.is_hidden() and select.is_hidden()


def test_a_malformed_file_shows_the_api_words(probe, api, tmp_path):
    probe.open("?" + urlencode(STACK))
    params = perturbed_params(api, STACK)
    params["weight_hh_l0"] = np.zeros((5, 6))
    np.savez(tmp_path / "wrong.npz", **params)
    probe.page.get_by_test_id("weights-file").set_input_files(str(tmp_path / "wrong.npz"))
    error = probe.page.get_by_test_id("error")
    error.wait_for(state="visible")
    # the page sends no shape with a file: the API reads it from the arrays, and names the one that hides it
    assert "weight_hh_l0 has 5 rows for 6 hidden units" in error.inner_text(), error.inner_text()
    assert "did not run it" in probe.page.get_by_test_id("weights-status").inner_text()

    np.savez(tmp_path / "pickled.npz", weight_ih_l0=np.array([{"a": 1}], dtype=object))
    probe.page.get_by_test_id("weights-file").set_input_files(str(tmp_path / "pickled.npz"))
    probe.page.get_by_text("never loaded").wait_for()
    assert "pickled.npz" in error.inner_text()
    probe.errors.clear()  # Chromium logs each 422 as a failed resource load


def test_clear_and_a_reload_return_to_seeded_weights(probe, api, base_url, tmp_path):
    probe.open("?" + urlencode(STACK))
    page_arrays(probe)
    seeded = api(**STACK)
    np.savez(tmp_path / "mine.npz", **perturbed_params(api, STACK))
    upload(probe, "weights-file", tmp_path / "mine.npz")
    assert not same_grid(probe.plot("plot-depth-flow")[0]["z"], seeded["depth_flow"])

    drawn = probe.draws()
    probe.page.get_by_test_id("weights-clear").click()
    probe.wait_drawn(drawn + 1)
    assert "weights" not in query_of(probe)
    assert same_grid(probe.plot("plot-depth-flow")[0]["z"], seeded["depth_flow"])
    assert probe.page.get_by_test_id("weights-recognised").is_hidden()
    assert probe.page.get_by_test_id("weights-status").inner_text().startswith("Seeded weights")
    assert probe.page.get_by_test_id("control-compare").is_enabled()
    assert probe.page.get_by_test_id("weights-clear").is_disabled()

    # a link names the file but cannot carry it: the page says so and shows seeded weights
    probe.open("?" + urlencode({**STACK, "weights": "file"}))
    assert "weights" not in query_of(probe)
    assert "never travel in an address" in probe.page.get_by_test_id("weights-status").inner_text()
    assert same_grid(probe.plot("plot-depth-flow")[0]["z"], seeded["depth_flow"])


def test_an_inputs_file_sets_the_sequence_and_drives_the_views(probe, base_url, tmp_path):
    probe.open("?hidden_size=4&seq_len=50")
    inputs = np.random.default_rng(3).standard_normal((12, 3)).round(4)
    np.savetxt(tmp_path / "x.csv", inputs, delimiter=",", header="a,b,c")
    upload(probe, "inputs-file", tmp_path / "x.csv")
    assert probe.page.get_by_test_id("control-seq_len").input_value() == "12"
    assert probe.page.get_by_test_id("control-input_size").input_value() == "3"
    assert query_of(probe)["input_file"] == ["true"]
    expected = post(base_url, {"hidden_size": 4, "seq_len": 12, "input_size": 3, "inputs": inputs.tolist()})
    line = next(t for t in probe.plot("plot-norms") if t["name"] == "|dL/dh_t| (rnn)")
    assert all(close(a, b) for a, b in zip(line["y"], expected["grad_h_log10_norm"], strict=True))
    assert "x.csv (12 x 3)" in probe.page.get_by_test_id("weights-status").inner_text()


def test_screenshot_of_your_network(probe, api, tmp_path):
    """Written under test-results/ (git-ignored): a loaded 3-layer network with its depth view, to look at."""
    cfg = {"cell": "lstm", "num_layers": 3, "seq_len": 60, "hidden_size": 12}
    probe.page.set_viewport_size({"width": 1440, "height": 1500})
    probe.open("?" + urlencode(cfg))
    np.savez(tmp_path / "mine.npz", **perturbed_params(api, cfg))
    upload(probe, "weights-file", tmp_path / "mine.npz")
    target = REPO / os.environ.get("GRADFLOW_NETWORK_SCREENSHOT", "test-results/network.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    probe.page.get_by_test_id("plot-depth-flow").scroll_into_view_if_needed()
    probe.page.get_by_test_id("weights-recognised").scroll_into_view_if_needed()  # the sidebar scrolls on its own
    probe.page.wait_for_timeout(300)
    probe.page.screenshot(path=str(target), full_page=False)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
