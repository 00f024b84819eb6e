"""How the page fetches, in headless Chromium against the real app: float32 typed arrays that draw the exact
run's numbers, the views in sight first, the flow matrix only when its view comes near, and nulls kept as gaps
with their warnings (docs/page.md, "How the page fetches")."""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from tests.e2e.conftest import VIEWS, page_arrays, trace

pytestmark = pytest.mark.e2e


def simulate_requests(probe) -> list[dict[str, list[str]]]:
    """The query of every GET /api/simulate the page sent, in order."""
    return [parse_qs(urlparse(u).query) for u in probe.requests if "/api/simulate?" in u]


def as_f4(grid) -> np.ndarray:
    """Exact JSON numbers (null: NaN) as the float32 the page draws."""
    return np.array([[np.nan if v is None else v for v in row] for row in grid], dtype=np.float64).astype(np.float32)


def test_a_heavy_lstm_draws_the_exact_runs_heatmaps_to_float32(probe, api):
    """lstm, T = 1000, H = 256: every heatmap holds the JSON answer's numbers rounded to float32, nulls as gaps."""
    asked = {"cell": "lstm", "seq_len": 1000, "hidden_size": 256}
    probe.open("?" + "&".join(f"{k}={v}" for k, v in asked.items()))
    page_arrays(probe)
    exact = api(**asked, fields="grad_h_log10_abs,grad_c_log10_abs,gates")
    unrolled = probe.plot("plot-unrolled")
    gates = {t["name"]: t for t in probe.plot("plot-gates")}
    drawn = {  # each heatmap, and the exact answer's numbers it must hold
        "unrolled dL/dh_t": (trace(unrolled, "lstm"), exact["grad_h_log10_abs"]),
        "unrolled dL/dc_t": (trace(unrolled, "lstm cell"), exact["grad_c_log10_abs"]),
        **{f"gate {g}": (gates[g], exact["gates"][g]) for g in "ifgo"},
        "gates dL/dc_t": (gates["log10|dL/dc_t|"], exact["grad_c_log10_abs"]),
    }
    for name, (heat, grid) in drawn.items():
        assert heat.get("transpose") is True and "text" not in heat, f"{name}: the rows as they came, no hover text"
        got, want = np.array(heat["z"], dtype=np.float32), as_f4(grid)
        assert got.shape == (1000, 256), (name, got.shape)
        differ = int(np.sum(~np.isclose(got, want, equal_nan=True, rtol=0, atol=0)))
        assert np.array_equal(got, want, equal_nan=True), f"{name}: {differ} cells differ"


def test_the_flow_matrix_is_fetched_only_when_its_view_comes_near(probe, api):
    probe.open()
    flow = probe.page.get_by_test_id("plot-flow")
    assert flow.bounding_box()["y"] > 1000 + 600, "the flow view starts out of reach of the window"
    sent = simulate_requests(probe)
    assert sent, "the page ran the simulation"
    assert all(q["flow_steps"] == ["0"] for q in sent), [q.get("flow_steps") for q in sent]
    assert not any("flow" in q["fields"][0].split(",") for q in sent)
    assert flow.get_attribute("data-drawn") == "deferred"
    note = probe.layout("plot-flow")["annotations"][0]["text"].replace("<br>", " ")
    assert "computed when this view comes into sight" in note, note
    # the other views all hold their numbers
    for view in VIEWS:
        if view != "plot-flow":
            assert probe.page.get_by_test_id(view).get_attribute("data-drawn") == "data", view

    probe.wait_view("plot-flow")
    flows = [q for q in simulate_requests(probe) if q["flow_steps"] != ["0"]]
    assert len(flows) == 1 and flows[0]["flow_steps"] == ["32"] and flows[0]["fields"] == ["flow"], flows
    run = api(flow_steps=32, fields="flow")
    z = probe.plot("plot-flow")[0]["z"]
    assert np.array_equal(np.array(z, dtype=np.float32), as_f4(run["flow"]["log10_norm"]), equal_nan=True)
    assert any(v is None for row in run["flow"]["log10_norm"] for v in row), "the future steps are gaps"

    # a new setting with the flow view in sight asks for it at once; scrolled away, it waits again
    drawn = probe.draws()
    probe.page.evaluate("() => document.querySelector('[data-testid=\"control-seed\"]').scrollIntoView()")
    box = probe.page.get_by_test_id("control-seed")
    box.fill("5")
    box.press("Enter")
    probe.wait_drawn(drawn + 1)
    assert flow.get_attribute("data-drawn") == "data"
    assert [q["seed"] for q in simulate_requests(probe) if q["flow_steps"] == ["32"]] == [["0"], ["5"]]


def test_the_exploding_preset_keeps_its_gaps_and_warnings(probe, api):
    """Past float64 a norm is null in the JSON answer: the typed arrays keep it a gap, with the same warnings,
    and norms float32 cannot hold (past 3.4e38) still draw on the linear axis."""
    settings = {"activation": "linear", "recurrent_scale": 2.5, "seq_len": 800}
    probe.open("?" + "&".join(f"{k}={v}" for k, v in settings.items()) + "&yscale=linear")
    page_arrays(probe)
    fields = ",".join(dict.fromkeys(f for q in simulate_requests(probe) for f in q["fields"][0].split(",")))
    exact = api(cell="rnn", **settings, fields=fields)

    line = trace(probe.plot("plot-norms"), "|dL/dh_t| (rnn)")
    norms = exact["grad_h_norm"]
    assert any(v is None for v in norms) and any(v is not None and v > 3.5e38 for v in norms)
    for k, (got, want) in enumerate(zip(line["y"], norms, strict=True)):
        if want is None:
            assert got is None, (k, got)
        else:
            assert got is not None and math.isclose(got, want, rel_tol=1e-4), (k, got, want)

    heat = trace(probe.plot("plot-unrolled"), "rnn")
    limit = math.log10(float(np.finfo(np.float64).max))
    beyond = [[v is not None and v > limit for v in row] for row in exact["grad_h_log10_abs"]]
    assert any(any(r) for r in beyond)
    text = heat["text"]  # unit by step, as Plotly reads a transposed heatmap's text
    for t in (0, 5, 400, 799):
        for u in (0, 7, 31):
            assert (text[u][t] == " (beyond float64)") == beyond[t][u], (t, u)

    shown = probe.page.get_by_test_id("warnings").locator("li").all_inner_texts()
    expected = [w for w in exact["warnings"] if not re.match(r"^theory\.\w+ is null:", w)]
    assert shown == expected[:6] + [f"…and {len(expected) - 6} more (in the JSON export)."], shown
