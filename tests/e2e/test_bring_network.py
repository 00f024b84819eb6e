"""Bringing a network into the views, in headless Chromium against the real app: a PyTorch .pt dropped on a default
page moves the controls to its shape (read by the API from the file); a refused file after a good one greys the
views with the reason; the example networks open with one click; a run of the training lab opens in the views,
and the before/after switch shows it at its seeded initialisation and after training."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import numpy as np
import pytest

from tests import needs

pytestmark = pytest.mark.e2e


def query_of(probe) -> dict[str, list[str]]:
    return parse_qs(urlparse(probe.page.url).query)


def control(probe, field: str) -> str:
    return probe.page.get_by_test_id(f"control-{field}").input_value()


def unrolled_rows(probe) -> int:
    heat = [t for t in probe.plot("plot-unrolled") if t.get("type") == "heatmap"]
    # the page hands Plotly the API's step-by-unit rows, with `transpose`
    return len(heat[0]["z"][0]) if heat[0].get("transpose") else len(heat[0]["z"])


def drop(probe, path: Path) -> None:
    drawn = probe.draws()
    probe.page.get_by_test_id("weights-file").set_input_files(str(path))
    probe.wait_drawn(drawn + 1)


def torch_file(torch, path: Path, kind: str, inputs: int, hidden: int, layers: int = 1) -> Path:
    torch.manual_seed(1)
    module = getattr(torch.nn, kind)(inputs, hidden, num_layers=layers)
    torch.save(module.state_dict(), path)
    return path


def test_a_dropped_pt_file_moves_the_controls_to_its_shape(probe, tmp_path):
    torch = needs.torch()
    probe.open()
    assert control(probe, "cell") == "rnn"
    drop(probe, torch_file(torch, tmp_path / "mine.pt", "LSTM", inputs=3, hidden=12))
    assert (control(probe, "cell"), control(probe, "hidden_size"), control(probe, "input_size")) == ("lstm", "12", "3")
    query = query_of(probe)
    assert (query["cell"], query["hidden_size"], query["input_size"]) == (["lstm"], ["12"], ["3"])
    assert unrolled_rows(probe) == 12, "one row per hidden unit of the file's network"
    assert probe.page.get_by_test_id("control-hidden_size").is_disabled(), "the file says the shape"
    assert "mine.pt" in probe.page.get_by_test_id("weights-status").inner_text()
    assert probe.page.get_by_test_id("plot-depth-flow").is_hidden()

    drop(probe, torch_file(torch, tmp_path / "deep.pth", "GRU", inputs=3, hidden=5, layers=3))
    assert (control(probe, "cell"), control(probe, "num_layers"), control(probe, "hidden_size")) == ("gru", "3", "5")
    depth = probe.page.get_by_test_id("plot-depth-flow")
    assert depth.is_visible(), "a stack shows the depth view"
    assert len(probe.plot("plot-depth-flow")[0]["z"]) == 3
    assert probe.page.get_by_test_id("layer-select").is_visible()

    # Clear hands the shape back to the controls, with the file's values kept
    drawn = probe.draws()
    probe.page.get_by_test_id("weights-clear").click()
    probe.wait_drawn(drawn + 1)
    assert probe.page.get_by_test_id("control-hidden_size").is_enabled() and control(probe, "num_layers") == "3"


def test_a_refused_file_after_a_good_one_greys_the_views_and_says_so(probe, tmp_path):
    probe.open("?seq_len=20")
    rng = np.random.default_rng(0)
    good = {"weight_ih_l0": rng.normal(size=(8, 2)), "weight_hh_l0": rng.normal(size=(8, 8)) * 0.3}
    np.savez(tmp_path / "good.npz", **good)
    drop(probe, tmp_path / "good.npz")
    stale = probe.page.get_by_test_id("views-stale")
    assert stale.is_hidden()
    shown = probe.plot("plot-norms")[0]["y"]

    np.savez(tmp_path / "bad.npz", weight_ih_l0=rng.normal(size=(8, 2)), weight_hh_l0=rng.normal(size=(7, 8)))
    probe.page.get_by_test_id("weights-file").set_input_files(str(tmp_path / "bad.npz"))
    probe.page.get_by_test_id("error").wait_for(state="visible")
    stale.wait_for(state="visible")
    assert stale.inner_text().startswith("Showing the previous network: bad.npz was refused"), stale.inner_text()
    assert "stale" in (probe.page.locator("main").get_attribute("class") or "")
    opacity = probe.page.get_by_test_id("plot-norms").evaluate("el => getComputedStyle(el).opacity")
    assert float(opacity) < 0.5, "the charts are greyed"
    assert probe.plot("plot-norms")[0]["y"] == shown, "they still hold the good file's network"
    probe.errors.clear()  # Chromium logs the 422 as a failed resource load

    drop(probe, tmp_path / "good.npz")
    assert stale.is_hidden() and "stale" not in (probe.page.locator("main").get_attribute("class") or "")
    assert probe.page.get_by_test_id("error").is_hidden()


def test_an_example_network_opens_with_one_click_at_its_sequence_length(probe):
    probe.open()
    examples = probe.page.get_by_test_id("network-examples")
    assert examples.is_visible()
    button = examples.get_by_test_id("example-lstm-adding-50")
    drawn = probe.draws()
    button.click()
    probe.wait_drawn(drawn + 1)
    assert (control(probe, "cell"), control(probe, "hidden_size"), control(probe, "seq_len")) == ("lstm", "32", "50")
    assert control(probe, "input_size") == "2"
    assert unrolled_rows(probe) == 32
    assert button.get_attribute("aria-pressed") == "true"
    assert "lstm-adding-50.safetensors" in probe.page.get_by_test_id("weights-status").inner_text()
    assert query_of(probe)["weights"] == ["file"]


def test_a_lab_run_opens_in_the_views_before_and_after_training(probe, api):
    lab = {
        "train_cell": "lstm",
        "train_hidden_size": 8,
        "train_seq_len": 12,
        "train_steps": 150,
        "train_report_every": 50,
        "train_learning_rate": 0.05,
        "train_task": "adding",
        "train_seed": 4,
    }
    probe.open("?" + urlencode(lab))
    page = probe.page
    page.get_by_test_id("train-start").click()
    section = page.get_by_role("region", name="Training lab")
    probe.wait_for("the lab not done", lambda: section.get_attribute("data-state") == "done", 120)
    drawn = probe.draws()
    page.get_by_test_id("train-open-views").click()
    probe.wait_drawn(drawn + 1)
    shape = [control(probe, field) for field in ("cell", "hidden_size", "seq_len", "input_size")]
    assert shape == ["lstm", "8", "12", "2"], "the lab's network, at its task's sequence length and input size"
    assert query_of(probe)["weights"] == ["file"]
    switch = page.get_by_test_id("weights-before-after")
    assert switch.is_visible() and page.get_by_test_id("weights-after").is_checked()
    after = (page.get_by_test_id("spectrum-readout").inner_text(), page.get_by_test_id("memory-horizon").inner_text())
    after_norms = probe.plot("plot-norms")[0]["y"]

    drawn = probe.draws()
    page.get_by_test_id("weights-before").check()
    probe.wait_drawn(drawn + 1)
    before = (page.get_by_test_id("spectrum-readout").inner_text(), page.get_by_test_id("memory-horizon").inner_text())
    assert before[0] != after[0], "training moved the eigenvalues"
    assert before[1] != after[1], f"training moved the memory horizon: {before[1]!r}"
    assert probe.plot("plot-norms")[0]["y"] != after_norms
    assert "weights" not in query_of(probe), "before training is the seeded network, shareable as a link"
    # ... the very network the lab started from: /api/simulate's seeded weights for the same settings
    seeded = api(
        cell="lstm",
        hidden_size=8,
        input_size=2,
        seq_len=12,
        init="orthogonal",
        recurrent_scale=1,
        forget_bias=0,
        seed=4,
        fields="spectrum",
    )
    assert f"{seeded['spectrum']['spectral_radius']:.4g}"[:4] in before[0], (seeded["spectrum"], before[0])

    drawn = probe.draws()
    page.get_by_test_id("weights-after").check()
    probe.wait_drawn(drawn + 1)
    assert page.get_by_test_id("spectrum-readout").inner_text() == after[0]
